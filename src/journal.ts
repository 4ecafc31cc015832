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

export type JournalFilter = { operation?: string; key?: string; error?: string; since?: number; limit?: number };

/** A body as the vendor path hands it over: its bytes, or how many bytes a refused oversized body declared. */
export type RecordedBody = Buffer | { tooLarge: true; declaredBytes: number | null };

/** One vendor exchange as the HTTP layer records it: raw values, formatted only when the journal is read. */
export type JournalRecord = {
  /** Epoch ms when the request arrived. */
  startedAt: number;
  method: string;
  path: string;
  operation?: OperationId;
  tenant?: number;
  contentType?: string;
  requestBody: RecordedBody;
  /** Absent when a connection fault dropped the answer. */
  response?: { status: number; body: Buffer };
  error?: ErrorCode;
  faults: string[];
  warnings: string[];
  durationMs: number;
};

/**
 * What the ring holds per request: one flat object whose bodies are Buffers (their bytes live
 * outside the JS heap) or short previews. A journal of plain entries with string bodies made every
 * request leave ~a dozen heap objects and two body strings alive for a thousand requests, which the
 * garbage collector copied and promoted: that cost a third of the search throughput.
 */
class Recorded {
  readonly startedAt: number;
  readonly method: string;
  readonly path: string;
  readonly operation: OperationId | undefined;
  readonly tenant: number | undefined;
  readonly contentType: string | undefined;
  readonly status: number | undefined;
  readonly error: ErrorCode | undefined;
  readonly faults: string[];
  readonly warnings: string[];
  readonly durationMs: number;

  // The record's own bodies are not kept: a large one (a select answer can be megabytes) stays
  // only as its preview.
  constructor(
    readonly id: number,
    record: JournalRecord,
    readonly requestBody: Buffer | TruncatedBody,
    readonly responseBody: Buffer | TruncatedBody | undefined,
    /** SHA-256 of the key sent (shared with the vendor path's digest cache): hex only when read. */
    readonly keyDigest: Buffer | undefined,
    readonly keyShown: string | undefined,
  ) {
    this.startedAt = record.startedAt;
    this.method = record.method;
    this.path = record.path;
    this.operation = record.operation;
    this.tenant = record.tenant;
    this.contentType = record.contentType;
    this.status = record.response?.status;
    this.error = record.error;
    this.faults = record.faults;
    this.warnings = record.warnings;
    this.durationMs = record.durationMs;
  }
}

type TruncatedBody = { truncated: true; bytes: number | null; preview: string };

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

  constructor(readonly size: number) {
    this.#ring = new Array<Recorded | undefined>(size).fill(undefined);
  }

  /** `digest`: the SHA-256 of `key` when the caller has it already (the vendor path does). */
  record(record: JournalRecord, key: string | undefined, digest?: Buffer): void {
    const keyDigest = key === undefined ? undefined : (digest ?? createHash('sha256').update(key).digest());
    const requestBody = Buffer.isBuffer(record.requestBody)
      ? keptBody(record.requestBody)
      : { truncated: true as const, bytes: record.requestBody.declaredBytes, preview: '' };
    const responseBody = record.response === undefined ? undefined : keptBody(record.response.body);
    const shown = key === undefined ? undefined : key.slice(0, shownChars(key));
    this.#ring[this.#next] = new Recorded(this.#nextId++, record, requestBody, responseBody, keyDigest, shown);
    this.#next = (this.#next + 1) % this.size;
    if (this.#count < this.size) this.#count++;
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const keyHash = filter.key === undefined ? undefined : hashKey(filter.key);
    const found: Recorded[] = [];
    for (let i = 0; i < this.#count; i++) {
      const stored = this.#ring[(this.#next - this.#count + i + this.size) % this.size]!;
      if (filter.operation !== undefined && stored.operation !== filter.operation) continue;
      if (filter.error !== undefined && stored.error !== filter.error) continue;
      if (keyHash !== undefined && stored.keyDigest?.toString('hex') !== keyHash) continue;
      if (filter.since !== undefined && stored.startedAt < filter.since) continue;
      found.push(stored);
    }
    const shown = filter.limit === undefined ? found : found.slice(-filter.limit);
    return shown.map(present);
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
function present(stored: Recorded): JournalEntry {
  const entry: Partial<JournalEntry> = { id: stored.id, time: new Date(stored.startedAt).toISOString(), method: stored.method, path: stored.path };
  if (stored.operation !== undefined) entry.operation = stored.operation;
  if (stored.tenant !== undefined) entry.tenant = stored.tenant;
  if (stored.keyDigest !== undefined) entry.key = `${stored.keyShown ?? ''}…#${stored.keyDigest.toString('hex', 0, 4)}`;
  const requestBody = bodyValue(stored.requestBody);
  entry.request = stored.contentType === undefined ? { body: requestBody } : { contentType: stored.contentType, body: requestBody };
  if (stored.status !== undefined && stored.responseBody !== undefined) entry.response = { status: stored.status, body: bodyValue(stored.responseBody) };
  if (stored.error !== undefined) entry.error = stored.error;
  entry.faults = [...stored.faults];
  entry.warnings = [...stored.warnings];
  entry.durationMs = Math.round(stored.durationMs * 10) / 10;
  return entry as JournalEntry;
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function shownChars(key: string): number {
  return Math.min(4, Math.floor(key.length / 4));
}

/** `sand…#3f2a9c1e`: enough to tell keys apart in a journal, too little to use one. */
export function redactKey(key: string, hash = hashKey(key)): string {
  return `${key.slice(0, shownChars(key))}…#${hash.slice(0, 8)}`;
}

/** A small body is kept as its bytes; a large one as a preview, so the ring never holds megabytes. */
function keptBody(bytes: Buffer): Buffer | TruncatedBody {
  if (bytes.length <= BODY_KEPT_BYTES) return bytes;
  return { truncated: true, bytes: bytes.length, preview: bytes.toString('utf8', 0, PREVIEW_BYTES) };
}

/** The JSON value of a kept body (null when empty), or a preview when it is not JSON. */
function bodyValue(body: Buffer | TruncatedBody): unknown {
  if (!Buffer.isBuffer(body)) return { ...body };
  const text = body.toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return { truncated: false, bytes: body.length, preview: text };
  }
}
