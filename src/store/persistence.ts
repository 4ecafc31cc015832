import type { ReadonlyStoreData } from '../records.js';

/**
 * Where the store makes its changes durable. Two implementations: in memory (nothing to do) and
 * the file store (a lowdb snapshot plus an append-only log).
 */
export interface Persistence {
  readonly kind: 'file' | 'memory';
  /** Appends one commit (a JSON text without newlines); resolves once it is written. */
  append(line: string): Promise<void>;
  /**
   * Writes the whole state anew. `exclusive`: nothing else is written until it is done (a reset or
   * restore, after which older records must never be replayed).
   */
  rewrite(data: ReadonlyStoreData, exclusive: boolean): Promise<void>;
  /** Resolves once everything appended so far is written. */
  flush(): Promise<void>;
  /** Writes what is pending and releases the files. */
  close(): Promise<void>;
}

export const memoryPersistence: Persistence = {
  kind: 'memory',
  append: () => Promise.resolve(),
  rewrite: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
