import { createHash } from 'node:crypto';
import type { ErrorCode } from './errors.js';
import type { OperationId } from './operations/ids.js';

/** Bodies up to this size are kept as JSON; larger or unparsable ones as a short text preview. */
const BODY_KEPT_BYTES = 8 * 1024;
const PREVIEW_CHARS = 512;

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

type Stored = { entry: JournalEntry; keyHash?: string };

/**
 * The vendor requests received, newest last, in a ring of `size` entries: memory stays bounded
 * however long the sandbox runs. Keys are kept only as a hash (for `?key=`) and a redacted form.
 */
export class Journal {
  #entries: Stored[] = [];
  #nextId = 1;

  constructor(readonly size: number) {}

  /** `digest`: the SHA-256 of `key` when the caller has it already (the vendor path does). */
  record(entry: Omit<JournalEntry, 'id' | 'key'>, key: string | undefined, digest?: Buffer): void {
    const keyHash = key === undefined ? undefined : (digest?.toString('hex') ?? hashKey(key));
    // Built in display order: the key (redacted) next to the tenant it belongs to.
    const head: Record<string, unknown> = { id: this.#nextId++, time: entry.time, method: entry.method, path: entry.path };
    if (entry.operation !== undefined) head.operation = entry.operation;
    if (entry.tenant !== undefined) head.tenant = entry.tenant;
    if (key !== undefined) head.key = redactKey(key, keyHash);
    const stored: Stored = { entry: Object.assign(head, entry) as JournalEntry };
    if (keyHash !== undefined) stored.keyHash = keyHash;
    this.#entries.push(stored);
    if (this.#entries.length > this.size) this.#entries.splice(0, this.#entries.length - this.size);
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const keyHash = filter.key === undefined ? undefined : hashKey(filter.key);
    const found = this.#entries
      .filter(({ entry, keyHash: hash }) => {
        if (filter.operation !== undefined && entry.operation !== filter.operation) return false;
        if (filter.error !== undefined && entry.error !== filter.error) return false;
        if (keyHash !== undefined && hash !== keyHash) return false;
        return filter.since === undefined || Date.parse(entry.time) >= filter.since;
      })
      .map(({ entry }) => entry);
    return filter.limit === undefined ? found : found.slice(-filter.limit);
  }

  clear(): number {
    const count = this.#entries.length;
    this.#entries = [];
    return count;
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `sand…#3f2a9c1e`: enough to tell keys apart in a journal, too little to use one. */
export function redactKey(key: string, hash = hashKey(key)): string {
  const shown = Math.min(4, Math.floor(key.length / 4));
  return `${key.slice(0, shown)}…#${hash.slice(0, 8)}`;
}

/**
 * A body as the journal keeps it: the JSON value when small, a truncated preview otherwise. Kept
 * as text and parsed only when the journal is read, so recording costs the request path nothing.
 */
export function journalBody(raw: string, bytes?: number): unknown {
  if (raw.length <= BODY_KEPT_BYTES) return new JournalBody(raw);
  // A fresh copy of the preview: a slice could keep the whole (up to 1 MiB) body alive.
  const preview = Buffer.from(raw.slice(0, PREVIEW_CHARS), 'utf8').toString('utf8');
  return { truncated: true, bytes: bytes ?? Buffer.byteLength(raw), preview };
}

/** A small body, kept as its text and parsed only when the journal is read. */
class JournalBody {
  constructor(private readonly raw: string) {}

  toJSON(): unknown {
    try {
      return this.raw === '' ? null : JSON.parse(this.raw);
    } catch {
      return { truncated: false, bytes: Buffer.byteLength(this.raw), preview: this.raw };
    }
  }
}
