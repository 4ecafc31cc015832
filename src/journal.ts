import { createHash } from 'node:crypto';
import type { ErrorCode } from './errors.js';
import type { OperationId } from './operations/ids.js';

/** Bodies up to this size are kept whole (shown as JSON); larger ones as a short text preview. */
const BODY_KEPT_BYTES = 8 * 1024;
const PREVIEW_BYTES = 512;

export type JournalEntry = {
  id: number;
  time: string;
  method: string;
  path: string;
  operation?: OperationId;
  /** The request's generation: the 2016 document's shapes, or today's. */
  shape: 'document' | 'current';
  tenant?: number;
  /** Redacted: never the key itself. */
  key?: string;
  request: { contentType?: string; body: unknown };
  /** Absent when a connection fault dropped the answer. */
  response?: { status: number; body: unknown };
  error?: ErrorCode;
  faults: string[];
  warnings: string[];
  durationMs: number;
};

export type JournalFilter = { operation?: string; key?: string; error?: string; since?: number; limit?: number; tenant?: number };

/** A body as the vendor path hands it over: its bytes, or how many bytes a refused oversized body declared. */
export type RecordedBody = Buffer | { tooLarge: true; declaredBytes: number | null };

/** One vendor exchange as the HTTP layer records it: raw values, formatted only when the journal is read. */
export type JournalRecord = {
  /** Epoch ms when the request arrived. */
  startedAt: number;
  method: string;
  path: string;
  operation?: OperationId;
  shape: 'document' | 'current';
  tenant?: number;
  contentType?: string;
  requestBody: RecordedBody;
  /**
   * Absent when a connection fault dropped the answer. `totalBytes`: set when `body` holds only the
   * first bytes of a longer (streamed) answer.
   */
  response?: { status: number; body: Buffer; totalBytes?: number };
  error?: ErrorCode;
  faults: readonly string[];
  warnings: readonly string[];
  durationMs: number;
};

/**
 * What the ring holds per request: one flat object whose bodies are Buffers (their bytes live
 * outside the JS heap), with strings shared between entries. Every entry outlives many young-
 * generation collections, so each byte of it is copied and promoted, then left for a full
 * collection: a journal of plain entries with string bodies cost a third of the search throughput,
 * and its churn grew the heap by ~100 MB under a select load.
 */
export type Recorded = {
  readonly id: number;
  readonly startedAt: number;
  readonly method: string;
  readonly path: string;
  readonly operation: OperationId | undefined;
  readonly shape: 'document' | 'current';
  readonly tenant: number | undefined;
  readonly contentType: string | undefined;
  /** The whole body, or its first PREVIEW_BYTES when `requestBytes` is set. */
  readonly requestBody: Buffer;
  /** Set when the request body was not kept whole: its size (null when a refused body declared none). */
  readonly requestBytes: number | null | undefined;
  readonly status: number | undefined;
  /** The whole answer, or its first PREVIEW_BYTES when `responseBytes` is set; absent with no answer. */
  readonly responseBody: Buffer | undefined;
  readonly responseBytes: number | undefined;
  readonly error: ErrorCode | undefined;
  readonly faults: readonly string[];
  readonly warnings: readonly string[];
  readonly durationMs: number;
  /** SHA-256 of the key sent (shared with the vendor path's digest cache): hex only when read. */
  readonly keyDigest: Buffer | undefined;
  /** The key's first characters (see redactKey), shared between entries. */
  readonly keyShown: string | undefined;
};

const NOTHING: readonly string[] = Object.freeze([]);
const NO_BYTES = Buffer.alloc(0);

/**
 * One copy of the strings entries repeat (content types, redacted key prefixes) instead of one per
 * request. Bounded: a client sending random values only makes it start over.
 */
class Interned {
  #strings = new Map<string, string>();

  get(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    if (this.#strings.size >= 256) this.#strings.clear();
    this.#strings.set(value, value);
    return value;
  }
}

/**
 * The vendor requests received, newest last, in a ring of `size` entries: memory stays bounded
 * however long the sandbox runs. Keys are kept only as a hash (for `?key=`) and a redacted form.
 */
export class Journal {
  #ring: Array<Recorded | undefined>;
  /** Index of the slot the next entry goes into. */
  #next = 0;
  #count = 0;
  #nextId = 1;
  #interned = new Interned();
  /** Told of every entry as it is stored (coverage counters, waiting verifies); replaced, never mutated. */
  #listeners: ReadonlyArray<(entry: Recorded) => void> = [];
  /** When the newest entry the ring overwrote arrived: a window from before it may be short. */
  #droppedUpTo = Number.NEGATIVE_INFINITY;

  constructor(readonly size: number) {
    this.#ring = new Array<Recorded | undefined>(size).fill(undefined);
  }

