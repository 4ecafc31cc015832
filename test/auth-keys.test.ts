import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findKey, keyDigest } from '../src/auth.js';
import type { KeyRecord } from '../src/records.js';

const sha256 = (key: string) => createHash('sha256').update(key).digest();

describe('key digests and lookup', () => {
  it('keyDigest is the SHA-256 of the key, whether memoized, evicted or too long to keep', () => {
    const keys = ['sandbox-key', 'k'.repeat(300), ...Array.from({ length: 600 }, (_, i) => `key-${i}`), 'sandbox-key', 'k'.repeat(300)];
    for (const key of keys) expect(keyDigest(key).equals(sha256(key)), key.slice(0, 20)).toBe(true);
  });

  it('findKey finds the record of the key sent, and only that one, after many other keys were sent', () => {
    const records: KeyRecord[] = [
      { key: 'sandbox-key', tenant: 396 },
      { key: 'other-key', tenant: 777 },
    ];
    for (let i = 0; i < 300; i++) expect(findKey(records, keyDigest(`random-${i}`))).toBeUndefined();
    expect(findKey(records, keyDigest('other-key'))?.tenant).toBe(777);
    expect(findKey(records, keyDigest('sandbox-key'))?.tenant).toBe(396);
    expect(findKey(records, keyDigest('sandbox-ke'))).toBeUndefined();
    expect(findKey(records, undefined)).toBeUndefined();
  });
});
