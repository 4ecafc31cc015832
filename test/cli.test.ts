import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { exited, runCli, serveCli } from './helpers/cli-process.js';

describe('kapture-sandbox CLI', () => {
  it('serve prints its URL and the default keys, and answers', async () => {
    const served = await serveCli(['--in-memory']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const output = served.output();
      for (const key of ['sandbox-key', 'expired-key', 'search-only-key']) expect(output).toContain(key);
      expect(output).toContain('storage: in memory');
      expect(output).toContain(`QA console: ${served.url}/__sandbox/console\n`);
      expect((await fetch(`${served.url}/__sandbox/console`)).headers.get('content-type')).toContain('text/html');
      const health = (await (await fetch(`${served.url}/__sandbox/health`)).json()) as { customers: number; storage: string };
      expect(health).toMatchObject({ status: 'ok', storage: 'memory', customers: 53 });
    } finally {
      served.child.kill('SIGTERM');
      expect(await exited(served.child)).toBe(0);
    }
    expect(served.output()).toMatch(/\nkapture-sandbox stopped \(SIGTERM\)\n$/);
  });

  it('on all interfaces, the banner shows a URL that works and says an admin token is required, never the token', async () => {
    const token = 'banner-secret-7f3a';
    const served = await serveCli(['--in-memory', '--host', '0.0.0.0', '--admin-token', token]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const output = served.output();
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output).toContain(`listening on ${served.url} (on all interfaces: 0.0.0.0)`);
      expect(output).toContain('admin token required');
      expect(output).toContain('X-Sandbox-Admin-Token');
      expect(output).not.toContain(token);
      const health = await fetch(`${served.url}/__sandbox/health`, { headers: { 'X-Sandbox-Admin-Token': token } });
      expect(health.status).toBe(200);
    } finally {
      served.child.kill('SIGINT');
      expect(await exited(served.child)).toBe(0);
    }
    expect(served.output()).toContain('kapture-sandbox stopped (SIGINT)');
  });

  it('on loopback without a token, the banner mentions no admin token', async () => {
    const served = await serveCli(['--in-memory']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(served.output()).not.toContain('admin token');
      expect(served.output()).not.toContain('all interfaces');
    } finally {
      served.child.kill('SIGTERM');
      await exited(served.child);
    }
  });

  it('--customers and --seed shape the seed', async () => {
    const served = await serveCli(['--in-memory', '--customers', '7', '--seed', '42']);
    try {
      const health = (await (await fetch(`${served.url}/__sandbox/health`)).json()) as { customers: number; storage: string };
      expect(health.customers).toBe(10);
    } finally {
      served.child.kill('SIGTERM');
      await exited(served.child);
    }
  });

  it.each([
    [['serve', '--port', 'abc'], '--port must be a whole number from 0 to 65535, got "abc"'],
    [['serve', '--port', '70000'], '--port must be a whole number'],
    [['serve', '--customers=-1'], '--customers must be a whole number'],
    [['serve', '--seed', '1.5'], '--seed must be a whole number'],
    [['serve', '--bogus'], "Unknown option '--bogus'"],
    [['serve', '--db', 'x.json', '--in-memory'], '--db and --in-memory exclude each other'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('--help');
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await runCli(['serve', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--port', '--host', '--db', '--in-memory', '--seed', '--customers', '--admin-token']) expect(run.stdout).toContain(flag);
  });

  it('a busy port exits 1 saying so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(['serve', '--in-memory', '--port', String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('a non-loopback host without an admin token is refused', async () => {
    const run = await runCli(['serve', '--in-memory', '--port', '0', '--host', '0.0.0.0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refusing to listen on 0.0.0.0 without an admin token');
  });
});
