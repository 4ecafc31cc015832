import { open, rm, type FileHandle } from 'node:fs/promises';
import type { Low } from 'lowdb';
import type { ReadonlyStoreData, StoreData } from '../records.js';
import { logFile, logGenerations } from './log-replay.js';
import type { Persistence } from './persistence.js';

type Waiter = { resolve: () => void; reject: (error: Error) => void };

/**
 * The file store's durability: every change is appended to a log (one line per changed
 * customer), and the whole state is rewritten as a lowdb snapshot now and then (compaction),
 * off the request path. A commit costs one append whatever the store's size; concurrent commits
 * share one write (group commit). Rewrites start a new log generation first, so the snapshot and
 * the logs after it always add up to the state (see `replayLogs`).
 */
export class FilePersistence implements Persistence {
  readonly kind = 'file';
  #handle: FileHandle | undefined;
  #pending: string[] = [];
  #waiters: Waiter[] = [];
  /** The batch being written, if any. */
  #batch: Promise<void> | undefined;
  /** A reset or restore is being written: appends wait for it. */
  #exclusive = false;
  /** The log is switching to its next generation: appends wait a moment. */
  #rotating = false;
  #rewrites: Promise<void> = Promise.resolve();
  #compacting = false;
  #logBytes = 0;
  #idle: Array<() => void> = [];

  constructor(
    private readonly db: Low<StoreData>,
    private readonly file: string,
    private generation: number,
    /** The live state, for background compaction. */
    private readonly current: () => ReadonlyStoreData,
    private readonly compactAfterBytes: number,
  ) {}

  append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push(line);
      this.#waiters.push({ resolve, reject });
      this.#drain();
    });
  }

  flush(): Promise<void> {
    if (!this.#batch && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.#rewrites;
    await this.flush();
    await this.#handle?.close();
    this.#handle = undefined;
  }

  rewrite(data: ReadonlyStoreData, exclusive: boolean): Promise<void> {
    const run = this.#rewrites.then(() => this.#rewrite(data, exclusive));
    // A failed rewrite must not poison the next one; its caller sees the error.
    this.#rewrites = run.catch(() => undefined);
    return run;
  }

  async #rewrite(data: ReadonlyStoreData, exclusive: boolean): Promise<void> {
    if (exclusive) this.#exclusive = true;
    this.#rotating = true;
    try {
      await this.#batch;
      // From here on, appends go to the next generation's log.
      await this.#handle?.close();
      this.#handle = undefined;
      this.generation += 1;
      this.#logBytes = 0;
      this.#rotating = false;
      this.#drain();
      // The live state with this generation, without writing into the store's own object; lowdb
      // only serializes it (ChunkedJsonFile).
      this.db.data = { ...data, generation: this.generation } as StoreData;
      await this.db.write();
      for (const generation of await logGenerations(this.file)) {
        if (generation < this.generation) await rm(logFile(this.file, generation), { force: true });
      }
    } finally {
      this.#rotating = false;
      this.#exclusive = false;
      this.#drain();
    }
  }

  #drain(): void {
    if (this.#batch || this.#exclusive || this.#rotating) return;
    if (this.#pending.length === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    const records = this.#pending.splice(0);
    const waiters = this.#waiters.splice(0);
    this.#batch = this.#write(records, waiters).finally(() => {
      this.#batch = undefined;
      this.#compactIfDue();
      this.#drain();
    });
  }

  async #write(records: string[], waiters: Waiter[]): Promise<void> {
    try {
      this.#handle ??= await open(logFile(this.file, this.generation), 'a');
      const text = `${records.join('\n')}\n`;
      await this.#handle.write(text);
      this.#logBytes += Buffer.byteLength(text);
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error as Error);
    }
  }

  /** Background compaction once the log has grown: bounded start-up replay, bounded disk. */
  #compactIfDue(): void {
    if (this.#compacting || this.#logBytes < this.compactAfterBytes) return;
    this.#compacting = true;
    this.rewrite(this.current(), false)
      .catch((error: Error) => {
        process.stderr.write(`kapture-sandbox: compaction of ${this.file} failed (${error.message}); the log keeps every change and it will be tried again\n`);
      })
      .finally(() => {
        this.#compacting = false;
      });
  }
}
