import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { customerOf, expectConsistent, failureCode, foundIds, freshStore, idsByEmail, idsByPhone, PATHS, run, TENANT } from './helpers/operations.js';

// The 2016 document's operations, called in-process over a fresh store in memory per test: what
// each leaves in the store (the customer, its indexes, its cached JSON), not how it is answered
// (test/document-samples.test.ts and test/customer-flow.test.ts go through HTTP).

let store: Store;
beforeEach(() => {
  store = freshStore();
});

const ASHA = { name: 'Asha Rao', email: 'asha@example.in', phone: 9876543210, city: 'Pune', zone: '3', date_of_birth: '1990-05-17' };

/** Adds Asha and answers her id. */
function addAsha(): number {
  const { answer } = run(store, PATHS.addOrUpdate, ASHA);
  return answer.customerIds![0]!;
}

describe('add', () => {
  it('stores the customer with its primary contact, and indexes it by id, phone, email and date', () => {
    const before = store.data.counters.customerId;
    const result = run(store, PATHS.addOrUpdate, ASHA);
    expect(result).toMatchObject({ operation: 'addCustomer', mutated: true, answer: { customerIds: [before] } });
    const asha = customerOf(store, before);
    expect(asha).toMatchObject({ cmId: TENANT, name: 'Asha Rao', city: 'Pune', zone: 3, dateOfBirth: '1990-05-17', createdAt: '2026-11-29T06:30:00.000Z' });
    expect(asha.contacts).toEqual([expect.objectContaining({ contactPerson: 'Asha Rao', phone: '9876543210', email: 'asha@example.in', isPrimaryContact: true })]);
    expect(idsByPhone(store, '98765-43210')).toEqual([asha.id]);
    expect(idsByEmail(store, 'ASHA@example.in')).toEqual([asha.id]);
    expect(store.customersBetween(TENANT, Date.parse('2026-11-29T00:00:00Z'), Date.parse('2026-11-30T00:00:00Z'))).toEqual([asha]);
    expect(store.data.counters.customerId).toBe(before + 1);
    expectConsistent(store);
  });

  it('a batch adds every customer, with consecutive ids', () => {
    const { answer } = run(store, PATHS.addOrUpdate, [
      { name: 'One', email: 'one@example.in', phone: '9000000001' },
      { name: 'Two', email: 'two@example.in', phone: '9000000002' },
    ]);
    const [one, two] = answer.customerIds!;
    expect(two).toBe(one! + 1);
    expect(idsByPhone(store, '9000000002')).toEqual([two]);
    expectConsistent(store);
  });

  it('is the tenant\'s own: another tenant finds nothing by its phone', () => {
    const id = addAsha();
    expect(idsByPhone(store, '9876543210', 777)).toEqual([]);
    expect(store.customer(777, id)).toBeUndefined();
  });
});

describe('update', () => {
  it('changes what it names; the old email and phone no longer find the customer, the new ones do', () => {
    const id = addAsha();
    const result = run(store, PATHS.addOrUpdate, { customer_id: String(id), name: 'Asha R.', email: 'asha.r@example.in', phone: '9811111111', state: 'Maharashtra' });
    expect(result).toMatchObject({ operation: 'updateCustomer', mutated: true, answer: { customerIds: [id] } });
    expect(customerOf(store, id)).toMatchObject({ name: 'Asha R.', state: 'Maharashtra', city: 'Pune', zone: 3 });
    expect(customerOf(store, id).contacts[0]).toMatchObject({ email: 'asha.r@example.in', phone: '9811111111' });
    expect(idsByPhone(store, '9876543210')).toEqual([]);
    expect(idsByEmail(store, 'asha@example.in')).toEqual([]);
    expect(idsByPhone(store, '9811111111')).toEqual([id]);
    expect(idsByEmail(store, 'asha.r@example.in')).toEqual([id]);
    expectConsistent(store);
  });

  it('matched by Kapture id warns that customer_id is meant as the other system\'s id', () => {
    const id = addAsha();
    const { warnings } = run(store, PATHS.addOrUpdate, { customer_id: String(id), city: 'Mysuru' });
    expect(warnings.join()).toContain(`matched Kapture's id of customer ${id}`);
  });

  it('a batch naming one unknown customer changes nothing', () => {
    const before = structuredClone(customerOf(store, 287230));
    const call = () => run(store, PATHS.addOrUpdate, [{ customer_id: '287230', city: 'Mysuru' }, { customer_id: '999999999', city: 'Nowhere' }]);
    expect(failureCode(call)).toBe('CustomerNotFound');
    expect(customerOf(store, 287230)).toEqual(before);
    expectConsistent(store);
  });

  it('another tenant\'s customer is not found, and stays as it was', () => {
    const id = addAsha();
    expect(failureCode(() => run(store, PATHS.addOrUpdate, { customer_id: String(id), name: 'Hijacked' }, { tenant: 777 }))).toBe('CustomerNotFound');
    expect(customerOf(store, id).name).toBe('Asha Rao');
  });
});

