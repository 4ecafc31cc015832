import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../src/index.js';
import {
  addedId,
  customerCount,
  expectVendorFailure,
  post,
  rawHttp,
  request,
  searchCustomer,
  searchText,
  VENDOR,
  VENDOR_PATHS,
  type Answer,
} from './helpers/http.js';

/**
 * Bad input on the vendor surface: every bad request gets a vendor-shaped answer
 * that says what is wrong, nothing is stored, and the sandbox keeps serving.
 */

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let url: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true, seed: 1, customers: 5, now: () => new Date('2026-11-29T06:30:00.000Z') });
  url = sandbox.url;
});
afterAll(async () => {
  await sandbox?.close();
});

const VALID = { name: 'Asha Rao', email: 'asha@example.com', phone: '9876543210' };
const CONTACT = { customer_id: '272930', name: 'Ravi', email: 'ravi@example.com', phone: '9876500000' };
/** Customers whose search answer must never change in this file (no test updates them successfully). */
const WATCHED = [272930, 286829];
const MiB = 1024 * 1024;

let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;

/** The sandbox still answers a valid search with the right customer. */
async function expectServing(): Promise<void> {
  const answer = await post(url, VENDOR.search, { customer_id: '287230' });
  expect(answer.status).toBe(200);
  expect(answer.json?.status).toBe('success');
  expect(answer.json.message[0].id).toBe(287230);
}

/**
 * Runs `act` and checks that nothing was stored: the customer count, and the search answers of the
 * watched customers byte for byte; then that the sandbox still serves.
 */
async function expectNothingStored<T>(act: () => Promise<T>): Promise<T> {
  const count = await customerCount(url);
  const before = await Promise.all(WATCHED.map((id) => searchText(url, id)));
  const result = await act();
  expect(await customerCount(url), 'customer count changed').toBe(count);
  const after = await Promise.all(WATCHED.map((id) => searchText(url, id)));
  WATCHED.forEach((id, index) => expect(after[index], `search answer of ${id} changed`).toBe(before[index]));
  await expectServing();
  return result;
}

/** Runs `act` (a successful add) and checks exactly one customer more is stored. */
async function expectOneStored(act: () => Promise<Answer>): Promise<Answer> {
  const count = await customerCount(url);
  const answer = await act();
  expect(await customerCount(url)).toBe(count + 1);
  return answer;
}

const warningsOf = (answer: Answer) => answer.headers.get('x-sandbox-warnings') ?? '';

/** Every column with every row: `[column, ...row]`. */
function cross<A extends unknown[], B>(rows: A[], columns: readonly B[]): Array<[B, ...A]> {
  return columns.flatMap((column) => rows.map((row): [B, ...A] => [column, ...row]));
}

describe('bodies that never reach an operation answer ReqFieldMissing', () => {
  const bodies: Array<[string, string, string]> = [
    ['malformed JSON: an unclosed object', '{"customer_id":"272930"', 'not valid JSON'],
    ['malformed JSON: a trailing comma', '{"customer_id":"272930",}', 'not valid JSON'],
    ['malformed JSON: single quotes', "{'customer_id':'272930'}", 'not valid JSON'],
    ['malformed JSON: trailing garbage', '{"customer_id":"272930"} x', 'not valid JSON'],
    ['malformed JSON: two objects', '{"customer_id":"272930"}{"customer_id":"286829"}', 'not valid JSON'],
    ['malformed JSON: NaN', '{"customer_id":NaN}', 'not valid JSON'],
    ['an empty body', '', 'empty'],
    ['a whitespace body', '   ', 'empty'],
    ['a whitespace body with newlines and tabs', '\r\n\t \n', 'empty'],
    ['JSON 42', '42', 'a number'],
    ['JSON "x"', '"x"', 'a string'],
    ['JSON null', 'null', 'null'],
    ['JSON true', 'true', 'a boolean'],
    ['JSON []', '[]', 'empty array'],
    ['JSON [1]', '[1]', 'item [0]'],
    ['JSON [{}, 2]', '[{}, 2]', 'item [1]'],
    ['JSON [[{}]]', '[[{"customer_id":"272930"}]]', 'item [0]'],
  ];

  it.each(cross(bodies, VENDOR_PATHS))('%s: %s', async (path, _label, body, part) => {
    const answer = await expectNothingStored(() => post(url, path, body, { raw: true }));
    const message = expectVendorFailure(answer, 'ReqFieldMissing');
    expect(message).toMatch(/^Mandatory field missing: /);
    expect(message).toContain(part);
  });
});

