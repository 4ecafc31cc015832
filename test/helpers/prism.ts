import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

/** A running Prism mock server. `close()` is idempotent and resolves once the process is gone. */
export type PrismServer = {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  pid: number;
  /** Prism's own output so far (stdout and stderr, last 64 KiB), for failure messages. */
  output(): string;
  close(): Promise<void>;
};

export type StartPrismOptions = {
  /** How long Prism may take to answer its first request. Default 30 s (it usually needs 2-5 s). */
  startTimeoutMs?: number;
  /** Extra CLI arguments after `mock <spec>`, e.g. `['--dynamic']`. */
  args?: string[];
};

const HOST = '127.0.0.1';
const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 3_000;

/** The pinned Prism CLI (5.14.2 runs on Node 20; 5.15+ needs Node 24), run with this Node. */
const PRISM_CLI = createRequire(import.meta.url).resolve('@stoplight/prism-cli/dist/index.js');

/**
 * Preloaded into Prism's Node: exit when stdin reaches EOF. Prism's stdin is a pipe from this
 * process, and the pipe closes whenever this process goes away, however it goes (a vitest
 * worker torn down after a hook timeout, SIGKILL, a crash), so Prism cannot outlive its test
 * run even when `close()` is never called. Prism itself never reads stdin.
 */
const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent(
  "process.stdin.on('end', () => process.exit(0)).resume();",
)}`;

/** A TCP port that was free a moment ago: listen on port 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((error) => (error ? reject(error) : port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Starts `prism mock <specPath>` on a free port of 127.0.0.1 and resolves once it answers HTTP.
 * Prism is one process (no children) in our process group, so a Ctrl-C of the test run reaches
 * it too; `close()` stops it by PID (SIGTERM, then SIGKILL after 3 s), and it exits by itself
 * when this process dies (see ORPHAN_GUARD). The port is found by binding port 0 and closing
 * it, which can race with another process: a Prism that dies on an address in use is retried on
 * a new port, twice.
 */
export async function startPrism(specPath: string, options: StartPrismOptions = {}): Promise<PrismServer> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(specPath, await freePort(), startTimeoutMs, options.args ?? []);
    } catch (error) {
      lastError = error as Error;
      if (!/EADDRINUSE/.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

async function startOnce(specPath: string, port: number, startTimeoutMs: number, args: string[]): Promise<PrismServer> {
  const child = spawn(
    process.execPath,
    ['--import', ORPHAN_GUARD, PRISM_CLI, 'mock', specPath, '-p', String(port), '-h', HOST, '-v', 'error', ...args],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  // 'close' comes after the exit and after stdout/stderr are drained, so `output` is complete.
  let closed = false;
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      closed = true;
      resolve();
    });
  });
  // Spawn errors (ENOENT…) arrive as an 'error' event.
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (!closed && !spawnError) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    })();
    return closing;
  };

  const url = `http://${HOST}:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (spawnError) {
      await close();
      throw new Error(`prism could not be started: ${spawnError.message}`);
    }
    if (closed) {
      throw new Error(`prism exited (code ${child.exitCode}, signal ${child.signalCode}) before answering:\n${output}`);
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`prism did not answer on ${url} within ${startTimeoutMs} ms:\n${output}`);
    }
    // Any HTTP answer (404 included) means the server is up; only a refused connection means not yet.
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url, port, pid: child.pid!, output: () => output, close };
}
