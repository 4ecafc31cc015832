import { describe, expect, it } from 'vitest';
import { parseVendorBody } from '../src/http/body.js';
import { checkItem, compileItemRules, snippet, type ItemVerdict } from '../src/validation/request-fields.js';
import { suggestField } from '../src/validation/suggest.js';

/**
 * The field rules compiled from the spec, the did-you-mean hints, and
 * the body parser, tested without HTTP.
 */

const ADD = compileItemRules('AddCustomerItem');
const UPDATE = compileItemRules('UpdateCustomerItem');
const CONTACTS = compileItemRules('AddContactsItem');
const SEARCH = compileItemRules('SearchCustomerItem');
const SELECT = compileItemRules('SelectCustomersItem');

const VALID = { name: 'Asha Rao', email: 'asha@example.com', phone: '9876543210' };
const CONTACT = { customer_id: '272930', email: 'ravi@example.com', phone: '9876500000' };

function ok(verdict: ItemVerdict): { values: Record<string, unknown>; warnings: string[] } {
  if (!verdict.ok) throw new Error(`expected the item to pass, got: ${verdict.message}`);
  return verdict;
}
function failed(verdict: ItemVerdict): { field: string; message: string } {
  if (verdict.ok) throw new Error(`expected the item to fail, it passed with ${JSON.stringify({ ...verdict.values })}`);
  return verdict;
}
const keysOf = (values: Record<string, unknown>) => Object.keys(values).sort();

describe('compileItemRules: what the spec makes mandatory, strict, aliased', () => {
  const cases: Array<[string, string[], string[], Record<string, string>]> = [
    ['AddCustomerItem', ['email', 'name', 'phone'], [], {}],
    ['UpdateCustomerItem', ['customer_id'], ['email', 'name', 'phone'], {}],
    ['AddContactsItem', ['contact_person', 'customer_id', 'email', 'phone'], [], { name: 'contact_person' }],
    ['SearchCustomerItem', ['customer_id'], [], {}],
    ['SelectCustomersItem', ['end_date', 'start_date'], [], {}],
  ];

  it.each(cases)('%s: mandatory %j, strict %j, aliases %j', (schema, mandatory, strict, aliases) => {
    const rules = compileItemRules(schema);
    const fields = [...rules.fields.values()];
    expect(fields.filter((f) => f.mandatory).map((f) => f.name).sort()).toEqual(mandatory);
    expect(fields.filter((f) => f.strict).map((f) => f.name).sort()).toEqual(strict);
    expect(Object.fromEntries(rules.aliases)).toEqual(aliases);
  });

  const optionalCustomerFields = ['address', 'anniversary_date', 'city', 'classification', 'country', 'customer_code', 'date_of_birth', 'pin_code', 'state', 'type', 'zone'];

  it.each([['AddCustomerItem'], ['UpdateCustomerItem']])('%s knows every optional customer field (customer_code included)', (schema) => {
    const known = compileItemRules(schema).known;
    for (const field of optionalCustomerFields) expect(known).toContain(field);
  });

  it('a schema the spec does not define is a programming error', () => {
    expect(() => compileItemRules('NoSuchItem')).toThrow(/NoSuchItem/);
  });
});

