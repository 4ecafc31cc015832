import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Counters, CustomerRecord, DeepReadonly, KeyRecord } from './records.js';

/** What a snapshot holds: the state QA prepares once and returns to between scenarios. */
export type SnapshotData = { customers: CustomerRecord[]; counters: Counters; keys: KeyRecord[] };
export type SnapshotInfo = { name: string; createdAt: string; customers: number };

/** Letters, digits, `-` and `_`: a name can never be a path. */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_SNAPSHOTS = 50;

export function isSnapshotName(name: string): boolean {
  return NAME.test(name);
}

/**
 * Named snapshots: in memory, or (with a file store) one JSON file each in a folder beside the
 * store, so they survive restarts. Names are validated before they come near a path.
 */
export class Snapshots {
  /** Every snapshot's info; its data too when in memory (on disk, data is read on restore only). */
  #index = new Map<string, SnapshotInfo & { data?: SnapshotData }>();

  private constructor(private readonly dir: string | undefined) {}

  static async open(dir: string | undefined): Promise<Snapshots> {
    const snapshots = new Snapshots(dir);
    if (dir) {
      await mkdir(dir, { recursive: true });
      for (const file of await readdir(dir)) {
        const name = file.slice(0, -'.json'.length);
        if (!file.endsWith('.json') || !isSnapshotName(name)) continue;
        const { createdAt, customers } = (await snapshots.#read(name))!;
        snapshots.#index.set(name, { name, createdAt, customers });
      }
    }
    return snapshots;
  }

  list(): SnapshotInfo[] {
    return [...this.#index.values()]
      .map(({ name, createdAt, customers }) => ({ name, createdAt, customers }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  has(name: string): boolean {
    return this.#index.has(name);
  }

  get size(): number {
    return this.#index.size;
  }

  /** Keeps a copy of `data` (the store's live state: it is read, never kept or changed). */
  async save(name: string, data: DeepReadonly<SnapshotData>, now: Date): Promise<SnapshotInfo> {
    assertName(name);
    const info: SnapshotInfo = { name, createdAt: now.toISOString(), customers: data.customers.length };
    if (this.dir) {
      const file = join(this.dir, `${name}.json`);
      await writeFile(`${file}.tmp`, JSON.stringify({ ...info, data }));
      await rename(`${file}.tmp`, file);
      this.#index.set(name, info);
    } else {
      this.#index.set(name, { ...info, data: structuredClone(data) as SnapshotData });
    }
    return info;
  }

  /** The snapshot's data, a fresh copy (restoring twice never shares objects). */
  async data(name: string): Promise<SnapshotData | undefined> {
    assertName(name);
    const entry = this.#index.get(name);
    if (!entry) return undefined;
    if (entry.data) return structuredClone(entry.data);
    return (await this.#read(name))?.data;
  }

  async remove(name: string): Promise<boolean> {
    assertName(name);
    if (!this.#index.delete(name)) return false;
    if (this.dir) await rm(join(this.dir, `${name}.json`), { force: true });
    return true;
  }

  async #read(name: string): Promise<(SnapshotInfo & { data: SnapshotData }) | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir!, `${name}.json`), 'utf8')) as SnapshotInfo & { data: SnapshotData };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

function assertName(name: string): void {
  // Callers validate first and answer a 400; reaching here with a bad name is a bug, not input.
  if (!isSnapshotName(name)) throw new Error(`invalid snapshot name ${JSON.stringify(name)}`);
}
