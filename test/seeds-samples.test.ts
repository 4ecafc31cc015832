import { describe, expect, it } from 'vitest';
import { calendarObject, gsonDate, imageReferenceId, parseVendorDateTime } from '../src/vendor/dates.js';
import { OPERATION_IDS } from '../src/operations/ids.js';
import type { CustomerRecord } from '../src/records.js';
import { DEFAULT_TENANT, defaultKeys } from '../seeds/keys.js';
import { sampleCustomers } from '../seeds/samples.js';
import { ISO_MS, SAMPLE_IDS } from './helpers/seeds.js';

/** The seed data written by hand: the vendor document's sample customers, and the default keys. */

const byId = (data: { customers: CustomerRecord[] }, id: number) => {
  const c = data.customers.find((x) => x.id === id);
  if (!c) throw new Error(`customer ${id} missing`);
  return c;
};

describe('sampleCustomers: the vendor document samples', () => {
  const samples = sampleCustomers();

  it('lists 287230, 286829, 272930 in that order, all on account 396', () => {
    expect(samples.map((c) => c.id)).toEqual(SAMPLE_IDS);
    expect(samples.map((c) => c.cmId)).toEqual([396, 396, 396]);
  });

  // What the document shows for each sample, checked through the date functions.
  it.each([
    [287230, 'Apr 29, 2016 10:37:14 PM', 'CUS_2016-04-29 22:37:14.259'],
    [286829, 'Mar 3, 2016 1:38:59 PM', 'CUS_2016-03-03 13:38:59.631'],
    [272930, 'Mar 31, 2016 11:20:45 AM', 'CUS_2016-03-31 11:20:45.112'],
  ])('%i renders generationDate %j and imageReferenceId %j', (id, generationDate, ref) => {
    const c = byId({ customers: samples }, id);
    expect(c.createdAt).toMatch(ISO_MS);
    expect(gsonDate(c.createdAt)).toBe(generationDate);
    expect(imageReferenceId(c.createdAt)).toBe(ref);
  });

  it.each([
    [
      287230,
      {
        name: 'Chandran',
        address: 'No. 25,Virrudhi Complex, Leela Palace Road, Domlur , ',
        state: 'Karnataka',
        pinCode: '560009',
      },
      ['id', 'cmId', 'createdAt', 'name', 'address', 'state', 'pinCode', 'contacts'],
    ],
    [
      286829,
      {
        name: 'Nikesh',
        address: '',
        state: 'karnataka',
        city: 'bangalore',
        country: 'india',
        pinCode: '',
        classification: '',
        customerType: 't',
        zone: 2,
      },
      ['id', 'cmId', 'createdAt', 'name', 'address', 'city', 'state', 'country', 'pinCode', 'customerType', 'classification', 'zone', 'contacts'],
    ],
    [
      272930,
      {
        name: 'Rahul',
        address: 'domlur',
        city: 'bangalore',
        state: 'karnataka',
        country: 'india',
        customerCode: '1',
        customerType: 't',
      },
      ['id', 'cmId', 'createdAt', 'name', 'address', 'city', 'state', 'country', 'customerCode', 'customerType', 'contacts'],
    ],
  ])('%i has exactly the fields the document gives', (id, fields, keys) => {
    const c = byId({ customers: samples }, id);
    expect(c).toMatchObject(fields);
    expect(Object.keys(c).sort()).toEqual([...keys].sort());
  });

  it.each([
    [
      287230,
      365799,
      { contactPerson: 'Chandran ', gender: 'Male', phone: '999999100', email: 'help@adjetter.in', isPrimaryContact: true, maritalStatus: ' ' },
      { year: 2016, month: 3, dayOfMonth: 29, hourOfDay: 22, minute: 37, second: 14 },
    ],
    [
      286829,
      365384,
      { contactPerson: 'nikesh', gender: ' ', phone: '999999911', email: 'help@kapturecrm.com', isPrimaryContact: true, maritalStatus: ' ' },
      { year: 2016, month: 2, dayOfMonth: 3, hourOfDay: 13, minute: 38, second: 59 },
    ],
    [
      286829,
      365448,
      { contactPerson: 'nikesh', gender: ' ', phone: '8867148604', email: 'test@kapturecrm.com', isPrimaryContact: true, maritalStatus: ' ' },
      { year: 2016, month: 3, dayOfMonth: 15, hourOfDay: 13, minute: 43, second: 33 },
    ],
    [
      272930,
      358120,
      { contactPerson: 'Rahul', gender: ' ', phone: '1234567890', email: 'abc@gmail.com', isPrimaryContact: true, maritalStatus: ' ' },
      { year: 2016, month: 2, dayOfMonth: 31, hourOfDay: 11, minute: 20, second: 45 },
    ],
  ])('customer %i contact %i matches the document, Calendar included', (customerId, contactId, fields, calendar) => {
    const contact = byId({ customers: samples }, customerId).contacts.find((k) => k.id === contactId);
    expect(contact).toBeDefined();
    expect(contact).toMatchObject(fields);
    expect(contact!.createdAt).toMatch(/\.000Z$/); // the Calendar has no milliseconds
    expect(calendarObject(contact!.createdAt)).toStrictEqual(calendar);
  });

  it('gives the contact counts of the document', () => {
    expect(samples.map((c) => c.contacts.map((k) => k.id))).toEqual([[365799], [365384, 365448], [358120]]);
  });

  it('makes the select sample {"start_date":"2016-03-31","end_date":"2016-03-31"} find 272930 only', () => {
    const start = parseVendorDateTime('2016-03-31', 'start')!;
    const end = parseVendorDateTime('2016-03-31', 'end')!;
    const found = samples.filter((c) => Date.parse(c.createdAt) >= start && Date.parse(c.createdAt) <= end);
    expect(found.map((c) => c.id)).toEqual([272930]);
  });

  it('returns fresh objects on every call', () => {
    const a = sampleCustomers();
    a[0]!.name = 'changed';
    a[1]!.contacts.pop();
    const b = sampleCustomers();
    expect(b[0]!.name).toBe('Chandran');
    expect(b[1]!.contacts).toHaveLength(2);
  });
});

describe('defaultKeys and OPERATION_IDS', () => {
  it('lists the five operations', () => {
    expect([...OPERATION_IDS]).toEqual(['addCustomer', 'updateCustomer', 'selectCustomers', 'searchCustomer', 'addContacts']);
  });

  it('has the sandbox, expired and search-only keys on tenant 396', () => {
    expect(DEFAULT_TENANT).toBe(396);
    expect(defaultKeys()).toStrictEqual([
      { key: 'sandbox-key', tenant: 396, name: 'Sandbox default key' },
      { key: 'expired-key', tenant: 396, expiresAt: '2016-01-01T00:00:00.000Z', name: 'Expired key' },
      { key: 'search-only-key', tenant: 396, operations: ['searchCustomer'], name: 'Search-only key' },
    ]);
  });

  it('grants only known operations', () => {
    for (const k of defaultKeys()) for (const op of k.operations ?? []) expect(OPERATION_IDS).toContain(op);
  });
});