describe('suggestField: did-you-mean for unknown fields', () => {
  const cases: Array<[string, string | undefined, readonly string[]]> = [
    ['customer_code ', 'customer_code', ADD.known],
    [' customer_code', 'customer_code', UPDATE.known],
    ['customerCode', 'customer_code', ADD.known],
    ['Customer Code', 'customer_code', ADD.known],
    ['customer-code', 'customer_code', ADD.known],
    ['CUSTOMER_CODE', 'customer_code', ADD.known],
    ['emial', 'email', ADD.known],
    ['Email', 'email', ADD.known],
    ['phon', 'phone', ADD.known],
    ['dateOfBirth', 'date_of_birth', ADD.known],
    ['pincode', 'pin_code', ADD.known],
    ['customer_id ', 'customer_id', UPDATE.known],
    ['customerId', 'customer_id', SEARCH.known],
    ['contactPerson', 'contact_person', CONTACTS.known],
    ['role', undefined, UPDATE.known],
    ['Field 1', undefined, UPDATE.known],
    ['Field 2', undefined, UPDATE.known],
    ['ad', undefined, UPDATE.known],
    ['mobile', undefined, ADD.known],
    ['', undefined, ADD.known],
  ];

  it.each(cases)('%j → %j', (key, expected, known) => {
    expect(suggestField(key, known)).toBe(expected);
  });

  it.each([
    ['customer_code ', 'unknown field "customer_code " ignored (did you mean "customer_code"?)'],
    ['customerCode', 'unknown field "customerCode" ignored (did you mean "customer_code"?)'],
    ['Customer Code', 'unknown field "Customer Code" ignored (did you mean "customer_code"?)'],
    ['emial', 'unknown field "emial" ignored (did you mean "email"?)'],
    ['role', 'unknown field "role" ignored'],
    ['Field 1', 'unknown field "Field 1" ignored'],
  ])('checkItem warns about %j: %s', (key, warning) => {
    const verdict = ok(checkItem(UPDATE, { customer_id: '272930', [key]: '1' }));
    expect(verdict.warnings).toEqual([warning]);
    expect(keysOf(verdict.values)).toEqual(['customer_id']);
  });

  it("the document's update sample passes, its near misses and unknown keys become warnings", () => {
    const sample = JSON.parse(
      '{"customer_id":"272930","name":"rahul","phone":"1234567890","email":"abc@gmail.com","city":"bangalore","country":"india","customer_code ":"1","state":"karanataka","Field 1":"","ad":"","role":"","Field 2":""}',
    ) as Record<string, unknown>;
    const verdict = ok(checkItem(UPDATE, sample));
    expect(keysOf(verdict.values)).toEqual(['city', 'country', 'customer_id', 'email', 'name', 'phone', 'state']);
    expect(verdict.warnings).toEqual([
      'unknown field "customer_code " ignored (did you mean "customer_code"?)',
      'unknown field "Field 1" ignored',
      'unknown field "ad" ignored',
      'unknown field "role" ignored',
      'unknown field "Field 2" ignored',
    ]);
  });
});

describe('aliases: name for contact_person', () => {
  const cases: Array<[string, Record<string, unknown>, string | undefined, string[]]> = [
    ['name only', { ...CONTACT, name: 'Ravi' }, 'Ravi', []],
    ['contact_person only', { ...CONTACT, contact_person: 'Ravi K' }, 'Ravi K', []],
    ['both: contact_person wins', { ...CONTACT, contact_person: 'Ravi K', name: 'Ravi' }, 'Ravi K', ['field "name" ignored: "contact_person" was sent too and wins']],
    ['both, name empty: contact_person wins', { ...CONTACT, contact_person: 'Ravi K', name: '' }, 'Ravi K', ['field "name" ignored: "contact_person" was sent too and wins']],
  ];

  it.each(cases)('%s', (_label, item, person, warnings) => {
    const verdict = ok(checkItem(CONTACTS, item));
    expect(verdict.values.contact_person).toBe(person);
    expect(keysOf(verdict.values)).toEqual(['contact_person', 'customer_id', 'email', 'phone']);
    expect(verdict.warnings).toEqual(warnings);
  });

  const failures: Array<[string, Record<string, unknown>, string, string]> = [
    ['neither', CONTACT, '', 'Mandatory field missing: contact_person (or name)'],
    ['neither, in a batch item', CONTACT, '[1].', 'Mandatory field missing: [1].contact_person (or name)'],
    ['name empty', { ...CONTACT, name: '  ' }, '', 'Mandatory field empty: contact_person'],
    ['name a number', { ...CONTACT, name: 7 }, '', 'Mandatory field malformed: contact_person'],
    ['contact_person empty beside a good name', { ...CONTACT, contact_person: '', name: 'Ravi' }, '', 'Mandatory field empty: contact_person'],
  ];

  it.each(failures)('%s: fails naming contact_person', (_label, item, at, message) => {
    const verdict = failed(checkItem(CONTACTS, item, at));
    expect(verdict.field).toBe(`${at}contact_person`);
    expect(verdict.message.startsWith(message)).toBe(true);
  });

  it('the alias warning carries the batch prefix', () => {
    const verdict = ok(checkItem(CONTACTS, { ...CONTACT, contact_person: 'A', name: 'B' }, '[3].'));
    expect(verdict.warnings).toEqual(['field "[3].name" ignored: "contact_person" was sent too and wins']);
  });
});

