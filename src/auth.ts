import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { VendorError } from './errors.js';
import type { OperationId } from './operations/ids.js';
import type { KeyRecord } from './records.js';

/**
 * The key a request carries: everything after `Basic ` in Authorization (an opaque token, compared
 * exactly, as Kapture does), else `x-api-key`. Undefined when neither carries one.
 */
export function requestKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined && authorization.length > BASIC.length && isBasic(authorization)) return authorization.slice(BASIC.length);
  const apiKey = headers['x-api-key'];
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return value || undefined;
}

const BASIC = 'basic ';

/** Whether the header starts with `Basic ` in any case (compared in place: this runs on every request). */
function isBasic(authorization: string): boolean {
  for (let i = 0; i < BASIC.length; i++) {
    const code = authorization.charCodeAt(i);
    // ASCII letters compare with their lowercase (| 0x20); the space must be a space.
    if ((i === 5 ? code : code | 0x20) !== BASIC.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Checks a key for `operation`: `record` is what `findKey` found for the key sent (if any).
 * Answers the key record, or throws the vendor failure Kapture answers instead.
 */
export function authorize(record: KeyRecord | undefined, sent: string | undefined, operation: OperationId, now: Date): KeyRecord {
  if (sent === undefined) {
    throw new VendorError('AuthKeyInvalid', undefined, 'no key sent: use "Authorization: Basic <key>" (or "x-api-key: <key>"), e.g. the default sandbox-key');
  }
  if (!record) {
    throw new VendorError('AuthKeyInvalid', undefined, 'unknown key: list the keys with GET /__sandbox/keys');
  }
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now.getTime()) {
    throw new VendorError('APIExpired', undefined, `the key expired at ${record.expiresAt}`);
  }
  if (record.operations && !record.operations.includes(operation)) {
    throw new VendorError(
      'AuthKeyInvalid',
      undefined,
      `the key is not granted ${operation} (it has: ${record.operations.join(', ')})`,
    );
  }
  return record;
}

/** Digests of the stored keys, computed once per key record (records are replaced, never edited). */
const storedDigests = new WeakMap<KeyRecord, Buffer>();

/**
 * The record of the key sent, comparing SHA-256 digests in constant time over every key, so
 * timing says nothing about near misses. `sent` is `keyDigest(key)` of the request's key.
 */
export function findKey(keys: readonly KeyRecord[], sent: Buffer | undefined): KeyRecord | undefined {
  if (sent === undefined) return undefined;
  let match: KeyRecord | undefined;
  for (const record of keys) {
    let stored = storedDigests.get(record);
    if (!stored) storedDigests.set(record, (stored = keyDigest(record.key)));
    if (timingSafeEqual(stored, sent) && !match) match = record;
  }
  return match;
}

/**
 * Digests of recently sent keys: a client sends the same key on every request, and hashing it was
 * a twentieth of the search path's time. Bounded (and cleared whole when full) so a client cycling
 * through random keys cannot grow it; long keys are not kept. A hit only says this exact string was
 * sent before, which a caller who knows the string learns from the answer anyway.
 */
const recentDigests = new Map<string, Buffer>();
const RECENT_DIGESTS_MAX = 256;
const RECENT_DIGEST_KEY_MAX_LENGTH = 256;

export function keyDigest(key: string): Buffer {
  const known = recentDigests.get(key);
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(key).digest();
  if (key.length <= RECENT_DIGEST_KEY_MAX_LENGTH) {
    if (recentDigests.size >= RECENT_DIGESTS_MAX) recentDigests.clear();
    recentDigests.set(key, digest);
  }
  return digest;
}