  /** `digest`: the SHA-256 of `key` when the caller has it already (the vendor path does). */
  record(record: JournalRecord, key: string | undefined, digest?: Buffer): void {
    const keyDigest = key === undefined ? undefined : (digest ?? createHash('sha256').update(key).digest());
    const sent = record.requestBody;
    const [requestBody, requestBytes] = Buffer.isBuffer(sent) ? kept(sent) : [NO_BYTES, sent.declaredBytes];
    const answered = record.response;
    const [responseBody, responseBytes] = answered === undefined ? [undefined, undefined] : kept(answered.body, answered.totalBytes);
    const overwritten = this.#ring[this.#next];
    if (overwritten !== undefined && overwritten.startedAt > this.#droppedUpTo) this.#droppedUpTo = overwritten.startedAt;
    const stored: Recorded = {
      id: this.#nextId++,
      startedAt: record.startedAt,
      method: this.#interned.get(record.method),
      path: this.#interned.get(record.path),
      operation: record.operation,
      shape: record.shape,
      tenant: record.tenant,
      contentType: record.contentType === undefined ? undefined : this.#interned.get(record.contentType),
      requestBody,
      requestBytes,
      status: answered?.status,
      responseBody,
      responseBytes,
      error: record.error,
      faults: record.faults.length === 0 ? NOTHING : record.faults,
      warnings: record.warnings.length === 0 ? NOTHING : record.warnings,
      durationMs: record.durationMs,
      keyDigest,
      keyShown: key === undefined ? undefined : this.#interned.get(key.slice(0, shownChars(key))),
    };
    this.#ring[this.#next] = stored;
    this.#next = (this.#next + 1) % this.size;
    if (this.#count < this.size) this.#count++;
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(stored);
  }

  /** Calls `listener` with each entry as it is stored, until the returned function is called. */
  subscribe(listener: (entry: Recorded) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((known) => known !== listener);
    };
  }

  /** The entries held, oldest first, as stored (present them with presentEntry). */
  entries(): Recorded[] {
    const held: Recorded[] = [];
    for (let i = 0; i < this.#count; i++) held.push(this.#ring[(this.#next - this.#count + i + this.size) % this.size]!);
    return held;
  }

  /** Whether the ring overwrote an entry that arrived at or after `time` (epoch ms). */
  droppedSince(time: number): boolean {
    return this.#droppedUpTo >= time;
  }

  /** Removes one tenant's entries, keeping the others' in order. */
  clearTenant(tenant: number): number {
    const kept = this.entries().filter((entry) => entry.tenant !== tenant);
    const removed = this.#count - kept.length;
    this.#ring.fill(undefined);
    kept.forEach((entry, index) => (this.#ring[index] = entry));
    this.#count = kept.length;
    this.#next = kept.length % this.size;
    return removed;
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const keyHash = filter.key === undefined ? undefined : hashKey(filter.key);
    const found: Recorded[] = [];
    for (const stored of this.entries()) {
      if (filter.tenant !== undefined && stored.tenant !== filter.tenant) continue;
      if (filter.operation !== undefined && stored.operation !== filter.operation) continue;
      if (filter.error !== undefined && stored.error !== filter.error) continue;
      if (keyHash !== undefined && stored.keyDigest?.toString('hex') !== keyHash) continue;
      if (filter.since !== undefined && stored.startedAt < filter.since) continue;
      found.push(stored);
    }
    const shown = filter.limit === undefined ? found : found.slice(-filter.limit);
    return shown.map(presentEntry);
  }

  clear(): number {
    const count = this.#count;
    this.#ring.fill(undefined);
    this.#count = 0;
    this.#next = 0;
    return count;
  }
}

/** The public form of an entry, in display order: the key (redacted) next to the tenant it belongs to. */
export function presentEntry(stored: Recorded): JournalEntry {
  const entry: Partial<JournalEntry> = { id: stored.id, time: new Date(stored.startedAt).toISOString(), method: stored.method, path: stored.path };
  if (stored.operation !== undefined) entry.operation = stored.operation;
  entry.shape = stored.shape;
  if (stored.tenant !== undefined) entry.tenant = stored.tenant;
  if (stored.keyDigest !== undefined) entry.key = redacted(stored.keyShown ?? '', stored.keyDigest.toString('hex'));
  const requestBody = requestBodyOf(stored);
  entry.request = stored.contentType === undefined ? { body: requestBody } : { contentType: stored.contentType, body: requestBody };
  if (stored.status !== undefined && stored.responseBody !== undefined) entry.response = { status: stored.status, body: bodyValue(stored.responseBody, stored.responseBytes) };
  if (stored.error !== undefined) entry.error = stored.error;
  entry.faults = [...stored.faults];
  entry.warnings = [...stored.warnings];
  entry.durationMs = Math.round(stored.durationMs * 10) / 10;
  return entry as JournalEntry;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function shownChars(key: string): number {
  return Math.min(4, Math.floor(key.length / 4));
}

/** `sand…#3f2a9c1e`: enough to tell keys apart in a journal, too little to use one. */
export function redactKey(key: string, hash = hashKey(key)): string {
  return redacted(key.slice(0, shownChars(key)), hash);
}

/** The redacted form from the key's shown characters and its SHA-256 in hex. */
function redacted(shown: string, hashHex: string): string {
  return `${shown}…#${hashHex.slice(0, 8)}`;
}

/** The request body as the journal shows it: its JSON value, or a preview. */
export function requestBodyOf(stored: Recorded): unknown {
  return bodyValue(stored.requestBody, stored.requestBytes);
}

/**
 * A small body is kept whole; a large one as a copy of its first bytes and its size, so the ring
 * never holds megabytes (the copy lets the body itself be freed).
 */
function kept(bytes: Buffer, totalBytes = bytes.length): [Buffer, number | undefined] {
  if (totalBytes <= BODY_KEPT_BYTES && totalBytes === bytes.length) return [bytes, undefined];
  return [Buffer.from(bytes.subarray(0, PREVIEW_BYTES)), totalBytes];
}

/**
 * The JSON value of a body kept whole (null when empty; a preview when it is not JSON), or
 * `{truncated, bytes, preview}` for one kept as its first bytes.
 */
function bodyValue(body: Buffer, truncatedBytes: number | null | undefined): unknown {
  const text = body.toString('utf8');
  if (truncatedBytes !== undefined) return { truncated: true, bytes: truncatedBytes, preview: text };
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return { truncated: false, bytes: body.length, preview: text };
  }
}
