import { describe, expect, it } from 'vitest';
import { checkItem, compileItemRules } from '../src/validation/request-fields.js';
import { suggestField } from '../src/validation/suggest.js';
import { ADD, CONTACT, CONTACTS, failed, keysOf, ok, SEARCH, UPDATE, VALID } from './helpers/field-rules.js';

/**
 * The field rules compiled from the spec and the did-you-mean hints, tested without HTTP:
 * which keys are mandatory, strict, aliased, unknown or unmapped. The values they accept are in
 * test/field-rules-values.test.ts.
 */

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
