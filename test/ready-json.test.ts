import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, exited } from './helpers/cli-process.js';

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./python/test_kapture_sandbox.py', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** How the Python fixture starts this clone's sandbox (a consumer's default is `npx kapture-sandbox`). */
const PYTHON_ENV = { ...process.env, KAPTURE_SANDBOX_COMMAND: `${process.execPath} ${BIN}` };

describe('serve --ready-json', () => {
  it('prints one JSON line {url, pid} on stdout once it listens; the banner goes to stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--in-memory', '--ready-json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          if (stdout.includes('\n')) resolve(stdout);
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
      });
      expect(firstLine).toMatch(/^\{"url":"http:\/\/127\.0\.0\.1:\d+","pid":\d+\}\n$/);
      const ready = JSON.parse(firstLine) as { url: string; pid: number };
      expect(ready.pid).toBe(child.pid);
      const health = (await (await fetch(`${ready.url}/__sandbox/health`)).json()) as { status: string };
      expect(health.status).toBe('ok');
    } finally {
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    }
  });
});

describe("the README's pytest fixture", () => {
  it('is the code of test/python/test_kapture_sandbox.py, verbatim', () => {
    const block = /```python\n([\s\S]*?)```/.exec(README)?.[1];
    expect(block).toBeDefined();
    const fixture = readFileSync(FIXTURE, 'utf8');
    // Everything from the command to the fixture, as the README shows it (its imports aside).
    const code = block!.slice(block!.indexOf('SANDBOX_COMMAND ='), block!.indexOf('yield from run_kapture_sandbox()') + 'yield from run_kapture_sandbox()'.length);
    expect(code.length).toBeGreaterThan(400);
    expect(fixture).toContain(code);
  });

  // -S: no site-packages, so the standard library only, whatever this machine has installed.
  it('starts and stops a sandbox from python3 with the standard library only (unittest)', async () => {
    const { stderr } = await run('python3', ['-S', '-W', 'error::ResourceWarning', FIXTURE], { env: PYTHON_ENV, timeout: 30_000 });
    expect(stderr).toMatch(/Ran 1 test in [\d.]+s\n\nOK\n$/);
  });

  it('runs under pytest too, where pytest is installed', async (context) => {
    const probe = await run('python3', ['-c', 'import pytest']).then(
      () => true,
      () => false,
    );
    if (!probe) return context.skip('pytest is not installed for python3 here');
    const { stdout } = await run('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', FIXTURE], { env: PYTHON_ENV, timeout: 30_000 });
    expect(stdout).toMatch(/2 passed/);
  });
});
