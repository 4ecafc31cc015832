import { describe, expect, it } from 'vitest';
import { addedId, expectVendorFailure, post, searchCustomer, VENDOR } from './helpers/http.js';
import { expectNothingStored, expectOneStored, unique, VALID, warningsOf, url, useBadInputSandbox } from './helpers/bad-input.js';

/**
 * Bad input on the vendor surface: every bad request gets a vendor-shaped answer
 * that says what is wrong, nothing is stored, and the sandbox keeps serving.
 * This file: long and unicode values, long unknown keys, deeply nested values.
 */

useBadInputSandbox();

describe('long strings and unicode are stored and answered intact', () => {
  const values: Array<[string, string]> = [
    ['a 100,000-character name', 'A'.repeat(100_000)],
    ['a 100,000-character Devanagari name', 'क'.repeat(100_000)],
    ['Devanagari', 'राहुल शर्मा'],
    ['emoji and astral characters', '😀 👩🏽‍💻 🇮🇳 𝕂𝕒𝕡𝕥𝕦𝕣𝕖'],
    ['combining characters (NFD, not normalized)', 'Jose\u0301 Z\u0364\u0311\u0313a\u0308'],
    ['the same accent precomposed (NFC)', 'Jos\u00e9'],
    ['right-to-left text with a mark', 'مرحبا بالعالم \u200fעברית'],
    ['JSON escapes and control characters', 'a"b\\c/\u0000\u0007\t\n\u2028\u2029'],
    ['a lone surrogate', 'x\ud800y'],
    ['mixed scripts', 'Ünïcödé ✓ ∑ 中文 ☃'],
  ];

  it.each(values)('%s', async (_label, value) => {
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name: value, city: value, address: value }));
    const id = addedId(answer);
    expect(answer.headers.get('x-sandbox-warnings')).toBeNull();
    const search = await post(url, VENDOR.search, { customer_id: id });
    const customer = search.json.message[0] as Record<string, unknown>;
    expect(customer.name).toBe(value);
    expect(customer.city).toBe(value);
    expect(customer.address).toBe(value);
    expect((customer.contacts as Array<Record<string, unknown>>)[0]!.contactPerson).toBe(value);
    // Byte for byte: the answer carries exactly the JSON encoding of the value, in UTF-8.
    expect(search.bytes.includes(Buffer.from(`"name":${JSON.stringify(value)},`, 'utf8'))).toBe(true);
    expect(search.headers.get('content-type')).toMatch(/charset=utf-8/i);
  });
});

describe('regression: a long unknown key made the warnings header too big for clients (UND_ERR_HEADERS_OVERFLOW)', () => {
  const manyKeys = (count: number, length: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}_${'x'.repeat(length)}`, 1]));
  const bodies: Array<[string, Record<string, unknown>]> = [
    ['one 20,000-character unknown key', { ['x'.repeat(20_000)]: 1 }],
    ['25 unknown keys of 1,000 characters', manyKeys(25, 1000)],
    ['one 3,000-character Devanagari unknown key (escaped in the header)', { ['न'.repeat(3000)]: 1 }],
    ['50,000 short unknown keys', manyKeys(50_000, 0)],
  ];

  // The warnings header must stay readable by an ordinary HTTP client (Node's limit for all
  // headers together is 16 KiB): "short ASCII messages".
  it.each(bodies)('%s: success, and a bounded warnings header a client can read', async (_label, extra) => {
    const name = unique('Unknown keys');
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name, ...extra }));
    const id = addedId(answer);
    const warnings = warningsOf(answer);
    expect(warnings).toContain('unknown field "');
    expect(warnings.length).toBeLessThanOrEqual(8192);
    expect(warnings).toMatch(/^[\x20-\x7e]*$/);
    expect((await searchCustomer(url, id)).name).toBe(name);
  });

  it('a key with CR LF cannot inject a header: it is escaped in the warning', async () => {
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name: unique('CRLF'), 'a\r\nX-Injected: 1': 1 }));
    addedId(answer);
    expect(answer.headers.get('x-injected')).toBeNull();
    expect(warningsOf(answer)).toMatch(/unknown field "a\S*X-Injected: 1" ignored/);
    expect(warningsOf(answer)).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('regression: a deeply nested value crashed the bad-value snippet (HTTP 500 instead of a field error)', () => {
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const fields = '"email":"deep@example.com","phone":"9876543210"';

  const optional: Array<[string, string, string]> = [
    ['an optional field (city)', `{"name":"Deep optional",${fields},"city":${deep(10_000)}}`, 'field "city" ignored'],
    ['an optional field (zone)', `{"name":"Deep zone",${fields},"zone":${deep(10_000)}}`, 'field "zone" ignored'],
    ['an unknown key', `{"name":"Deep unknown",${fields},"deep":${deep(10_000)}}`, 'unknown field "deep" ignored'],
  ];

  it.each(optional)('10,000 levels in %s: success with a warning', async (_label, body, warning) => {
    const answer = await expectOneStored(() => post(url, VENDOR.add, body, { raw: true }));
    const id = addedId(answer);
    expect(warningsOf(answer)).toContain(warning);
    expect(Object.keys(await searchCustomer(url, id))).not.toContain('city');
  });

  const mandatory: Array<[string, string, string]> = [
    ['name', `{"name":${deep(10_000)},${fields}}`, VENDOR.add],
    ['phone', `{"name":"Deep","email":"deep@example.com","phone":${deep(10_000)}}`, VENDOR.add],
    ['customer_id', `{"customer_id":${deep(10_000)}}`, VENDOR.search],
  ];

  it.each(mandatory)('10,000 levels in the mandatory field %s: ReqFieldMissing malformed, not a ServerFailure', async (field, body, path) => {
    const answer = await expectNothingStored(() => post(url, path, body, { raw: true }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toMatch(new RegExp(`^Mandatory field malformed: ${field} `));
  });
});
