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
  #oldBytes = 0;

  constructor(readonly budgetBytes: number) {}

  get(key: K): Buffer | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.#oldBytes -= old.length;
      this.set(key, old);
    }
    return old;
  }

  set(key: K, bytes: Buffer): void {
    this.delete(key);
    if (this.#young.size > 0 && this.#youngBytes + bytes.length > this.budgetBytes / 2) {
      this.#old = this.#young;
      this.#oldBytes = this.#youngBytes;
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
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.#oldBytes -= old.length;
    }
  }

  clear(): void {
    this.#young = new Map();
    this.#youngBytes = 0;
    this.#old = new Map();
    this.#oldBytes = 0;
  }

  /** Bytes held by both generations. */
  get bytes(): number {
    return this.#youngBytes + this.#oldBytes;
  }
}
