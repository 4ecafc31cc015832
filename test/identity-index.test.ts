import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../src/records.js';
import { emailKey, IdentityIndex, phoneKey } from '../src/store/identity-index.js';

function customer(id: number, phone: string, email: string, sourceId?: string): CustomerRecord {
  return {
    id,
    cmId: 396,
    ...(sourceId === undefined ? {} : { sourceId }),
    createdAt: '2026-01-01T00:00:00.000Z',
    name: `c${id}`,
    contacts: [{ id: id * 10, createdAt: '2026-01-01T00:00:00.000Z', contactPerson: 'p', phone, email, isPrimaryContact: true }],
  };
}

describe('the identity index (source id, phone, email per tenant)', () => {
  it('finds by source id, by phone digits and by email in any case, within the tenant only', () => {
    const index = new IdentityIndex();
    const a = customer(1, '+91 98765-43210', 'Asha@Example.in', 'crm-1');
    index.add(a);
    expect(index.bySource(396, 'crm-1')).toBe(a);
    expect(index.bySource(777, 'crm-1')).toBeUndefined();
    expect(index.byPhone(396, '919876543210')).toEqual([a]);
    expect(index.byEmail(396, ' asha@example.IN ')).toEqual([a]);
    expect(index.byPhone(777, '919876543210')).toEqual([]);
  });

  it('keeps customers sharing a phone oldest first, whatever order they are indexed in, each once', () => {
    const index = new IdentityIndex();
    const [c3, c1, c2] = [customer(3, '9811111111', 'x@e.in'), customer(1, '9811111111', 'y@e.in'), customer(2, '9811111111', 'z@e.in')];
    for (const c of [c3, c1, c2, c1, c3]) index.add(c);
    expect(index.byPhone(396, '9811111111').map((c) => c.id)).toEqual([1, 2, 3]);
  });

  it('a customer taken out before a change and added after it is found by its new phone, and no longer by its old one', () => {
    const index = new IdentityIndex();
    const a = customer(1, '9811111111', 'a@e.in');
    index.add(a);
    index.remove(a);
    a.contacts[0]!.phone = '9822222222';
    index.add(a);
    expect(index.byPhone(396, '9822222222')).toEqual([a]);
    expect(index.byPhone(396, '9811111111')).toEqual([]);
    expect(index.byEmail(396, 'a@e.in')).toEqual([a]);
  });

  it('removing one of several customers sharing a phone keeps the others, oldest first', () => {
    const index = new IdentityIndex();
    const [c1, c2, c3] = [customer(1, '9811111111', 'x@e.in'), customer(2, '9811111111', 'y@e.in'), customer(3, '9811111111', 'z@e.in')];
    for (const c of [c1, c2, c3]) index.add(c);
    index.remove(c2);
    expect(index.byPhone(396, '9811111111')).toEqual([c1, c3]);
    index.remove(c1);
    expect(index.byPhone(396, '9811111111')).toEqual([c3]);
    index.remove(c3);
    expect(index.byPhone(396, '9811111111')).toEqual([]);
    // Removing what is not there changes nothing.
    index.remove(c3);
    index.add(c2);
    expect(index.byPhone(396, '9811111111')).toEqual([c2]);
  });

  it('a removed customer loses its source id; another customer under the same id keeps it', () => {
    const index = new IdentityIndex();
    const a = customer(1, '9811111111', 'a@e.in', 'crm-1');
    index.add(a);
    index.remove(a);
    expect(index.bySource(396, 'crm-1')).toBeUndefined();
    const b = customer(2, '9833333333', 'b@e.in', 'crm-1');
    index.add(b);
    index.remove(a);
    expect(index.bySource(396, 'crm-1')).toBe(b);
  });

  it('answers arrays of the caller\'s own: changing one changes nothing in the index', () => {
    const index = new IdentityIndex();
    const [c1, c2] = [customer(1, '9811111111', 'x@e.in'), customer(2, '9811111111', 'y@e.in')];
    index.add(c1);
    index.add(c2);
    index.byPhone(396, '9811111111').pop();
    expect(index.byPhone(396, '9811111111')).toEqual([c1, c2]);
  });

  it('compares phones by digits and emails without case or surrounding spaces', () => {
    expect(phoneKey('+91 (98765) 43210')).toBe('919876543210');
    expect(phoneKey('9876543210')).toBe('9876543210');
    expect(emailKey(' Asha@Example.IN ')).toBe('asha@example.in');
    expect(emailKey('asha@example.in')).toBe('asha@example.in');
  });
});