describe('strict-optional update fields: may be left out, must be valid when sent', () => {
  const failing: Array<[string, Record<string, unknown>, string, string]> = [
    ['email "bad"', { email: 'bad' }, 'email', 'Mandatory field malformed: email'],
    ['email ""', { email: '' }, 'email', 'Mandatory field empty: email'],
    ['name ""', { name: '' }, 'name', 'Mandatory field empty: name'],
    ['name "  "', { name: '  ' }, 'name', 'Mandatory field empty: name'],
    ['name null', { name: null }, 'name', 'Mandatory field missing: name (it is null)'],
    ['phone "12"', { phone: '12' }, 'phone', 'Mandatory field malformed: phone'],
    ['phone {}', { phone: {} }, 'phone', 'Mandatory field malformed: phone'],
  ];

  it.each(failing)('update with %s fails', (_label, extra, field, message) => {
    const verdict = failed(checkItem(UPDATE, { customer_id: '272930', ...extra }));
    expect(verdict.field).toBe(field);
    expect(verdict.message.startsWith(message)).toBe(true);
  });

  const passing: Array<[string, Record<string, unknown>, string[], number]> = [
    ['nothing but customer_id', {}, ['customer_id'], 0],
    ['no email, a city', { city: 'Mysore' }, ['city', 'customer_id'], 0],
    ['a valid email', { email: 'a@b.co' }, ['customer_id', 'email'], 0],
    ['a valid name and phone as a number', { name: 'R', phone: 9876543210 }, ['customer_id', 'name', 'phone'], 0],
    ['zone "India" (optional, not strict)', { zone: 'India' }, ['customer_id'], 1],
  ];

  it.each(passing)('update with %s passes', (_label, extra, keys, warnings) => {
    const verdict = ok(checkItem(UPDATE, { customer_id: '272930', ...extra }));
    expect(keysOf(verdict.values)).toEqual(keys);
    expect(verdict.warnings).toHaveLength(warnings);
  });

  it.each([['name'], ['email'], ['phone']])('add without %s fails, update without it passes', (field) => {
    const item: Record<string, unknown> = { ...VALID };
    delete item[field];
    expect(failed(checkItem(ADD, item)).message).toBe(`Mandatory field missing: ${field}`);
    ok(checkItem(UPDATE, { customer_id: '1', ...item }));
  });
});

describe('per-key mapped fields', () => {
  const item = { ...VALID, city: 'Mysore', state: 'Karnataka', zone: 3 };
  const cases: Array<[string, ReadonlySet<string> | undefined, string[], string[]]> = [
    ['no mapping: every field', undefined, ['city', 'email', 'name', 'phone', 'state', 'zone'], []],
    ['city only', new Set(['city']), ['city', 'email', 'name', 'phone'], ['state', 'zone']],
    ['nothing mapped: mandatory fields stay', new Set(), ['email', 'name', 'phone'], ['city', 'state', 'zone']],
    ['mandatory fields listed or not, the same', new Set(['name', 'city', 'state', 'zone']), ['city', 'email', 'name', 'phone', 'state', 'zone'], []],
  ];

  it.each(cases)('%s', (_label, mapped, kept, dropped) => {
    const verdict = ok(checkItem(ADD, item, '', { mapped: mapped }));
    expect(keysOf(verdict.values)).toEqual(kept);
    expect([...verdict.warnings].sort()).toEqual(dropped.map((field) => `field "${field}" ignored: this API key is not configured with it`).sort());
  });

  it('an unmapped field with an unusable value is reported once, as unmapped', () => {
    const verdict = ok(checkItem(ADD, { ...VALID, zone: 'India' }, '', { mapped: new Set() }));
    expect(verdict.warnings).toEqual(['field "zone" ignored: this API key is not configured with it']);
  });

  it('mapping never excuses a bad mandatory field', () => {
    expect(failed(checkItem(ADD, { ...VALID, email: 'bad' }, '', { mapped: new Set(['email']) })).field).toBe('email');
    expect(failed(checkItem(ADD, { ...VALID, email: 'bad' }, '', { mapped: new Set() })).field).toBe('email');
  });

  it('update keeps name, email and phone whatever the mapping; the alias of a mandatory field too', () => {
    const update = ok(checkItem(UPDATE, { customer_id: '1', name: 'R', email: 'r@x.in', phone: '+911234567', city: 'X' }, '', { mapped: new Set() }));
    expect(keysOf(update.values)).toEqual(['customer_id', 'email', 'name', 'phone']);
    const contact = ok(checkItem(CONTACTS, { ...CONTACT, name: 'Ravi', designation: 'CTO' }, '', { mapped: new Set() }));
    expect(contact.values.contact_person).toBe('Ravi');
    expect(keysOf(contact.values)).toEqual(['contact_person', 'customer_id', 'email', 'phone']);
  });
});

