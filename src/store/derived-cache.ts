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
