import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { exited, runCli, serveCli } from './helpers/cli-process.js';
import { PATHS, searchOne, testSandbox, vendor } from './helpers/sandbox-client.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kapture-sandbox-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NEW_CUSTOMER = { name: 'Durable Dev', email: 'durable@example.in', phone: '9000000123', city: 'Chennai' };

describe('file store', () => {
  it('a fresh file is created and seeded; a restart finds every change', async () => {
    const db = join(dir, 'nested', 'store.json');
    let sandbox: Sandbox = await testSandbox({ inMemory: false, db });
    const added = await vendor(sandbox, PATHS.addOrUpdate, NEW_CUSTOMER);
    const id = added.json['Kapture Customer Id'];
    await vendor(sandbox, PATHS.addOrUpdate, { customer_id: id, state: 'Tamil Nadu' });
    await vendor(sandbox, PATHS.addContacts, { customer_id: id, name: 'Second', email: 's@example.in', phone: '9000000124' });
    const before = await searchOne(sandbox, id);
    await sandbox.close();

    // Human-readable JSON on disk: the snapshot, one customer per line, and the change log.
    expect(await readFile(db, 'utf8')).toContain('"name":"Rahul"');
    expect(await readFile(`${db}.log.1`, 'utf8')).toContain('"name":"Durable Dev"');

    sandbox = await testSandbox({ inMemory: false, db, seed: 99 });
    try {
      expect(await searchOne(sandbox, id)).toEqual(before);
      // The counters survived too: the next id follows, it does not reuse.
      const next = await vendor(sandbox, PATHS.addOrUpdate, { ...NEW_CUSTOMER, name: 'Next' });
      expect(Number(next.json['Kapture Customer Id'])).toBe(Number(id) + 1);
    } finally {
      await sandbox.close();
    }
  });

  it('--in-memory keeps nothing', async () => {
    const db = join(dir, 'store.json');
    const sandbox = await testSandbox({ inMemory: true, db });
    await vendor(sandbox, PATHS.addOrUpdate, NEW_CUSTOMER);
    await sandbox.close();
    await expect(readFile(db)).rejects.toThrow(/ENOENT/);
  });

  it('an answered Success survives kill -9 of the sandbox process', async () => {
    const db = join(dir, 'store.json');
    const first = await serveCli(['--db', db, '--customers', '3']);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${first.url}${PATHS.addOrUpdate}`, {
        method: 'POST',
        headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...NEW_CUSTOMER, name: `Killed ${i}` }),
      });
      ids.push(((await response.json()) as Record<string, string>)['Kapture Customer Id']!);
    }
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await serveCli(['--db', db]);
    try {
      for (const [i, id] of ids.entries()) {
        const response = await fetch(`${second.url}${PATHS.search}`, {
          method: 'POST',
          headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
          body: JSON.stringify({ customer_id: id }),
        });
        expect(((await response.json()) as { message: Array<{ name: string }> }).message[0]!.name).toBe(`Killed ${i}`);
      }
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });

  it('a store file that is not JSON stops start-up with a message saying what to do', async () => {
    const db = join(dir, 'broken.json');
    await writeFile(db, '{"version": 1, "customers": [');
    const run = await runCli(['serve', '--port', '0', '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot read the sandbox store ${db}`);
    expect(run.stderr).toContain('Move the file away');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a JSON file that is not a sandbox store is refused, not overwritten', async () => {
    const db = join(dir, 'other.json');
    await writeFile(db, '{"hello": "world"}');
    const run = await runCli(['serve', '--port', '0', '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not a kapture-sandbox store');
    expect(await readFile(db, 'utf8')).toBe('{"hello": "world"}');
  });
});