describe('content type', () => {
  const wrong: Array<[string]> = [
    ['text/plain'],
    ['text/plain; charset=utf-8'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    ['text/html'],
    ['application/jsonp'],
  ];

  it.each(cross(wrong, [VENDOR.add, VENDOR.search]))('%s: Content-Type %s with a valid body: ReqFieldMissing, nothing stored', async (path, type) => {
    const body = path === VENDOR.add ? { ...VALID, name: unique('Wrong type') } : { customer_id: '272930' };
    const answer = await expectNothingStored(() => post(url, path, body, { headers: { 'content-type': type } }));
    const message = expectVendorFailure(answer, 'ReqFieldMissing');
    expect(message).toContain(`Content-Type ${type.split(';')[0]} is not JSON`);
  });

  const accepted: Array<[string]> = [['application/json'], ['application/json; charset=utf-8'], ['Application/JSON'], ['application/vnd.kapture+json']];

  it.each(accepted)('%s is JSON: the add succeeds without a content-type warning', async (type) => {
    const name = unique('Right type');
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name }, { headers: { 'content-type': type } }));
    const id = addedId(answer);
    expect(answer.headers.get('x-sandbox-warnings')).toBeNull();
    expect((await searchCustomer(url, id)).name).toBe(name);
  });

  it('a missing Content-Type is accepted with a warning, and the customer is stored', async () => {
    const name = unique('No type');
    const answer = await expectOneStored(() => post(url, VENDOR.add, JSON.stringify({ ...VALID, name }), { raw: true, headers: { 'content-type': null } }));
    const id = addedId(answer);
    expect(warningsOf(answer)).toMatch(/no Content-Type/);
    expect((await searchCustomer(url, id)).name).toBe(name);
  });

  it('a missing Content-Type with a malformed body still answers ReqFieldMissing', async () => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, '{"name":', { raw: true, headers: { 'content-type': null } }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toContain('not valid JSON');
  });
});

describe('mandatory fields of add', () => {
  const wrongTypes: Array<[string, unknown, string]> = [
    ['name', 42, 'malformed'],
    ['name', true, 'malformed'],
    ['name', {}, 'malformed'],
    ['name', ['Asha'], 'malformed'],
    ['name', null, 'missing'],
    ['email', [], 'malformed'],
    ['email', 42, 'malformed'],
    ['email', { at: 'example.com' }, 'malformed'],
    ['email', null, 'missing'],
    ['phone', {}, 'malformed'],
    ['phone', true, 'malformed'],
    ['phone', [9876543210], 'malformed'],
    ['phone', 9876543.5, 'malformed'],
    ['phone', null, 'missing'],
  ];

  it.each(wrongTypes)('%s = %j (wrong type): "Mandatory field %s: …"', async (field, value, kind) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, { ...VALID, [field]: value }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toMatch(new RegExp(`^Mandatory field ${kind}: ${field}\\b`));
  });

  const empties: Array<[string, string]> = [
    ['name', ''],
    ['name', '   '],
    ['name', '\t\n '],
    ['name', '\u00a0\u3000'],
    ['email', ''],
    ['email', '  '],
    ['phone', ''],
    ['phone', ' '],
  ];

  it.each(empties)('%s = %j: "Mandatory field empty: …"', async (field, value) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, { ...VALID, [field]: value }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toBe(`Mandatory field empty: ${field}`);
  });

  it.each([['name'], ['email'], ['phone']])('%s left out: "Mandatory field missing: …"', async (field) => {
    const body: Record<string, unknown> = { ...VALID };
    delete body[field];
    const answer = await expectNothingStored(() => post(url, VENDOR.add, body));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toBe(`Mandatory field missing: ${field}`);
  });

  const malformed: Array<[string, unknown]> = [
    ['email', 'abc'],
    ['email', 'a@'],
    ['email', '@b.com'],
    ['email', 'a@b'],
    ['email', 'a b@c.com'],
    ['email', ' asha@example.com'],
    ['phone', '12'],
    ['phone', 'abcdefghij'],
    ['phone', '+'],
    ['phone', '++9876543210'],
    ['phone', '1234567890123456'],
    ['phone', 1234567890123456],
    ['phone', '123456'],
    ['phone', 123456],
    ['phone', '987-654-3210'],
    ['phone', -9876543210],
  ];

  it.each(malformed)('%s = %j: ReqFieldMissing malformed', async (field, value) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, { ...VALID, [field]: value }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toMatch(new RegExp(`^Mandatory field malformed: ${field} \\(expected `));
  });

  // Controls: the boundaries of the rules above are accepted.
  const wellFormed: Array<[string, unknown, string]> = [
    ['phone', '1234567', '1234567'],
    ['phone', '123456789012345', '123456789012345'],
    ['phone', '+919876543210', '+919876543210'],
    ['phone', 9876543210, '9876543210'],
    ['email', 'a.b+tag@sub.example.co.in', 'a.b+tag@sub.example.co.in'],
  ];

  it.each(wellFormed)('%s = %j is well formed: stored as %j', async (field, value, stored) => {
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name: unique('Well formed'), [field]: value }));
    const customer = await searchCustomer(url, addedId(answer));
    const contact = (customer.contacts as Array<Record<string, unknown>>)[0]!;
    expect(contact[field]).toBe(stored);
  });
});

