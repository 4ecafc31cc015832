import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import type { StoreData } from '../records.js';
import { ChunkedJsonFile } from './chunked-json-file.js';
import { FilePersistence } from './file-persistence.js';
import { lockStore, type StoreLock } from './lock.js';
import { replayLogs } from './log-replay.js';
import { memoryPersistence, type Persistence } from './persistence.js';
import { Store } from './store.js';

export type StoreOptions = {
  file?: string | undefined;
  seed: () => Promise<StoreData>;
  /** Compact (rewrite the snapshot, start a new log) once the log passes this size. Default 32 MiB. */
  compactAfterBytes?: number;
};

/**
 * Opens the store: in memory when no file is named; otherwise the lowdb snapshot file (created
 * and seeded when missing) brought up to date with its change logs. One lowdb instance per
 * file per process: two would share a temp file and corrupt it.
 */
export async function openStore({ file, seed, compactAfterBytes = 32 * 1024 * 1024 }: StoreOptions): Promise<Store> {
  if (!file) return new Store(await seed(), memoryPersistence);
  await mkdir(dirname(file), { recursive: true });
  const lock = await lockStore(file);
  try {
    return await openFileStore(file, seed, compactAfterBytes, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openFileStore(file: string, seed: () => Promise<StoreData>, compactAfterBytes: number, lock: StoreLock): Promise<Store> {
  const db = new Low<StoreData>(new ChunkedJsonFile(file), null as unknown as StoreData);
  try {
    await db.read();
  } catch (error) {
    throw new Error(
      `cannot read the sandbox store ${file}: ${(error as Error).message}. ` +
        'Move the file away to start from the seed, or pass --in-memory.',
    );
  }
  if (db.data === null || db.data === undefined) {
    db.data = { ...(await seed()), generation: 1 };
    await db.write();
  } else if (!isStoreData(db.data)) {
    throw new Error(
      `${file} is not a kapture-sandbox store (expected {version: 1, counters, keys, customers}). ` +
        'Point --db at another file, or move this one away.',
    );
  }
  let generation: number;
  try {
    generation = await replayLogs(file, db.data);
  } catch (error) {
    throw new Error(`cannot replay the change log of ${file}: ${(error as Error).message}. Move the store and its .log files away to start from the seed.`);
  }
  let store: Store | undefined;
  const persistence = new FilePersistence(db, file, generation, () => store!.data, compactAfterBytes);
  store = new Store(db.data, releasingOnClose(persistence, lock));
  return store;
}

/** The store's lock is released once its files are: closing the sandbox frees the store for the next one. */
function releasingOnClose(persistence: Persistence, lock: StoreLock): Persistence {
  return {
    kind: persistence.kind,
    append: (line) => persistence.append(line),
    rewrite: (data, exclusive) => persistence.rewrite(data, exclusive),
    flush: () => persistence.flush(),
    close: async () => {
      await persistence.close();
      await lock.release();
    },
  };
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
