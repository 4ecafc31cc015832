import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { StoreData } from '../records.js';
import { Store } from './store.js';

export type StoreOptions = { file?: string | undefined; seed: () => StoreData };

/**
 * Opens the store: in memory when no file is named; otherwise the JSON file, created and seeded
 * when it does not exist yet. One lowdb instance per file per process: two would share steno's
 * temp file and corrupt it.
 */
export async function openStore({ file, seed }: StoreOptions): Promise<Store> {
  if (!file) return new Store(new Low<StoreData>(new Memory(), seed()));
  await mkdir(dirname(file), { recursive: true });
  const db = new Low<StoreData>(new JSONFile(file), null as unknown as StoreData);
  try {
    await db.read();
  } catch (error) {
    throw new Error(
      `cannot read the sandbox store ${file}: ${(error as Error).message}. ` +
        'Move the file away to start from the seed, or pass --in-memory.',
    );
  }
  if (db.data === null || db.data === undefined) {
    db.data = seed();
    await db.write();
  } else if (!isStoreData(db.data)) {
    throw new Error(
      `${file} is not a kapture-sandbox store (expected {version: 1, counters, keys, customers}). ` +
        'Point --db at another file, or move this one away.',
    );
  }
  return new Store(db);
}

function isStoreData(value: unknown): value is StoreData {
  const data = value as Partial<StoreData>;
  return (
    typeof value === 'object' &&
    data.version === 1 &&
    typeof data.counters?.customerId === 'number' &&
    typeof data.counters?.contactId === 'number' &&
    Array.isArray(data.keys) &&
    Array.isArray(data.customers)
  );
}
