import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../src/index.js';
import { exited, runCli, serveCli, type Served } from './helpers/cli-process.js';

// Two sandboxes on one store each kept their own state and overwrote the other's file: a customer
// one of them had confirmed was gone after a restart. One store, one sandbox.
let dir: string;
let db: string;
const running: Served[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kapture-lock-'));
  db = join(dir, 'store.json');
});
afterEach(async () => {
  for (const served of running.splice(0)) {
    served.child.kill('SIGKILL');
    await exited(served.child);
  }
  await rm(dir, { recursive: true, force: true });
});

async function serve(args: string[]): Promise<Served> {
  const served = await serveCli(args);
  running.push(served);
  return served;
}

async function customers(url: string): Promise<number> {
  return ((await (await fetch(`${url}/__sandbox/health`)).json()) as { customers: number }).customers;
}

async function addCustomer(url: string): Promise<string> {
  const answer = await fetch(`${url}/add-update-customer-from-other-source.html`, {
    method: 'POST',
    headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Held', phone: '9876543210', email: 'held@example.in' }),
  });
  return ((await answer.json()) as Record<string, string>)['Kapture Customer Id']!;
}

const startTicks = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
};
const hasProc = (() => {
  try {
    return startTicks(process.pid) !== undefined;
  } catch {
    return false;
  }
})();

describe('one sandbox per store', () => {
  it('a second sandbox on a store in use exits 1 naming the process that holds it', async () => {
    const first = await serve(['--db', db, '--customers', '2']);
    const second = await runCli(['serve', '--port', '0', '--db', db]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`${db} is in use by another sandbox (pid ${first.child.pid},`);
    expect(second.stderr).toContain(`kill ${first.child.pid}`);
    expect(second.stderr).toContain('pass another --db');
    // The first one is unharmed and still the store's only writer.
    expect(await customers(first.url)).toBe(5);
  });

  it('a lock left by kill -9 is taken over at the next start, and the data is there', async () => {
    const first = await serve(['--db', db, '--customers', '2']);
    const id = await addCustomer(first.url);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(JSON.parse(await readFile(`${db}.lock`, 'utf8')).pid).toBe(first.child.pid);
    const second = await serve(['--db', db]);
    expect(await customers(second.url)).toBe(6);
    expect(id).toMatch(/^\d+$/);
  });

  it('a clean stop releases the store', async () => {
    const first = await serve(['--db', db, '--customers', '2']);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    await expect(readFile(`${db}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it.skipIf(!hasProc)('a live pid that started at another time (a reused pid) does not hold the store', async () => {
    const lock = { pid: process.pid, token: 'left-by-a-crash', since: '2026-01-01T00:00:00.000Z' };
    await writeFile(`${db}.lock`, JSON.stringify({ ...lock, startTicks: '1' }));
    const taken = await serve(['--db', db, '--customers', '1']);
    expect(await customers(taken.url)).toBe(4);
    taken.child.kill('SIGTERM');
    await exited(taken.child);
    // The same pid with its real start time is a live holder.
    await writeFile(`${db}.lock`, JSON.stringify({ ...lock, startTicks: startTicks(process.pid) }));
    const refused = await runCli(['serve', '--port', '0', '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by another sandbox (pid ${process.pid}, started 2026-01-01T00:00:00.000Z)`);
  });

  it.skipIf(!hasProc)('from code: a lock with this process\'s pid is a previous process\'s (pid reuse) unless it started when this one did', async () => {
    const lock = { pid: process.pid, token: 'another-thread-or-a-previous-process', since: '2026-01-01T00:00:00.000Z' };
    await writeFile(`${db}.lock`, JSON.stringify({ ...lock, startTicks: startTicks(process.pid) }));
    await expect(startSandbox({ port: 0, db })).rejects.toThrow(`in use by another sandbox (pid ${process.pid},`);
    await writeFile(`${db}.lock`, JSON.stringify({ ...lock, startTicks: '1' }));
    const taken = await startSandbox({ port: 0, db });
    await taken.close();
  });

  it('a damaged lock file names no live process: it is taken over', async () => {
    await writeFile(`${db}.lock`, 'not json');
    const served = await serve(['--db', db, '--customers', '1']);
    expect(await customers(served.url)).toBe(4);
  });

  it('from code: a second open in the same process is refused; close frees the store', async () => {
    const first = await startSandbox({ port: 0, db, customers: 1 });
    try {
      await expect(startSandbox({ port: 0, db })).rejects.toThrow(`${db} is already open in this process`);
    } finally {
      await first.close();
    }
    const again = await startSandbox({ port: 0, db });
    expect(await customers(again.url)).toBe(4);
    await again.close();
  });

  it('from code: a start that fails on a busy port frees the store for a retry', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      await expect(startSandbox({ port, db })).rejects.toThrow('already in use');
      const retried = await startSandbox({ port: 0, db });
      await retried.close();
    } finally {
      blocker.close();
    }
  });
});

describe('flags that cannot apply to an existing store', () => {
  const note = 'already exists, so';

  it.each([
    [['--customers', '500'], '--customers 500 shapes only POST /__sandbox/reset'],
    [['--seed', '9'], '--seed 9 shapes only'],
    [['--customers', '5', '--seed', '9'], '--customers 5 and --seed 9 shape only'],
  ])('%j on an existing store says so at start, and serves the store as it is', async (flags, text) => {
    const created = await serve(['--db', db, '--customers', '2']);
    expect(created.output()).not.toContain(note);
    created.child.kill('SIGTERM');
    await exited(created.child);
    const again = await serve(['--db', db, ...flags]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(again.output()).toContain(`note: ${db} ${note} ${text}`);
    expect(await customers(again.url)).toBe(5);
  });

  it('no note without those flags, nor in memory', async () => {
    (await serve(['--db', db])).child.kill('SIGTERM');
    const plain = await serve(['--db', db]);
    const memory = await serve(['--in-memory', '--customers', '3']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(plain.output()).not.toContain(note);
    expect(memory.output()).not.toContain(note);
  });
});
