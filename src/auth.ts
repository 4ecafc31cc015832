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
  const basic = authorization === undefined ? undefined : /^basic (.*)$/is.exec(authorization)?.[1];
  if (basic) return basic;
  const apiKey = headers['x-api-key'];
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return value || undefined;
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

/** Compares digests in constant time, over every key, so timing says nothing about near misses. */
export function findKey(keys: readonly KeyRecord[], key: string | undefined): KeyRecord | undefined {
  if (key === undefined) return undefined;
  const wanted = digest(key);
  let match: KeyRecord | undefined;
  for (const record of keys) {
    if (timingSafeEqual(digest(record.key), wanted) && !match) match = record;
  }
  return match;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