describe('phone: a string or a number, 7-15 digits, an optional leading +', () => {
  const cases: Array<[unknown, boolean]> = [
    [9876543210, true],
    ['9876543210', true],
    ['+919876543210', true],
    ['+1234567', true],
    [1000000, true],
    ['1234567', true],
    [999999999999999, true],
    ['123456789012345', true],
    ['0123456789', true],
    [999999, false],
    ['123456', false],
    ['+123456', false],
    [1000000000000000, false],
    ['1234567890123456', false],
    ['+', false],
    ['12', false],
    ['abcdefghij', false],
    ['98765 43210', false],
    [' 9876543210', false],
    ['+91-9876543210', false],
    [9876543210.5, false],
    [-9876543, false],
    [true, false],
  ];

  it.each(cases)('%j: valid %s', (phone, valid) => {
    const verdict = checkItem(ADD, { ...VALID, phone });
    expect(verdict.ok).toBe(valid);
    if (verdict.ok) expect(verdict.values.phone).toBe(phone);
    else expect(verdict.message).toMatch(/^Mandatory field malformed: phone \(expected 7 to 15 digits/);
  });

  it('the same rule holds for an additional phone of a contact, as a warning', () => {
    expect(ok(checkItem(CONTACTS, { ...CONTACT, name: 'R', additional_phone: 9876543210 })).values.additional_phone).toBe(9876543210);
    const verdict = ok(checkItem(CONTACTS, { ...CONTACT, name: 'R', additional_phone: '12' }));
    expect(verdict.values).not.toHaveProperty('additional_phone');
    expect(verdict.warnings[0]).toMatch(/^field "additional_phone" ignored: expected 7 to 15 digits/);
  });
});

describe('zone: an integer or a string of digits', () => {
  const cases: Array<[unknown, boolean]> = [
    ['5', true],
    ['0', true],
    ['007', true],
    ['999999999', true],
    [5, true],
    [0, true],
    [2147483647, true],
    ['India', false],
    ['1234567890', false],
    ['-1', false],
    ['', false],
    [' 5', false],
    ['5.0', false],
    [-1, false],
    [1.5, false],
    [2147483648, false],
    [null, false],
    [[5], false],
  ];

  it.each(cases)('%j: usable %s', (zone, usable) => {
    const verdict = ok(checkItem(ADD, { ...VALID, zone }));
    if (usable) {
      expect(verdict.values.zone).toBe(zone);
      expect(verdict.warnings).toEqual([]);
    } else {
      expect(verdict.values).not.toHaveProperty('zone');
      expect(verdict.warnings).toEqual([`field "zone" ignored: expected a non-negative integer, as a number or a string of digits, got ${snippet(zone)}`]);
    }
  });
});

describe('calendar dates of optional fields', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['date_of_birth', '2024-02-29', true],
    ['date_of_birth', '2000-02-29', true],
    ['date_of_birth', '2023-02-29', false],
    ['date_of_birth', '1900-02-29', false],
    ['date_of_birth', '2023-02-30', false],
    ['date_of_birth', 'YYYY-MM-DD', false],
    ['date_of_birth', '2023-2-3', false],
    ['date_of_birth', '2023-02-03T00:00:00', false],
    ['anniversary_date', '2023-04-31', false],
    ['anniversary_date', '2023-12-31', true],
    ['anniversary_date', 20231231, false],
  ];

  it.each(cases)('%s %j: usable %s', (field, value, usable) => {
    const verdict = ok(checkItem(ADD, { ...VALID, [field]: value }));
    expect(field in verdict.values).toBe(usable);
    expect(verdict.warnings.length).toBe(usable ? 0 : 1);
    if (!usable) expect(verdict.warnings[0]).toMatch(new RegExp(`^field "${field}" ignored: expected a real calendar date`));
  });

  it.each([['start_date'], ['end_date']])('select %s is mandatory: an impossible date fails', (field) => {
    const item = { start_date: '2016-03-31', end_date: '2016-03-31', [field]: '2023-02-30' };
    expect(failed(checkItem(SELECT, item)).message).toMatch(new RegExp(`^Mandatory field malformed: ${field} `));
  });
});

