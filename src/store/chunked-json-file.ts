import { open, readFile, rename } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Adapter } from 'lowdb';
import type { StoreData } from '../records.js';

/** Customers serialized between two yields to the event loop: a few milliseconds of work. */
const CUSTOMERS_PER_CHUNK = 500;

/**
 * lowdb adapter for the store snapshot: one customer per line (readable, diffable), written in
 * chunks that yield to the event loop, so a 100k-customer snapshot never blocks requests for the
 * ~400 ms a single JSON.stringify of it takes. Written to a temp file and renamed into place:
 * a reader sees the old snapshot or the new one, never half of one.
 */
export class ChunkedJsonFile implements Adapter<StoreData> {
  constructor(private readonly file: string) {}

  async read(): Promise<StoreData | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return JSON.parse(text) as StoreData;
  }

  async write(data: StoreData): Promise<void> {
    // Taken before the first await: the snapshot holds at least everything committed before this
    // call. Customers added meanwhile are in the next log generation and replayed on top.
    const { customers, ...head } = data;
    const count = customers.length;
    const header = JSON.stringify({ ...head, customers: [] });
    const temp = `${this.file}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.write(`${header.slice(0, -']}'.length)}\n`);
      for (let start = 0; start < count; start += CUSTOMERS_PER_CHUNK) {
        const end = Math.min(start + CUSTOMERS_PER_CHUNK, count);
        const lines: string[] = [];
        for (let i = start; i < end; i++) lines.push(JSON.stringify(customers[i]));
        await handle.write(`${lines.join(',\n')}${end < count ? ',\n' : '\n'}`);
        await yieldToEventLoop();
      }
      await handle.write(']}\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}
