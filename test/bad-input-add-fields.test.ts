import { describe, expect, it } from 'vitest';
import { addedId, expectVendorFailure, post, searchCustomer, VENDOR } from './helpers/http.js';
import { expectNothingStored, expectOneStored, unique, VALID, warningsOf, url, useBadInputSandbox } from './helpers/bad-input.js';

/**
 * Bad input on the vendor surface: every bad request gets a vendor-shaped answer
 * that says what is wrong, nothing is stored, and the sandbox keeps serving.
 * This file: the mandatory and the optional fields of an add.
 */

useBadInputSandbox();

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
