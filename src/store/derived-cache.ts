/**
 * Bytes derived from records (each customer's vendor JSON), bounded by their total size, not their
 * count: a client reading every customer of a large store would otherwise keep all of their JSON
 * (125 MB at 100k customers) on top of the store itself.
 *
 * Two generations: new entries go into the young one; when it holds half the budget it becomes the
 * old one and the previous old one is dropped. A hit in the old generation moves the entry back to
 * the young one, so what is read often stays, and nothing is ever cleared all at once. Memory stays
 * under the budget (plus one entry); lookups and inserts are O(1) with no bookkeeping per hit.
 */
export class DerivedCache<K extends object> {
  #young = new Map<K, Buffer>();
  #youngBytes = 0;
  #old = new Map<K, Buffer>();

  constructor(readonly budgetBytes: number) {}

  get(key: K): Buffer | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: K, bytes: Buffer): void {
    this.delete(key);
    if (this.#young.size > 0 && this.#youngBytes + bytes.length > this.budgetBytes / 2) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngBytes = 0;
    }
    this.#young.set(key, bytes);
    this.#youngBytes += bytes.length;
  }

  delete(key: K): void {
    const young = this.#young.get(key);
    if (young !== undefined) {
      this.#young.delete(key);
      this.#youngBytes -= young.length;
    }
    this.#old.delete(key);
  }

  clear(): void {
    this.#young = new Map();
    this.#youngBytes = 0;
    this.#old = new Map();
  }

  /** Bytes held by both generations (counted when asked: only the young one's size steers the cache). */
  get bytes(): number {
    let total = this.#youngBytes;
    for (const bytes of this.#old.values()) total += bytes.length;
    return total;
  }
}

/**
 * What the cache of customer JSON may hold: a one-day select over 1M customers reads 1.7 MB of it,
 * and repeated reads of a few weeks of days stay cached; reading every customer of a large store
 * cycles through it instead of growing the process by the store's whole JSON.
 */
const DERIVED_BUDGET_BYTES = 64 * 2 ** 20;
/**
 * A second way of presenting customers (today's, with `""` for unset fields, beside the document's)
 * gets a quarter of that: a sandbox serving both generations stays within 80 MiB of cached JSON.
 */
const OTHER_VIEW_BUDGET_BYTES = DERIVED_BUDGET_BYTES / 4;

/**
 * Views derived from records (a customer's vendor JSON bytes), one cache per way of presenting
 * them (unset fields omitted or `""`): DERIVED_BUDGET_BYTES for the first view asked for, a smaller
 * budget for another. A cache exists once its view is used. Bytes, not text: answers are assembled
 * by copying them, with no string to build and encode.
 */
export class DerivedViews<K extends object> {
  #caches = new Map<(record: K) => Buffer, DerivedCache<K>>();

  /** The view of `record`, computed once; `keep: false` uses a cached value but caches no new one. */
  get(record: K, compute: (record: K) => Buffer, keep: boolean): Buffer {
    let cache = this.#caches.get(compute);
    if (!cache) this.#caches.set(compute, (cache = new DerivedCache<K>(this.#caches.size === 0 ? DERIVED_BUDGET_BYTES : OTHER_VIEW_BUDGET_BYTES)));
    let bytes = cache.get(record);
    if (bytes === undefined) {
      bytes = compute(record);
      if (keep) cache.set(record, bytes);
    }
    return bytes;
  }

  /** Forgets every view of a record that changed. */
  drop(record: K): void {
    for (const cache of this.#caches.values()) cache.delete(record);
  }

  clear(): void {
    this.#caches.clear();
  }
}
