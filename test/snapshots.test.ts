import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { control, PATHS, searchOne, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

const ADD = { name: 'Snap', email: 'snap@example.in', phone: '9000000900' };

describe('snapshots', () => {
  it('save, change things, restore: customers, counters and keys come back', async () => {
    const prepared = await vendor(sandbox, PATHS.addOrUpdate, ADD);
    const id = prepared.json['Kapture Customer Id'];
    const saved = await sandbox.snapshots.save('prepared');
    expect(saved).toMatchObject({ name: 'prepared', customers: 9 });

    const later = await vendor(sandbox, PATHS.addOrUpdate, { ...ADD, name: 'Later' });
    await vendor(sandbox, PATHS.addOrUpdate, { customer_id: id, name: 'Changed' });
    await sandbox.keys.add({ key: 'later-key', tenant: 396 });
    await sandbox.keys.remove('search-only-key');

    await sandbox.snapshots.restore('prepared');
    expect((await searchOne(sandbox, id)).name).toBe('Snap');
    expect((await vendor(sandbox, PATHS.search, { customer_id: later.json['Kapture Customer Id'] })).headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    expect((await sandbox.keys.list()).map((k) => k.key)).toEqual(['sandbox-key', 'expired-key', 'search-only-key']);
    // The id counter came back too: the next add gets the id `later` had.
    const again = await vendor(sandbox, PATHS.addOrUpdate, ADD);
    expect(again.json['Kapture Customer Id']).toBe(later.json['Kapture Customer Id']);
  });

  it('restoring twice gives the same state (a restore never shares objects with the snapshot)', async () => {
    await sandbox.snapshots.save('twice');
    await sandbox.snapshots.restore('twice');
    await vendor(sandbox, PATHS.addOrUpdate, { customer_id: '272930', name: 'Mutated' });
    await sandbox.snapshots.restore('twice');
    expect((await searchOne(sandbox, 272930)).name).not.toBe('Mutated');
  });

  it('lists snapshots; a name already used is overwritten; delete removes one', async () => {
    await sandbox.snapshots.save('listed');
    await sandbox.snapshots.save('listed');
    const names = (await sandbox.snapshots.list()).map((s) => s.name);
    expect(names.filter((n) => n === 'listed')).toHaveLength(1);
    await sandbox.snapshots.remove('listed');
    expect((await sandbox.snapshots.list()).map((s) => s.name)).not.toContain('listed');
  });

  it.each([
    ['POST', '/snapshots', { name: '../../etc/passwd' }, 400, '/name must match pattern'],
    ['POST', '/snapshots', { name: '' }, 400, '/name must match pattern'],
    ['POST', '/snapshots', { name: 'x'.repeat(65) }, 400, '/name must match pattern'],
    ['POST', '/snapshots', { name: 'ok', extra: 1 }, 400, 'must NOT have additional properties'],
    ['POST', '/snapshots/..%2F..%2Fetc/restore', undefined, 400, 'is invalid'],
    ['POST', '/snapshots/nope/restore', undefined, 404, 'no snapshot "nope"'],
    ['DELETE', '/snapshots/nope', undefined, 404, 'no snapshot "nope"'],
  ])('%s %s %j is a %i', async (method, path, body, status, message) => {
    const before = await sandbox.health();
    const answer = await control(sandbox, method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.json.error).toContain(message);
    expect(await sandbox.health()).toEqual(before);
  });

  it('reset keeps snapshots', async () => {
    await sandbox.snapshots.save('kept');
    await sandbox.reset();
    expect((await sandbox.snapshots.list()).map((s) => s.name)).toContain('kept');
  });
});

describe('snapshots with a file store', () => {
  it('are files beside the store and survive a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kapture-snapshots-'));
    const db = join(dir, 'store.json');
    try {
      let own = await testSandbox({ inMemory: false, db });
      const added = await vendor(own, PATHS.addOrUpdate, ADD);
      await own.snapshots.save('day-one');
      await vendor(own, PATHS.addOrUpdate, { customer_id: added.json['Kapture Customer Id'], name: 'Day two' });
      await own.close();
      expect(await readdir(join(dir, 'store.json.snapshots'))).toEqual(['day-one.json']);

      own = await testSandbox({ inMemory: false, db });
      try {
        expect((await own.snapshots.list()).map((s) => s.name)).toEqual(['day-one']);
        await own.snapshots.restore('day-one');
        expect((await searchOne(own, added.json['Kapture Customer Id'])).name).toBe('Snap');
      } finally {
        await own.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
