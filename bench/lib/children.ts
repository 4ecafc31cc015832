import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Repository root (bench/lib/ -> ../../). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HOST = '127.0.0.1';

/**
 * Preloaded into every child: exit when stdin reaches EOF. stdin is a pipe from the bench, and
 * the pipe closes however the bench goes away (Ctrl-C, SIGKILL, a crash, a vitest worker torn
 * down), so no server outlives its benchmark even when `stop()` is never called. The children
 * never read stdin themselves. The pipe is unref'd: it never keeps alive a child that would
 * otherwise exit (Mockoon's CLI stops on SIGINT by letting its event loop drain).
 */
const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent("process.stdin.on('end', () => process.exit(0)).resume(); process.stdin.unref?.();")}`;

/**
 * The same guarantee for a child that is not Node (WireMock's JVM): a small Node watcher, its
 * stdin a pipe from the bench, SIGKILLs the child when that pipe reaches EOF, and exits by itself
 * once the child is gone (checked every second, so a pid the system hands out again later is
 * never signalled). The child itself stays the bench's own child, so its CPU time and RSS are
 * read from its pid like the others'. Limit: a watcher killed on its own (not with the bench)
 * leaves its child to `stop()` and `killAllChildren()` only.
 */
const WATCHER =
  "const pid = Number(process.argv[1]); const kill = () => { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); };" +
  "process.stdin.on('end', kill).resume(); setInterval(() => { try { process.kill(pid, 0); } catch { process.exit(0); } }, 1000);";

const OUTPUT_LIMIT = 64 * 1024;

export type Child = {
  name: string;
  pid: number;
  /** Base URL once the child printed it. */
  url: string;
  /** ms from spawn to the "listening on" line. */
  listeningMs: number;
  spawnedAt: number;
  output(): string;
  /** Whether the process has exited (crashed, or stopped). */
  exited(): boolean;
  /** SIGINT (the CLI's graceful stop: pending writes, then exit; a --cpu-prof is written then), SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now. */
  kill(): Promise<void>;
};

const live = new Set<ChildProcess>();

/** Pids of the children still running (for CPU accounting). */
export function livePids(): number[] {
  return [...live].map((child) => child.pid).filter((pid): pid is number => pid !== undefined);
}

/** Kills every child still running, synchronously (safe inside an 'exit' handler). */
export function killAllChildren(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

let guarded = false;
/** Makes sure children die with the bench: on normal exit, on an uncaught error, on SIGINT/SIGTERM/SIGHUP. */
export function installExitGuards(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping every server it started\n`);
      killAllChildren();
      process.exit(130);
    });
  }
}

export type SpawnServerOptions = {
  name: string;
  /** An executable other than this Node (e.g. `java`); `args` then go to it unchanged, and a watcher stands in for the orphan guard. */
  command?: string;
  /** Arguments after `node` (or `command`), e.g. [bin, 'serve', ...] or ['--import', 'tsx', file]. */
  args: string[];
  /** Extra node flags before the script (e.g. --cpu-prof); Node children only. */
  nodeFlags?: string[];
  /** Matched against stdout+stderr; group 1 is the base URL, or a bare port (then http://127.0.0.1:PORT). */
  urlPattern?: RegExp;
  /** For a server that prints nothing (Prism at -v error): poll this base URL until any HTTP answer. */
  pollUrl?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
};

/**
 * Spawns a server process (with this Node, unless `command` says otherwise) and resolves once it
 * printed its URL. Rejects (and kills it) when it exits first or the timeout passes: never hangs.
 */
export function spawnServer(options: SpawnServerOptions): Promise<Child> {
  const pattern = options.urlPattern ?? /listening on (http:\/\/\S+)/;
  const spawnedAt = performance.now();
  const node = options.command === undefined;
  const child = spawn(options.command ?? process.execPath, node ? ['--import', ORPHAN_GUARD, ...(options.nodeFlags ?? []), ...options.args] : options.args, {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  live.add(child);
  if (!node && child.pid !== undefined) {
    const watcher = spawn(process.execPath, ['-e', WATCHER, String(child.pid)], { cwd: ROOT, stdio: ['pipe', 'ignore', 'ignore'] });
    live.add(watcher);
    watcher.once('close', () => live.delete(watcher));
    child.once('close', () => watcher.kill('SIGKILL'));
  }
  let output = '';
  let done = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('close', () => {
      done = true;
      live.delete(child);
      resolve();
    });
  });
  const kill = async () => {
    // A command that could not be spawned at all (ENOENT) has no pid, and may never emit 'close'.
    if (!done && child.pid !== undefined) {
      child.kill('SIGKILL');
      await exitedPromise;
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000) => {
    stopping ??= (async () => {
      if (done) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    })();
    return stopping;
  };

  return new Promise<Child>((resolve, reject) => {
    let settled = false;
    const ready = (url: string) => {
      settled = true;
      clearTimeout(timer);
      resolve({
        name: options.name,
        pid: child.pid!,
        url,
        listeningMs: performance.now() - spawnedAt,
        spawnedAt,
        output: () => output,
        exited: () => done,
        stop,
        kill,
      });
    };
    const fail = (message: string) => {
      settled = true;
      clearTimeout(timer);
      void kill().then(() => reject(new Error(`${options.name}: ${message}\n--- its output ---\n${output.slice(-4000)}`)));
    };
    const timer = setTimeout(() => fail(`did not start listening within ${options.timeoutMs} ms`), options.timeoutMs);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
      const found = options.pollUrl ? undefined : pattern.exec(output)?.[1];
      if (found && !settled) ready(/^\d+$/.test(found) ? `http://${HOST}:${found}` : found);
    };
    if (options.pollUrl) {
      const base = options.pollUrl;
      void (async () => {
        while (!settled && !done) {
          try {
            const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(1_000) });
            await response.body?.cancel();
            if (!settled && !done) ready(base);
            return;
          } catch {
            await sleep(100);
          }
        }
      })();
    }
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => {
      if (!settled) {
        fail(`could not be started: ${error.message}`);
      }
    });
    child.once('exit', (code, signal) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(new Error(`${options.name}: exited (code ${code}, signal ${signal}) before listening\n--- its output ---\n${output.slice(-4000)}`));
      }
    });
  });
}

/** Runs a Node script to completion and returns its stdout; rejects on a non-zero exit or timeout. */
export function runNode(name: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // No orphan guard here: it keeps stdin open, so a script that should end would not. These scripts end by themselves.
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-OUTPUT_LIMIT)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name}: did not finish within ${timeoutMs} ms\n${stderr.slice(-4000)}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name}: could not be started: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${name}: exited with code ${code}, signal ${signal}\n${stderr.slice(-4000)}`));
    });
  });
}

/** Resident set size of a process in MB (VmRSS from /proc), or undefined where /proc is missing. */
export async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Peak resident set size (VmHWM) in MB. */
export async function peakRssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
