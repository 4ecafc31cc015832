import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedData } from '../seeds/generate.js';
import type { CustomerRecord } from '../src/records.js';
import { logFiles } from '../src/store/log-replay.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kapture-store-'));
  file = join(dir, 'store.json');
});
// Every store a test opened is closed, so no log file handle is left to the garbage collector.
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});

const seed = () => seedData({ seed: 1, customers: 20 });

function newCustomer(store: Store, name: string): CustomerRecord {
  const customer: CustomerRecord = {
    id: store.nextCustomerId(),
    cmId: 396,
    createdAt: '2026-11-29T06:30:00.000Z',
    name,
    contacts: [{ id: store.nextContactId(), createdAt: '2026-11-29T06:30:00.000Z', contactPerson: name, phone: '9000000000', email: 'x@example.in', isPrimaryContact: true }],
  };
  store.insert(customer);
  return customer;
}

/**
 * What a restart sees. The previous process is gone by then, and with it its hold on the store
 * (a second open while one is open is refused): the stores opened so far are closed first, which
 * writes nothing a test has not committed itself.
 */
async function reopen(options: { compactAfterBytes?: number } = {}): Promise<Store> {
  for (const previous of opened.splice(0)) await previous.close();
  const store = await openStore({ file, seed: async () => seed(), ...options });
  await store.flush();
  opened.push(store);
  return store;
}

describe('the file store: a lowdb snapshot and a change log', () => {
  it('a commit appends one line holding what it changed, whatever the store size', async () => {
    const store = await reopen();
    const customer = newCustomer(store, 'Logged');
    const other = newCustomer(store, 'Logged too');
    await store.commit();
    const log = await readFile(`${file}.log.1`, 'utf8');
    expect(log.trim().split('\n').map((line) => JSON.parse(line).commit.map((record: object) => Object.keys(record)[0]))).toEqual([['put', 'put', 'counters']]);
    store.update(customer, (draft) => {
      draft.name = 'Logged again';
    });
    await store.commit();
    expect((await readFile(`${file}.log.1`, 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(JSON.parse((await readFile(`${file}.log.1`, 'utf8')).trim().split('\n')[1]!).commit).toEqual([{ put: customer }]);
    expect([customer.id, other.id]).toEqual([287251, 287252]);
    const restarted = await reopen();
    expect(restarted.customer(396, customer.id)?.name).toBe('Logged again');
    expect(restarted.data.counters.customerId).toBe(other.id + 1);
  });

  it('concurrent commits share writes and all land', async () => {
    const store = await reopen();
    const ids: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        ids.push(newCustomer(store, `C${i}`).id);
        return store.commit();
      }),
    );
    const restarted = await reopen();
    for (const id of ids) expect(restarted.customer(396, id)).toBeDefined();
  });

  it('compaction rewrites the snapshot, starts a new log generation and deletes the old one', async () => {
    const store = await reopen({ compactAfterBytes: 2_000 });
    const names: string[] = [];
    for (let i = 0; i < 30; i++) {
      names.push(newCustomer(store, `Compacted ${i}`).name);
      await store.commit();
    }
    await store.flush();
    // Let a background compaction that may be running finish.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    expect(snapshot.generation).toBeGreaterThan(1);
    const logs = await logFiles(file);
    expect(logs.every((log) => Number(log.split('.').pop()) >= snapshot.generation)).toBe(true);
    const restarted = await reopen();
    expect(restarted.customersOf(396).map((c) => c.name)).toEqual(expect.arrayContaining(names));
  });

  it('a last line cut short by a crash is dropped and cut off, so later appends stay readable', async () => {
    const store = await reopen();
    const kept = newCustomer(store, 'Kept');
    await store.commit();
    await appendFile(`${file}.log.1`, '{"commit":[{"put":{"id":999999,"cmId":396,"na');
    const restarted = await reopen();
    expect(restarted.customer(396, kept.id)).toBeDefined();
    expect(restarted.customer(396, 999999)).toBeUndefined();
    const after = newCustomer(restarted, 'After');
    await restarted.commit();
    const again = await reopen();
    expect(again.customer(396, after.id)?.name).toBe('After');
  });

  it('a damaged line in the middle of a log stops start-up with a clear message', async () => {
    const store = await reopen();
    newCustomer(store, 'One');
    await store.commit();
    await appendFile(`${file}.log.1`, 'garbage\n{"commit":[]}\n');
    await expect(reopen()).rejects.toThrow(/store\.json\.log\.1 line 2 is not a change record/);
  });

  it('a reset (replace) is rewritten whole, and older logs are never replayed over it', async () => {
    const store = await reopen();
    const gone = newCustomer(store, 'Gone after reset');
    await store.commit();
    store.replace(seed());
    await store.commit();
    const kept = newCustomer(store, 'After reset');
    await store.commit();
    const restarted = await reopen();
    expect(restarted.customer(396, gone.id)?.name).not.toBe('Gone after reset');
    expect(restarted.customer(396, kept.id)?.name).toBe('After reset');
    expect(await logFiles(file)).toEqual([`${file}.log.2`]);
  });

  it('keys changes are logged too', async () => {
    const store = await reopen();
    store.updateKeys((keys) => keys.push({ key: 'logged-key', tenant: 5 }));
    await store.commit();
    expect((await reopen()).keys().map((k) => k.key)).toContain('logged-key');
  });

  it('a store written by an older version (one pretty-printed JSON file, no log) still opens', async () => {
    const old = seed();
    await writeFile(file, JSON.stringify(old, null, 2));
    const store = await reopen();
    expect(store.data.customers).toHaveLength(old.customers.length);
  });
});

describe('regression: a write cut short left a batch half-applied (found by the torn-write test)', () => {
  it('every cut of a batch commit restores the whole batch or none of it', async () => {
    const store = await reopen();
    const before = await readFile(`${file}.log.1`, 'utf8').catch(() => '');
    const batch = [newCustomer(store, 'A'), newCustomer(store, 'B'), newCustomer(store, 'C')];
    await store.commit();
    const after = await readFile(`${file}.log.1`, 'utf8');
    for (let cut = before.length; cut <= after.length; cut += 7) {
      await writeFile(`${file}.log.1`, after.slice(0, cut));
      const restarted = await reopen();
      const present = batch.filter((c) => restarted.customer(396, c.id) !== undefined).length;
      expect([0, 3], `cut at ${cut}`).toContain(present);
    }
  });
});
