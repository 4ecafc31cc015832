import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Journal, requestBodyOf, type Recorded } from '../src/journal.js';
import type { VerifyCriteria } from '../src/verify/criteria.js';
import { faultMatches, Matcher, partiallyEqual } from '../src/verify/match.js';

// The matcher bounds each entry's score from its raw bytes before parsing any body. Whatever the
// bodies and criteria, it must find what scoring every entry exactly finds: the same matches, the
// same near misses in the same order.

const OPERATIONS = ['addCustomer', 'searchCustomer'] as const;
// Few keys and values, mostly strings (what the raw bytes are searched for), so that criteria and
// bodies often meet.
const value = fc.oneof({ arbitrary: fc.constantFrom('272930', 'Réka', 'a"b', 'x\\y', '', '27293'), weight: 4 }, fc.integer({ min: 0, max: 3 }), fc.boolean());
const item = fc.dictionary(fc.constantFrom('customer_id', 'name'), fc.oneof({ arbitrary: value, weight: 3 }, fc.dictionary(fc.constantFrom('source', 'tag'), value, { maxKeys: 2 })), { maxKeys: 2 });
const body = fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 3 }));
/** How a client may have spelt the JSON: plainly, or with every non-ASCII-safe character escaped. */
const spelling = fc.boolean();
const request = fc.record({ operation: fc.constantFrom(...OPERATIONS), failed: fc.boolean(), body, escaped: spelling });
const criteria: fc.Arbitrary<VerifyCriteria> = fc.record(
  { operation: fc.constantFrom(...OPERATIONS), error: fc.constantFrom('none' as const, 'ServerFailure' as const), body: item },
  { requiredKeys: [] },
);

/** The JSON of `value`; `escaped`: every character of every string (keys too) written as \uXXXX. */
function encode(value: unknown, escaped: boolean): Buffer {
  const text = JSON.stringify(value);
  if (!escaped) return Buffer.from(text);
  const spelt = text.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => {
    const raw = JSON.parse(literal) as string;
    let out = '"';
    for (let i = 0; i < raw.length; i++) out += `\\u${raw.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return `${out}"`;
  });
  expect(JSON.parse(spelt)).toEqual(value);
  return Buffer.from(spelt);
}

/** Every entry scored exactly, as the criteria say, with no shortcut. */
function naive(entries: Recorded[], wanted: VerifyCriteria): { matching: number[]; nearMisses: number[] } {
  const leaves = (object: Record<string, unknown>, path: string[] = []): Array<[string[], unknown]> =>
    Object.entries(object).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 ? leaves(v as Record<string, unknown>, [...path, k]) : [[[...path, k], v] as [string[], unknown]],
    );
  const at = (v: unknown, path: string[]) => path.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null && !Array.isArray(o) && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), v);
  const scored = entries.map((entry) => {
    let met = 0;
    if (wanted.operation !== undefined && entry.operation === wanted.operation) met++;
    if (wanted.error !== undefined && (wanted.error === 'none' ? entry.error === undefined : entry.error === wanted.error)) met++;
    if (wanted.body !== undefined) {
      const sent = requestBodyOf(entry);
      const items = Array.isArray(sent) ? sent : [sent];
      met += Math.max(...items.map((i) => leaves(wanted.body!).filter(([path, v]) => partiallyEqual(v, at(i, path))).length));
    }
    return { id: entry.id, met };
  });
  const total = (wanted.operation ? 1 : 0) + (wanted.error ? 1 : 0) + (wanted.body ? leaves(wanted.body).length : 0);
  const close = scored.filter((s) => s.met < total && s.met > 0).sort((a, b) => b.met - a.met || b.id - a.id);
  return { matching: scored.filter((s) => s.met === total).map((s) => s.id), nearMisses: close.slice(0, 3).map((s) => s.id) };
}

describe('the verify matcher', () => {
  it('finds what scoring every entry exactly finds (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 25 }), criteria, (requests, wanted) => {
        const journal = new Journal(100);
        for (const sent of requests) {
          journal.record(
            {
              startedAt: 0,
              method: 'POST',
              path: '/x',
              shape: 'document',
              operation: sent.operation,
              requestBody: encode(sent.body, sent.escaped),
              response: { status: sent.failed ? 500 : 200, body: Buffer.from('{}') },
              ...(sent.failed ? { error: 'ServerFailure' as const } : {}),
              faults: [],
              warnings: [],
              durationMs: 1,
            },
            undefined,
          );
        }
        const entries = journal.entries();
        const found = new Matcher(wanted, undefined, undefined).search(entries);
        const expected = naive(entries, wanted);
        expect(found.matching.map((e) => e.id)).toEqual(expected.matching);
        expect(found.nearMisses.map((m) => m.entry.id)).toEqual(expected.nearMisses);
        for (const entry of entries) expect(new Matcher(wanted, undefined, undefined).matches(entry)).toBe(expected.matching.includes(entry.id));
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it('fault: a whole label, or one item of it, or an item by its name', () => {
    expect(faultMatches('rule-2:ServerFailure+latency=5', 'ServerFailure')).toBe(true);
    expect(faultMatches('rule-2:ServerFailure+latency=5', 'latency')).toBe(true);
    expect(faultMatches('rule-2:ServerFailure+latency=5', 'latency=5')).toBe(true);
    expect(faultMatches('rule-2:ServerFailure+latency=5', 'rule-2:ServerFailure+latency=5')).toBe(true);
    expect(faultMatches('header:connection=reset', 'connection')).toBe(true);
    expect(faultMatches('header:connection=reset', 'connection=close')).toBe(false);
    expect(faultMatches('rule-2:ServerFailure', 'Server')).toBe(false);
    expect(faultMatches('rule-2:ServerFailure', 'rule-2')).toBe(false);
  });
});
