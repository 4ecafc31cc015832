import { describe, expect, it } from 'vitest';
import { componentSchema } from '../src/spec.js';
import { answerOrder, CONTACT_FIELDS, CUSTOMER_FIELDS } from '../src/vendor/fields.js';

// The field tables of src/vendor/fields.ts and the spec say the same: a field added to one and not
// the other fails here, naming it.

const properties = (schema: string) => Object.keys((componentSchema(schema).properties ?? {}) as Record<string, unknown>);

describe('the field tables and the spec', () => {
  it('customer fields: the table has exactly the request fields of the spec\'s CustomerFields, answered as Customer properties', () => {
    expect(CUSTOMER_FIELDS.map((row) => row.request).sort()).toEqual(properties('CustomerFields').sort());
    for (const row of CUSTOMER_FIELDS) expect(properties('Customer'), row.key).toContain(row.key);
  });

  it('contact fields: the table has the optional fields of AddContactsItem, answered as Contact properties', () => {
    const mandatory = ['customer_id', 'contact_person', 'name', 'email', 'phone'];
    expect(CONTACT_FIELDS.map((row) => row.request).sort()).toEqual(properties('AddContactsItem').filter((name) => !mandatory.includes(name)).sort());
    for (const row of CONTACT_FIELDS) expect(properties('Contact'), row.key).toContain(row.key);
  });

  it('places every row after a key an answer has, and refuses one that names no such key', () => {
    expect(answerOrder(['id', 'name'], [{ key: 'city', request: 'city', kind: 'text', after: 'name' }]).map((e) => e.key)).toEqual(['id', 'name', 'city']);
    expect(() => answerOrder(['id'], [{ key: 'city', request: 'city', kind: 'text', after: 'town' }])).toThrow(/no answer key for city \(after town\)/);
  });
});
