import type { IncomingHttpHeaders } from 'node:http';

/**
 * Answers to reads (search, select, today's Get Customer and pull), kept for the same request
 * while nothing changed: a client that repeats a lookup (a load test, a polling job, a test suite
 * asking for the same customer) gets the bytes computed the first time, and the vendor path skips
 * parsing, routing, the key, the field rules and the lookup. Every request is still journaled,
 * counted and subject to faults.
 *
 * Exact, not time-based: the cache is tagged with the store's version, which every change of a
 * customer or a key moves, and is emptied whole when it moved. A request is looked up only when no
 * fault rule exists and it carries no X-Sandbox-Fault (faults decide per request); an answer is
 * kept only when it cannot depend on the clock (the key has no expiry) and was not streamed.
 */
export type CachedAnswer = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: Buffer;
  readonly operation: 'searchCustomer' | 'selectCustomers';
  readonly shape: 'document' | 'current';
  readonly tenant: number | undefined;
  readonly warnings: readonly string[];
  readonly key: string | undefined;
  readonly keyDigest: Buffer | undefined;
};

/** Requests whose body is longer are not looked up (their key would be as long). */
const MAX_BODY_BYTES = 1024;

export class AnswerCache {
  #entries = new Map<string, CachedAnswer>();
  #bytes = 0;
  #version = -1;

  /**
   * @param maxEntries how many answers are kept; past it the cache starts over (a client cycling
   *   through more distinct requests than that gains nothing from it, and pays one Map lookup).
   * @param maxBytes the bytes of answers kept, so large selects cannot hold much memory.
   * @param maxAnswerBytes a larger answer is not kept.
   */
  constructor(
    private readonly maxEntries = 4096,
    private readonly maxBytes = 16 * 2 ** 20,
    private readonly maxAnswerBytes = 64 * 1024,
  ) {}

  /** The key of a request, or undefined when it is not one to look up. */
  keyOf(path: string, headers: IncomingHttpHeaders, body: Buffer): string | undefined {
    if (body.length > MAX_BODY_BYTES) return undefined;
    const authorization = headers.authorization ?? '';
    const apiKey = headers['x-api-key'];
    const contentType = headers['content-type'];
    // Everything an answer depends on besides the store: the URL, the key headers, the content type
    // (its absence warns), the body's exact bytes. NUL cannot occur in header values.
    return `${path}\0${authorization}\0${typeof apiKey === 'string' ? apiKey : String(apiKey ?? '')}\0${contentType ?? '\u0001'}\0${body.toString('latin1')}`;
  }

  get(version: number, key: string): CachedAnswer | undefined {
    if (version !== this.#version) {
      this.#clear(version);
      return undefined;
    }
    return this.#entries.get(key);
  }

  set(version: number, key: string, answer: CachedAnswer): void {
    if (answer.bytes.length > this.maxAnswerBytes) return;
    if (version !== this.#version) this.#clear(version);
    if (this.#entries.size >= this.maxEntries || this.#bytes + answer.bytes.length > this.maxBytes) this.#clear(version);
    this.#entries.set(key, answer);
    this.#bytes += answer.bytes.length;
  }

  get size(): number {
    return this.#entries.size;
  }

  #clear(version: number): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#version = version;
  }
}