describe('optional fields of add with a wrong type or an unusable value', () => {
  // [field, value, key in the answer, what the answer shows (undefined: the key is absent)]
  const unusable: Array<[string, unknown, string, unknown]> = [
    ['zone', 'India', 'zone', 0],
    ['zone', -1, 'zone', 0],
    ['zone', 1.5, 'zone', 0],
    ['zone', '12a', 'zone', 0],
    ['zone', true, 'zone', 0],
    ['date_of_birth', '2023-02-30', 'dateOfBirth', undefined],
    ['date_of_birth', 'YYYY-MM-DD', 'dateOfBirth', undefined],
    ['date_of_birth', '30-01-1990', 'dateOfBirth', undefined],
    ['date_of_birth', 19900130, 'dateOfBirth', undefined],
    ['anniversary_date', '2023-13-01', 'anniversaryDate', undefined],
    ['city', 5, 'city', undefined],
    ['city', null, 'city', undefined],
    ['state', ['karnataka'], 'state', undefined],
    ['country', { name: 'india' }, 'country', undefined],
    ['customer_code', 12, 'customerCode', undefined],
    ['type', true, 'customerType', undefined],
    ['pin_code', 560009, 'pinCode', undefined],
    ['address', false, 'address', undefined],
  ];

  it.each(unusable)('%s = %j: success, a warning naming it, and the value is not stored', async (field, value, key, shown) => {
    const name = unique('Unusable optional');
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name, [field]: value }));
    const id = addedId(answer);
    expect(warningsOf(answer)).toContain(`field "${field}" ignored`);
    const customer = await searchCustomer(url, id);
    expect(customer.name).toBe(name);
    if (shown === undefined) expect(Object.keys(customer)).not.toContain(key);
    else expect(customer[key]).toBe(shown);
  });

  // Controls: usable values of the same fields are stored, without a warning.
  const usable: Array<[string, unknown, string, unknown]> = [
    ['zone', 7, 'zone', 7],
    ['zone', '12', 'zone', 12],
    ['date_of_birth', '2024-02-29', 'dateOfBirth', 'Feb 29, 2024 12:00:00 AM'],
    ['city', 'bangalore', 'city', 'bangalore'],
    ['customer_code', 'C-12', 'customerCode', 'C-12'],
    ['type', 't', 'customerType', 't'],
  ];

  it.each(usable)('%s = %j is usable: stored, no warning', async (field, value, key, shown) => {
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name: unique('Usable optional'), [field]: value }));
    const customer = await searchCustomer(url, addedId(answer));
    expect(answer.headers.get('x-sandbox-warnings')).toBeNull();
    expect(customer[key]).toBe(shown);
  });
});

