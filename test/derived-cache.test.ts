import { describe, expect, it } from 'vitest';
import { DerivedCache } from '../src/store/derived-cache.js';

const bytes = (size: number, fill = 1) => Buffer.alloc(size, fill);

describe('the derived-bytes cache', () => {
  it('never holds more than its budget, however many entries go through it', () => {
    const cache = new DerivedCache<object>(10_000);
    const keys = Array.from({ length: 1_000 }, () => ({}));
    for (const key of keys) {
      cache.set(key, bytes(700));
      expect(cache.bytes).toBeLessThanOrEqual(10_000 + 700);
    }
    // The newest entries are still there; the oldest are gone.
    expect(cache.get(keys.at(-1)!)).toBeDefined();
    expect(cache.get(keys[0]!)).toBeUndefined();
  });

  it('keeps an entry that is read again while newer ones arrive (a hit in the old generation moves it back)', () => {
    const cache = new DerivedCache<object>(4_000);
    const hot = {};
    cache.set(hot, bytes(100, 7));
    for (let i = 0; i < 200; i++) {
      cache.set({}, bytes(100));
      expect(cache.get(hot)?.[0]).toBe(7);
    }
    const cold = {};
    cache.set(cold, bytes(100));
    for (let i = 0; i < 200; i++) cache.set({}, bytes(100));
    expect(cache.get(cold)).toBeUndefined();
  });

  it('delete and clear drop entries and their bytes; set replaces', () => {
    const cache = new DerivedCache<object>(1_000_000);
    const a = {};
    const b = {};
    cache.set(a, bytes(10));
    cache.set(b, bytes(20));
    cache.set(a, bytes(30, 3));
    expect(cache.bytes).toBe(50);
    expect(cache.get(a)?.length).toBe(30);
    cache.delete(a);
    expect(cache.get(a)).toBeUndefined();
    expect(cache.bytes).toBe(20);
    cache.clear();
    expect(cache.get(b)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('an entry larger than half the budget is still cached (alone in its generation)', () => {
    const cache = new DerivedCache<object>(100);
    const big = {};
    cache.set(big, bytes(80));
    expect(cache.get(big)?.length).toBe(80);
  });
});