describe('mandatory customer ids', () => {
  const cases: Array<[unknown, string | undefined]> = [
    ['272930', undefined],
    [272930, undefined],
    ['0', undefined],
    ['', 'Mandatory field empty: customer_id'],
    [null, 'Mandatory field missing: customer_id (it is null)'],
    [0, 'Mandatory field malformed: customer_id'],
    // customer_id is the integrating system's own id (source id) or Kapture's: any non-empty string.
    ['272930 ', undefined],
    ['abc', undefined],
    ['7f3c2a4e-9b1d-4e5f-8a6b-0c1d2e3f4a5b', undefined],
    ['1234567890123456', undefined],
    ['   ', 'Mandatory field empty: customer_id'],
    ['x'.repeat(201), 'Mandatory field malformed: customer_id'],
    [272930.5, 'Mandatory field malformed: customer_id'],
    [{ id: 1 }, 'Mandatory field malformed: customer_id'],
  ];

  it.each(cases)('search customer_id %j', (customerId, message) => {
    const verdict = checkItem(SEARCH, { customer_id: customerId });
    if (message === undefined) expect(ok(verdict).values.customer_id).toBe(customerId);
    else expect(failed(verdict).message.startsWith(message)).toBe(true);
  });
});

describe('keys named like Object.prototype members', () => {
  it('__proto__, constructor, prototype, hasOwnProperty are unknown fields; values stay plain', () => {
    const item = JSON.parse(
      '{"__proto__":{"name":"Hacked","city":"x"},"constructor":{"prototype":{"polluted":1}},"prototype":1,"hasOwnProperty":2,"name":"Asha","email":"asha@example.com","phone":"9876543210"}',
    ) as Record<string, unknown>;
    const verdict = ok(checkItem(ADD, item));
    expect(keysOf(verdict.values)).toEqual(['email', 'name', 'phone']);
    expect(verdict.values.name).toBe('Asha');
    expect(Object.hasOwn(verdict.values, '__proto__')).toBe(false);
    expect((verdict.values as { city?: unknown }).city).toBeUndefined();
    expect(verdict.warnings).toEqual([
      'unknown field "__proto__" ignored',
      'unknown field "constructor" ignored',
      'unknown field "prototype" ignored',
      'unknown field "hasOwnProperty" ignored',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([['{"constructor":"272930"}'], ['{"__proto__":{"customer_id":"272930"}}'], ['{"toString":"272930","valueOf":"272930"}']])(
    'search item %s: customer_id is missing (own properties only)',
    (text) => {
      const verdict = failed(checkItem(SEARCH, JSON.parse(text) as Record<string, unknown>));
      expect(verdict.message).toBe('Mandatory field missing: customer_id');
    },
  );
});

describe('bad values are reported in short snippets, never a throw', () => {
  const deep = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

  it('a 100,000-character unusable value is cut short in the warning', () => {
    const verdict = ok(checkItem(ADD, { ...VALID, zone: 'x'.repeat(100_000) }));
    expect(verdict.warnings).toHaveLength(1);
    expect(verdict.warnings[0]!.length).toBeLessThan(200);
  });

  it('a 100,000-character malformed mandatory value is cut short in the message', () => {
    expect(failed(checkItem(ADD, { ...VALID, email: 'x'.repeat(100_000) })).message.length).toBeLessThan(200);
  });

  it.each([['x'.repeat(1000)], [{ a: 'b'.repeat(100) }], [['c'.repeat(100), 'd'.repeat(100)]], [deep(10_000)]])('snippet case %# is at most 40 characters', (value) => {
    const text = snippet(value);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(40);
  });

  it('snippet shows a short value whole', () => {
    expect(snippet('short')).toBe('"short"');
    expect(snippet(42)).toBe('42');
  });

  it('an optional field nested 10,000 levels deep is ignored with a warning', () => {
    const verdict = ok(checkItem(ADD, { ...VALID, city: deep(10_000) }));
    expect(verdict.values).not.toHaveProperty('city');
    expect(verdict.warnings).toHaveLength(1);
    expect(verdict.warnings[0]!).toMatch(/^field "city" ignored: expected a string, got /);
  });

  it('a mandatory field nested 10,000 levels deep is malformed', () => {
    expect(failed(checkItem(ADD, { ...VALID, name: deep(10_000) })).message).toMatch(/^Mandatory field malformed: name \(expected a non-blank string, got /);
  });
});

describe('parseVendorBody', () => {
  const rejected: Array<[string, string, string | undefined, string]> = [
    ['an empty body', '', 'application/json', 'the request body is empty'],
    ['whitespace', ' \r\n\t ', 'application/json', 'the request body is empty'],
    ['malformed JSON', '{"customer_id":', 'application/json', 'the request body is not valid JSON ('],
    ['42', '42', 'application/json', 'the request body is JSON a number'],
    ['"x"', '"x"', 'application/json', 'the request body is JSON a string'],
    ['null', 'null', 'application/json', 'the request body is JSON null'],
    ['true', 'true', 'application/json', 'the request body is JSON a boolean'],
    ['[]', '[]', 'application/json', 'the request body is an empty array'],
    ['[1]', '[1]', 'application/json', 'item [0] of the body is JSON a number'],
    ['[{}, 2]', '[{}, 2]', 'application/json', 'item [1] of the body is JSON a number'],
    ['[{}, null]', '[{}, null]', 'application/json', 'item [1] of the body is JSON null'],
    ['[{}, []]', '[{}, []]', 'application/json', 'item [1] of the body is JSON an array'],
    ['text/plain', '{"customer_id":"1"}', 'text/plain', 'Content-Type text/plain is not JSON'],
    ['text/plain with a charset', '{"customer_id":"1"}', 'text/plain; charset=utf-8', 'Content-Type text/plain is not JSON'],
    ['a form', 'customer_id=1', 'application/x-www-form-urlencoded', 'Content-Type application/x-www-form-urlencoded is not JSON'],
    ['application/jsonx', '{"customer_id":"1"}', 'application/jsonx', 'Content-Type application/jsonx is not JSON'],
  ];

  it.each(rejected)('%s: rejected', (_label, raw, type, message) => {
    const parsed = parseVendorBody(Buffer.from(raw, 'utf8'), type);
    if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.items)}`);
    expect(parsed.message.startsWith(`Mandatory field missing: ${message}`)).toBe(true);
  });

  const accepted: Array<[string, string, string | undefined, unknown[], boolean]> = [
    ['an object', '{"customer_id":"1"}', 'application/json', [{ customer_id: '1' }], false],
    ['an object without a content type', '{"customer_id":"1"}', undefined, [{ customer_id: '1' }], false],
    ['an array', '[{"a":1},{"b":2}]', 'application/json; charset=utf-8', [{ a: 1 }, { b: 2 }], true],
    ['a one-element array', '[{"a":1}]', 'APPLICATION/JSON', [{ a: 1 }], true],
    ['a +json type', '{"a":1}', 'application/vnd.kapture+json', [{ a: 1 }], false],
    ['UTF-8 text', '{"name":"राहुल 😀"}', 'application/json', [{ name: 'राहुल 😀' }], false],
    ['surrounding whitespace', ' \n{"a":1}\n ', 'application/json', [{ a: 1 }], false],
  ];

  it.each(accepted)('%s: accepted', (_label, raw, type, items, isArray) => {
    const parsed = parseVendorBody(Buffer.from(raw, 'utf8'), type);
    expect(parsed).toEqual({ ok: true, items, isArray });
  });

  it('__proto__ in a body is an own key of a plain object, not a prototype', () => {
    const parsed = parseVendorBody(Buffer.from('{"__proto__":{"polluted":1},"a":1}'), 'application/json');
    if (!parsed.ok) throw new Error(parsed.message);
    const item = parsed.items[0]!;
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.hasOwn(item, '__proto__')).toBe(true);
    expect((item as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