describe('keys named __proto__, constructor, prototype', () => {
  const fields = '"name":"Proto Check","email":"proto@example.com","phone":"9876543210"';
  const polluting: Array<[string, string, string[]]> = [
    ['__proto__ with an object', `{"__proto__":{"polluted":1,"isAdmin":true},${fields}}`, ['__proto__']],
    ['__proto__ last', `{${fields},"__proto__":{"polluted":1}}`, ['__proto__']],
    ['constructor.prototype', `{"constructor":{"prototype":{"polluted":1}},${fields}}`, ['constructor']],
    ['prototype', `{"prototype":{"polluted":1},${fields}}`, ['prototype']],
    ['all three', `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1},${fields}}`, ['__proto__', 'constructor', 'prototype']],
    ['__proto__ in a batch item', `[{${fields}},{"__proto__":{"polluted":1},${fields}}]`, ['[1].__proto__']],
  ];

  let referenceKeys: string[];
  let referenceContactKeys: string[];
  beforeAll(async () => {
    const reference = await searchCustomer(url, addedId(await post(url, VENDOR.add, JSON.parse(`{${fields}}`))));
    referenceKeys = Object.keys(reference).sort();
    referenceContactKeys = Object.keys((reference.contacts as object[])[0]!).sort();
  });

  async function expectPlainCustomer(id: string): Promise<void> {
    const answer = await post(url, VENDOR.search, { customer_id: id });
    expect(answer.text).not.toContain('polluted');
    const customer = answer.json.message[0] as Record<string, unknown>;
    expect(Object.keys(customer).sort()).toEqual(referenceKeys);
    expect(Object.keys((customer.contacts as object[])[0]!).sort()).toEqual(referenceContactKeys);
    expect(customer.name).toBe('Proto Check');
    expect(Object.getPrototypeOf(customer)).toBe(Object.prototype);
  }

  it.each(polluting)('add with %s: ignored with a warning, nothing polluted', async (_label, body, ignored) => {
    const items = body.startsWith('[') ? 2 : 1;
    const count = await customerCount(url);
    const answer = await post(url, VENDOR.add, body, { raw: true });
    const ids = (answer.json?.['Kapture Customer Id'] as string | undefined)?.split(',') ?? [];
    expect(answer.json?.Status, answer.text).toBe('Success');
    expect(ids).toHaveLength(items);
    for (const key of ignored) expect(warningsOf(answer)).toContain(`unknown field "${key}" ignored`);
    expect(await customerCount(url)).toBe(count + items);
    for (const id of ids) await expectPlainCustomer(id);
    // The server runs in this process: a polluted Object.prototype would show here.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.hasOwn(Object.prototype, 'isAdmin')).toBe(false);
    // A subsequent plain add still works and stores a plain customer.
    const next = await expectOneStored(() => post(url, VENDOR.add, `{${fields}}`, { raw: true }));
    await expectPlainCustomer(addedId(next));
  });

  const searchBodies: Array<[string]> = [
    ['{"constructor":"272930"}'],
    ['{"__proto__":{"customer_id":"272930"}}'],
    ['{"constructor":{"customer_id":"272930"},"__proto__":{"customer_id":"272930"}}'],
    ['{"prototype":{"customer_id":"272930"}}'],
    ['{"toString":"272930","hasOwnProperty":"272930","valueOf":"272930"}'],
    ['[{"__proto__":{"customer_id":"272930"}}]'],
  ];

  it.each(searchBodies)('search with %s: ReqFieldMissing customer_id, not a crash', async (body) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.search, body, { raw: true }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toMatch(/^Mandatory field missing: (\[0\]\.)?customer_id$/);
  });

  it('add-contacts with customer_id only under __proto__: ReqFieldMissing customer_id', async () => {
    const body = '{"__proto__":{"customer_id":"272930"},"name":"Ravi","email":"ravi@example.com","phone":"9876500000"}';
    const answer = await expectNothingStored(() => post(url, VENDOR.contacts, body, { raw: true }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toBe('Mandatory field missing: customer_id');
  });

  it('an add body with customer_id only under __proto__ is an add, not an update of 272930', async () => {
    const before = await searchText(url, 272930);
    const answer = await expectOneStored(() => post(url, VENDOR.add, `{"__proto__":{"customer_id":"272930","name":"Hacked"},${fields}}`, { raw: true }));
    await expectPlainCustomer(addedId(answer));
    expect(await searchText(url, 272930)).toBe(before);
  });

  it('an update of 272930 whose other keys are __proto__/constructor changes nothing', async () => {
    const body = '{"customer_id":"272930","__proto__":{"name":"Hacked","city":"x"},"constructor":{"prototype":{"name":"Hacked"}}}';
    const answer = await expectNothingStored(() => post(url, VENDOR.add, body, { raw: true }));
    expect(answer.json).toEqual({ message: 'Customer Updated Successfully', status: 'success' });
    expect(warningsOf(answer)).toContain('unknown field "__proto__" ignored');
    expect(warningsOf(answer)).toContain('unknown field "constructor" ignored');
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

describe('oversized bodies', () => {
  /** A valid add body of exactly `size` bytes (the name pads it). */
  function bodyOfSize(size: number): string {
    const empty = JSON.stringify({ ...VALID, name: '' });
    const body = JSON.stringify({ ...VALID, name: 'n'.repeat(size - empty.length) });
    expect(Buffer.byteLength(body)).toBe(size);
    return body;
  }
  function stream(text: string): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
  }

  const cases: Array<[string, string, 'content-length' | 'chunked']> = [
    ['add', VENDOR.add, 'content-length'],
    ['add', VENDOR.add, 'chunked'],
    ['search', VENDOR.search, 'content-length'],
    ['select', VENDOR.select, 'content-length'],
    ['add-contacts', VENDOR.contacts, 'content-length'],
    ['add-contacts', VENDOR.contacts, 'chunked'],
  ];

  it.each(cases)('1 MiB + 1 byte on %s (%s, %s): HTTP 413 vendor failure, nothing stored', async (_label, path, transfer) => {
    const body = bodyOfSize(MiB + 1);
    const answer = await expectNothingStored(() => post(url, path, transfer === 'chunked' ? stream(body) : body, { raw: true }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing', 413)).toContain('1048576');
  });

  it.each([['content-length'], ['chunked']])('exactly 1 MiB (%s) is accepted and stored', async (transfer) => {
    const body = bodyOfSize(MiB);
    const answer = await expectOneStored(() => post(url, VENDOR.add, transfer === 'chunked' ? stream(body) : body, { raw: true }));
    expect(((await searchCustomer(url, addedId(answer))).name as string).length).toBe(MiB - JSON.stringify({ ...VALID, name: '' }).length);
  });
});

describe('methods other than POST', () => {
  const methods: Array<[string]> = [['GET'], ['PUT'], ['DELETE'], ['PATCH'], ['OPTIONS']];

  it.each(cross(methods, VENDOR_PATHS))('%s with %s: 405, Allow: POST, vendor failure, nothing stored', async (path, method) => {
    const carriesBody = method !== 'GET';
    const body = path === VENDOR.add ? { ...VALID, name: unique('Wrong method') } : { ...CONTACT, start_date: '2016-03-31', end_date: '2016-03-31' };
    const answer = await expectNothingStored(() => post(url, path, carriesBody ? body : undefined, { method, raw: !carriesBody }));
    expect(answer.headers.get('allow')).toBe('POST');
    expect(expectVendorFailure(answer, 'ReqFieldMissing', 405)).toContain(`Method ${method} is not allowed`);
  });

  it('PROPFIND (sent raw): 405 with Allow: POST and a JSON vendor body', async () => {
    const reply = await expectNothingStored(() =>
      rawHttp(url, `PROPFIND ${VENDOR.search} HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`),
    );
    const [head, body] = reply.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 405 /);
    expect(head).toMatch(/\r\nAllow: POST\r\n/i);
    expect(head).toMatch(/\r\nContent-Type: application\/json/i);
    expect(JSON.parse(body!)).toMatchObject({ Status: 'Fail' });
  });
});

describe('unknown URLs answer a JSON 404, never HTML', () => {
  const paths: Array<[string]> = [
    ['/'],
    ['/nope'],
    ['/index.html'],
    ['/search-customer-by-customer-id'],
    ['/search-customer-by-customer-id.html/'],
    ['/SEARCH-CUSTOMER-BY-CUSTOMER-ID.HTML'],
    ['/add-update-customer-from-other-source.htm'],
    ['/__proto__'],
    ['/constructor'],
    ['/hasOwnProperty'],
    ['/%zz'],
    ['/__sandbox/nope'],
  ];

  it.each(cross(paths, ['GET', 'POST']))('%s %s', async (method, path) => {
    // Outside /__sandbox nothing reads the body: a malformed one changes nothing.
    const body = path.startsWith('/__sandbox') ? '{}' : '{"customer_id":';
    const init: RequestInit = method === 'POST' ? { method, headers: { 'content-type': 'application/json', authorization: 'Basic sandbox-key' }, body } : { method };
    const answer = await expectNothingStored(() => request(url, path, init));
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/i);
    expect(answer.json).toBeTypeOf('object');
    expect(answer.text).not.toMatch(/<html|<!doctype|<pre/i);
  });
});

describe('batches are all or nothing', () => {
  const bad: Array<[string, unknown[], string]> = [
    ['[valid, bad email]', [VALID, { ...VALID, email: 'nope' }], 'Mandatory field malformed: [1].email'],
    ['[valid, no phone]', [VALID, { name: 'B', email: 'b@example.com' }], 'Mandatory field missing: [1].phone'],
    ['[empty name, valid]', [{ ...VALID, name: '' }, VALID], 'Mandatory field empty: [0].name'],
    ['[valid, valid, bad phone]', [VALID, VALID, { ...VALID, phone: '12' }], 'Mandatory field malformed: [2].phone'],
  ];

  it.each(bad)('add %s: ReqFieldMissing naming the item, nothing stored', async (_label, body, message) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, body));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toMatch(new RegExp(`^${message.replace(/[[\].]/g, '\\$&')}\\b`));
  });

  const mixed: Array<[string, unknown[]]> = [
    ['[add, update]', [VALID, { customer_id: '272930', city: 'Mysore' }]],
    ['[update, add]', [{ customer_id: '272930', city: 'Mysore' }, VALID]],
    ['[add, add, update]', [VALID, VALID, { customer_id: '286829', city: 'Mysore' }]],
  ];

  it.each(mixed)('a batch mixing adds and updates %s: ReqFieldMissing, nothing stored', async (_label, body) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, body));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toContain('mixes adds and updates');
  });

  const others: Array<[string, string, unknown[], string, string]> = [
    ['update [valid, bad email]', VENDOR.add, [{ customer_id: '272930', city: 'Mysore' }, { customer_id: '286829', email: 'bad' }], 'ReqFieldMissing', '[1].email'],
    ['update [valid, unknown customer]', VENDOR.add, [{ customer_id: '272930', city: 'Mysore' }, { customer_id: '999999', city: 'Mysore' }], 'CustomerNotFound', '999999'],
    ['add-contacts [valid, empty name]', VENDOR.contacts, [CONTACT, { ...CONTACT, name: '' }], 'ReqFieldMissing', '[1].contact_person'],
    ['add-contacts [valid, unknown customer]', VENDOR.contacts, [CONTACT, { ...CONTACT, customer_id: '999999' }], 'CustomerNotFound', '999999'],
  ];

  it.each(others)('%s: the failure names it, nothing changes', async (_label, path, body, code, part) => {
    const answer = await expectNothingStored(() => post(url, path, body));
    expect(expectVendorFailure(answer, code)).toContain(part);
  });
});