describe('upsert: an unknown customer_id on the add-update URL', () => {
  it('with the add fields, adds a customer keeping it as its source id; the same call again updates that customer', () => {
    const body = { customer_id: 'crm-42', name: 'Ravi', email: 'ravi@example.in', phone: '9822222222' };
    const first = run(store, PATHS.addOrUpdate, body);
    const id = first.answer.customerIds![0]!;
    expect(customerOf(store, id).sourceId).toBe('crm-42');
    expect(store.customerBySource(TENANT, 'crm-42')?.id).toBe(id);
    const again = run(store, PATHS.addOrUpdate, { ...body, phone: '9833333333' });
    expect(again.answer.customerIds).toEqual([id]);
    expect(again.warnings).toEqual([]);
    expect(idsByPhone(store, '9822222222')).toEqual([]);
    expect(idsByPhone(store, '9833333333')).toEqual([id]);
    expectConsistent(store);
  });

  it('a batch naming one new customer_id twice adds it once, the later item updating it', () => {
    const { answer } = run(store, PATHS.addOrUpdate, [
      { customer_id: 'crm-7', name: 'Seven', email: 'seven@example.in', phone: '9844444444' },
      { customer_id: 'crm-7', city: 'Pune' },
    ]);
    const [first, second] = answer.customerIds!;
    expect(second).toBe(first);
    expect(customerOf(store, first!)).toMatchObject({ sourceId: 'crm-7', name: 'Seven', city: 'Pune' });
  });

  it('without the add fields, is CustomerNotFound and adds nothing', () => {
    const count = store.customerCount(TENANT);
    expect(failureCode(() => run(store, PATHS.addOrUpdate, { customer_id: 'crm-missing', name: 'No phone' }))).toBe('CustomerNotFound');
    expect(store.customerCount(TENANT)).toBe(count);
  });
});

describe('search (document shape)', () => {
  it('finds by Kapture id and by source id, in the order asked', () => {
    const { answer } = run(store, PATHS.addOrUpdate, { customer_id: 'crm-9', name: 'Nine', email: 'nine@example.in', phone: '9855555555' });
    const id = answer.customerIds![0]!;
    const result = run(store, PATHS.search, [{ customer_id: 'crm-9' }, { customer_id: '287230' }]);
    expect(result).toMatchObject({ operation: 'searchCustomer', mutated: false });
    expect(foundIds(result)).toEqual([id, 287230]);
  });

  it('an id this tenant does not have is CustomerNotFound', () => {
    expect(failureCode(() => run(store, PATHS.search, { customer_id: '287230' }, { tenant: 777 }))).toBe('CustomerNotFound');
  });
});

describe('select between dates', () => {
  it('lists the tenant\'s customers created within the range, oldest first, both ends included', () => {
    const id = addAsha();
    const select = (body: object) => foundIds(run(store, PATHS.select, body));
    expect(select({ start_date: '2026-11-29', end_date: '2026-11-29' })).toEqual([id]);
    expect(select({ start_date: '2026-11-29 12:00:01', end_date: '2026-11-30 00:00:00' })).toEqual([]);
    expect(select({ start_date: '2016-01-01', end_date: '2016-12-31' })).toEqual([286829, 272930, 287230]);
    expect(select({ start_date: '2016-01-01', end_date: '2026-12-31', customer_id: String(id) })).toEqual([id]);
  });

  it('a range whose start is after its end finds nothing, with a warning', () => {
    const result = run(store, PATHS.select, { start_date: '2026-12-01', end_date: '2026-11-01' });
    expect(foundIds(result)).toEqual([]);
    expect(result.warnings.join()).toContain('start_date 2026-12-01 is after end_date 2026-11-01');
  });
});

describe('add contacts', () => {
  it('appends a non-primary contact, found by its phone and email from then on', () => {
    const id = addAsha();
    const result = run(store, PATHS.addContacts, { customer_id: id, contact_person: 'Ravi Rao', email: 'ravi@example.in', phone: '+919812345678', designation: 'Manager' }, { now: new Date('2026-11-29T07:30:00.000Z') });
    expect(result).toMatchObject({ operation: 'addContacts', mutated: true, answer: { customerIds: [id] } });
    const contacts = customerOf(store, id).contacts;
    expect(contacts).toHaveLength(2);
    expect(contacts[1]).toMatchObject({ id: result.answer.contactIds![0], contactPerson: 'Ravi Rao', designation: 'Manager', isPrimaryContact: false, createdAt: '2026-11-29T07:30:00.000Z' });
    expect(idsByPhone(store, '919812345678')).toEqual([id]);
    expect(idsByEmail(store, 'ravi@example.in')).toEqual([id]);
    // The primary contact still finds the customer too.
    expect(idsByPhone(store, '9876543210')).toEqual([id]);
    expectConsistent(store);
  });

  it('a batch naming an unknown customer adds no contact at all', () => {
    const id = addAsha();
    const call = () =>
      run(store, PATHS.addContacts, [
        { customer_id: id, contact_person: 'A', email: 'a@example.in', phone: '9000000011' },
        { customer_id: 999999999, contact_person: 'B', email: 'b@example.in', phone: '9000000012' },
      ]);
    expect(failureCode(call)).toBe('CustomerNotFound');
    expect(customerOf(store, id).contacts).toHaveLength(1);
    expect(idsByPhone(store, '9000000011')).toEqual([]);
  });
});
