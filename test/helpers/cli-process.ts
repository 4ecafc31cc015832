import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/kapture-sandbox.js', import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI to completion (for commands that exit). */
export function runCli(args: string[], timeoutMs = 20_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kapture-sandbox ${args.join(' ')} did not exit within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export type Served = { child: ChildProcess; url: string; output: () => string };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Starts `kapture-sandbox serve` (with `--port 0`) and resolves once it printed its URL. */
export function serveCli(args: string[], timeoutMs = 20_000): Promise<Served> {
  return served(spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }), timeoutMs);
}

/**
 * Starts the sandbox the README's way, `npm start -- <flags>` (with `--port 0`), in its own process
 * group: stop it with `stopGroup`, which reaches the node process under npm and its shell.
 */
export function npmStart(args: string[], timeoutMs = 30_000): Promise<Served> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return served(spawn(npm, ['start', '--silent', '--', '--port', '0', ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }), timeoutMs);
}

/** SIGTERM to a process group started by `npmStart` (npm itself dies of the signal); resolves once npm is gone. */
export function stopGroup(child: ChildProcess): Promise<number | null> {
  const done = exited(child);
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  return done;
}

/** SIGKILL to a process started by `serveCli`, unless there is none or it has exited already; resolves once it is gone. */
export async function killServed(served: Served | undefined): Promise<void> {
  if (!served || served.child.exitCode !== null || served.child.signalCode !== null) return;
  served.child.kill('SIGKILL');
  await exited(served.child);
}

function served(child: ChildProcess, timeoutMs: number): Promise<Served> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the sandbox did not start within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${code} before listening: ${output}`));
    });
  });
}

/** Resolves when the process has exited (after a kill, say). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