describe('bad updates and bad contacts change nothing', () => {
  const updates: Array<[string, Record<string, unknown>, string]> = [
    ['email "bad"', { customer_id: '272930', email: 'bad' }, 'Mandatory field malformed: email'],
    ['name ""', { customer_id: '272930', name: '' }, 'Mandatory field empty: name'],
    ['name "   "', { customer_id: '272930', name: '   ' }, 'Mandatory field empty: name'],
    ['phone "12"', { customer_id: '272930', phone: '12' }, 'Mandatory field malformed: phone'],
    ['phone ""', { customer_id: '272930', phone: '' }, 'Mandatory field empty: phone'],
    ['name 42', { customer_id: '272930', name: 42 }, 'Mandatory field malformed: name'],
    ['customer_id ""', { customer_id: '', city: 'x' }, 'Mandatory field empty: customer_id'],
    ['customer_id null', { customer_id: null, city: 'x' }, 'Mandatory field missing: customer_id'],
    ['customer_id 0', { customer_id: 0, city: 'x' }, 'Mandatory field malformed: customer_id'],
    ['customer_id "   "', { customer_id: '   ', city: 'x' }, 'Mandatory field empty: customer_id'],
    ['customer_id 272930.5', { customer_id: 272930.5, city: 'x' }, 'Mandatory field malformed: customer_id'],
    ['a valid city with a bad email', { customer_id: '272930', city: 'Mysore', email: 'x@' }, 'Mandatory field malformed: email'],
  ];

  it.each(updates)('update with %s: ReqFieldMissing', async (_label, body, message) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, body));
    expect(expectVendorFailure(answer, 'ReqFieldMissing').startsWith(message)).toBe(true);
  });

  // customer_id is the integrating system's own id: an unknown one adds a customer only with every
  // field an add needs (the upsert: see test/generations.test.ts); without them nothing changes.
  it.each([
    ['999999', { customer_id: '999999', city: 'Pune' }],
    ['"abc" (a source id no customer has)', { customer_id: 'abc', city: 'x' }],
    ['"272930 " (not Kapture\'s 272930)', { customer_id: '272930 ', city: 'x' }],
    ['999999 with name and email but no phone', { customer_id: '999999', name: 'Asha Rao', email: 'asha@example.com' }],
  ])('update of a customer that does not exist, %s: CustomerNotFound, nothing stored', async (_label, body) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, body));
    expectVendorFailure(answer, 'CustomerNotFound');
  });

  const contacts: Array<[string, Record<string, unknown>, string, string]> = [
    ['no customer_id', { name: 'Ravi', email: 'ravi@example.com', phone: '9876500000' }, 'ReqFieldMissing', 'Mandatory field missing: customer_id'],
    ['neither name nor contact_person', { customer_id: '272930', email: 'ravi@example.com', phone: '9876500000' }, 'ReqFieldMissing', 'Mandatory field missing: contact_person (or name)'],
    ['email "x"', { ...CONTACT, email: 'x' }, 'ReqFieldMissing', 'Mandatory field malformed: email'],
    ['phone "+"', { ...CONTACT, phone: '+' }, 'ReqFieldMissing', 'Mandatory field malformed: phone'],
    ['customer_id "abc" (no customer has that source id)', { ...CONTACT, customer_id: 'abc' }, 'CustomerNotFound', 'customer_id abc'],
    ['contact_person "" beside name', { ...CONTACT, contact_person: '' }, 'ReqFieldMissing', 'Mandatory field empty: contact_person'],
    ['an unknown customer', { ...CONTACT, customer_id: '999999' }, 'CustomerNotFound', 'customer_id 999999'],
  ];

  it.each(contacts)('add-contacts with %s: fails, nothing changes', async (_label, body, code, message) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.contacts, body));
    expect(expectVendorFailure(answer, code)).toContain(message);
  });
});

