import { beforeAll, describe, expect, it } from 'vitest';
import { expectVendorFailure, post, request, VENDOR } from './helpers/http.js';
import { CONTACT, expectNothingStored, VALID, url, useBadInputSandbox } from './helpers/bad-input.js';

/**
 * Bad input on the vendor surface: every bad request gets a vendor-shaped answer
 * that says what is wrong, nothing is stored, and the sandbox keeps serving.
 * This file: batches, bad updates and contacts, and another tenant's customers.
 */

useBadInputSandbox();

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