describe("another tenant's customer does not exist for a key", () => {
  beforeAll(async () => {
    const created = await request(url, '/__sandbox/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 't777', tenant: 777 }),
    });
    expect(created.status).toBe(201);
  });

  const attempts: Array<[string, string, unknown]> = [
    ['search 272930', VENDOR.search, { customer_id: '272930' }],
    ['update 272930', VENDOR.add, { customer_id: '272930', name: 'Taken Over', city: 'Elsewhere', email: 'evil@example.com' }],
    ['update 272930 as a number', VENDOR.add, { customer_id: 272930, name: 'Taken Over' }],
    ['add a contact to 272930', VENDOR.contacts, CONTACT],
    ['select 272930 in its creation day', VENDOR.select, { start_date: '2016-03-31', end_date: '2016-03-31', customer_id: '272930' }],
  ];

  it.each(attempts)('tenant 777 tries to %s: nothing found, nothing changed', async (label, path, body) => {
    const answer = await expectNothingStored(() => post(url, path, body, { key: 't777' }));
    if (label.startsWith('select')) {
      // Select filters rather than looks up: the other tenant's customer is simply not there.
      expect(answer.json).toEqual({ message: [], status: 'success' });
    } else {
      expect(expectVendorFailure(answer, 'CustomerNotFound')).toContain('272930');
    }
  });
});

describe('raw HTTP oddities', () => {
  const rawAdd = (contentLength: number, body: string) =>
    `POST ${VENDOR.add} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Basic sandbox-key\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n${body}`;
  const add = JSON.stringify({ ...VALID, name: 'Raw' });

  it('a body longer than its Content-Length: the answer is never HTML, nothing stored, still serving', async () => {
    // The first 8 bytes are not JSON; the rest is garbage for the HTTP parser.
    const reply = await expectNothingStored(() => rawHttp(url, rawAdd(8, add)));
    expect(reply).toMatch(/^HTTP\/1\.1 [2-5]\d\d /);
    expect(reply).not.toMatch(/<html|<!doctype/i);
  });

  it('a body shorter than its Content-Length, then the client goes away: nothing stored, still serving', async () => {
    const reply = await expectNothingStored(() => rawHttp(url, rawAdd(add.length + 100, add), { end: false, destroyAfterMs: 200 }));
    expect(reply).not.toMatch(/<html|<!doctype/i);
  });

  it('a body shorter than its Content-Length, then a half-close: nothing stored, still serving', async () => {
    const reply = await expectNothingStored(() => rawHttp(url, rawAdd(add.length + 100, add)));
    expect(reply).not.toMatch(/<html|<!doctype/i);
  });
});
