import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { customerOf, expectConsistent, failureCode, foundIds, freshStore, idsByEmail, idsByPhone, PATHS, run, TENANT, type RunOptions } from './helpers/operations.js';

// Today's request shapes (Get Customer, Pull by date range, the nested /ms add-update), called
// in-process over a fresh store in memory per test; test/ms-add-update.test.ts and
// test/pull-customers.test.ts check the same operations' answers over HTTP.

let store: Store;
beforeEach(() => {
  store = freshStore();
});

const CURRENT: RunOptions = { profile: 'current' };
const blankContact = { contact_id: '', contact_person_name: '', contact_person_phone: '', contact_person_email: '', gender: '', update: false };
const ms = (info: Record<string, unknown>, contacts: Array<Record<string, unknown>> = []) => run(store, PATHS.ms, { customer_info: { customer_id: '', customer_name: '', phone: '', email_id: '', ...info }, contact_info: contacts }, CURRENT);
const get = (body: Record<string, unknown>) => foundIds(run(store, PATHS.search, body, CURRENT));

describe("today's nested add-update (/ms)", () => {
  it('adds with a name and a phone; the customer is indexed by both', () => {
    const result = ms({ customer_name: 'Meera Iyer', phone: '9876543210', city: 'Chennai' });
    expect(result).toMatchObject({ operation: 'addCustomer', mutated: true });
    const id = result.answer.customerIds![0]!;
    expect(customerOf(store, id)).toMatchObject({ name: 'Meera Iyer', city: 'Chennai', contacts: [{ contactPerson: 'Meera Iyer', phone: '9876543210', email: '', isPrimaryContact: true }] });
    expect(idsByPhone(store, '9876543210')).toEqual([id]);
    expectConsistent(store);
  });

  it('an add whose only phone is in a contact makes that contact the primary one, with its person', () => {
    const { answer } = ms({ customer_name: 'Nila' }, [{ ...blankContact, contact_person_name: 'Nila Office', contact_person_phone: '9822222222' }]);
    const customer = customerOf(store, answer.customerIds![0]!);
    expect(customer.contacts).toEqual([expect.objectContaining({ contactPerson: 'Nila Office', phone: '9822222222', isPrimaryContact: true })]);
    expect(answer.contactIds).toEqual([]);
    expectConsistent(store);
  });

  it('updates by Kapture id and adds a contact; the new phone finds the customer', () => {
    const id = ms({ customer_name: 'Asha', email_id: 'asha@example.in' }).answer.customerIds![0]!;
    const result = ms({ customer_id: String(id), city: 'Pune' }, [{ ...blankContact, contact_person_name: 'Ravi', contact_person_phone: '9811111111' }]);
    expect(result).toMatchObject({ operation: 'updateCustomer', answer: { customerIds: [id] } });
    expect(customerOf(store, id).city).toBe('Pune');
    expect(customerOf(store, id).contacts.map((c) => c.contactPerson)).toEqual(['Asha', 'Ravi']);
    expect(idsByPhone(store, '9811111111')).toEqual([id]);
    expectConsistent(store);
  });

  it("updating a contact's phone (contact_id, update: true) moves the customer to the new phone", () => {
    const id = ms({ customer_name: 'Asha', email_id: 'asha@example.in' }).answer.customerIds![0]!;
    ms({ customer_id: String(id) }, [{ ...blankContact, contact_person_name: 'Ravi', contact_person_phone: '9811111111' }]);
    const ravi = customerOf(store, id).contacts[1]!;
    ms({ customer_id: String(id) }, [{ ...blankContact, contact_id: String(ravi.id), contact_person_phone: '9833333333', update: true }]);
    expect(idsByPhone(store, '9811111111')).toEqual([]);
    expect(idsByPhone(store, '9833333333')).toEqual([id]);
    expect(failureCode(() => get({ phone: '9811111111', kapture_customer_id: '', email_id: '' }))).toBe('CustomerNotFound');
    expectConsistent(store);
  });

  it('an update of customer_info.email_id moves the primary contact to the new email', () => {
    const id = ms({ customer_name: 'Asha', email_id: 'asha@example.in' }).answer.customerIds![0]!;
    ms({ customer_id: String(id), email_id: 'asha.new@example.in' });
    expect(idsByEmail(store, 'asha@example.in')).toEqual([]);
    expect(idsByEmail(store, 'asha.new@example.in')).toEqual([id]);
    expectConsistent(store);
  });

  it('a contact_id the customer lacks, with update, is CustomerNotFound and changes nothing', () => {
    const before = structuredClone(customerOf(store, 272930));
    expect(failureCode(() => ms({ customer_id: '272930', city: 'X' }, [{ ...blankContact, contact_id: '1', update: true, contact_person_name: 'X' }]))).toBe('CustomerNotFound');
    expect(customerOf(store, 272930)).toEqual(before);
  });
});

describe("today's Get Customer (search URL)", () => {
  it('finds by Kapture id, source id, email and phone', () => {
    const { answer } = run(store, PATHS.addOrUpdate, { customer_id: 'crm-5', name: 'Five', email: 'five@example.in', phone: '9855555555' }, CURRENT);
    const id = answer.customerIds![0]!;
    expect(get({ kapture_customer_id: String(id) })).toEqual([id]);
    expect(get({ customer_id: 'crm-5', phone: '' })).toEqual([id]);
    expect(get({ email_id: 'FIVE@example.in' })).toEqual([id]);
    expect(get({ phone: 9855555555 })).toEqual([id]);
  });

  it('after an update, the old phone finds nobody and the new one finds the customer', () => {
    run(store, PATHS.addOrUpdate, { customer_id: '287230', phone: '9866666666' }, CURRENT);
    expect(failureCode(() => get({ phone: '999999100' }))).toBe('CustomerNotFound');
    expect(get({ phone: '9866666666' })).toEqual([287230]);
  });

  it('several customers sharing a phone answer the oldest, with a warning', () => {
    const first = run(store, PATHS.addOrUpdate, { name: 'A', phone: '9877777777' }, CURRENT).answer.customerIds![0]!;
    run(store, PATHS.addOrUpdate, { name: 'B', phone: '9877777777' }, CURRENT);
    const result = run(store, PATHS.search, { phone: '9877777777' }, CURRENT);
    expect(foundIds(result)).toEqual([first]);
    expect(result.warnings.join()).toContain('2 customers of this account have phone "9877777777"');
  });

  it("another tenant's customer is not found", () => {
    expect(failureCode(() => run(store, PATHS.search, { kapture_customer_id: '287230' }, { ...CURRENT, tenant: 777 }))).toBe('CustomerNotFound');
  });
});

describe('today\'s pull by date range (select URL)', () => {
  /** Three customers a minute apart on 1 May 2024 from 10:00 IST, one the next day. */
  function addDay(): number[] {
    const at = (iso: string) => ({ ...CURRENT, now: new Date(iso) });
    return ['2024-05-01T04:30:00.000Z', '2024-05-01T04:31:00.000Z', '2024-05-01T04:32:00.000Z', '2024-05-02T03:30:00.000Z'].map(
      (iso, i) => run(store, PATHS.addOrUpdate, { name: `Pull ${i}`, phone: `98000000${i}0`, email: `pull${i}@example.in`, customer_code: `C${i}` }, at(iso)).answer.customerIds![0]!,
    );
  }
  const pull = (body: Record<string, unknown>) => foundIds(run(store, PATHS.select, { cm_id: TENANT, createStartDate: '2024-05-01', createEndDate: '2024-05-02', ...body }, CURRENT));

  it('pulls one day oldest first, paged by limit and offset', () => {
    const ids = addDay();
    expect(pull({})).toEqual(ids.slice(0, 3));
    expect(pull({ limit: 2 })).toEqual(ids.slice(0, 2));
    expect(pull({ limit: '1', offset: '2' })).toEqual([ids[2]]);
  });

  it('filters by phone, email, name and customer code, as the store holds them after an update', () => {
    const ids = addDay();
    run(store, PATHS.addOrUpdate, { customer_id: String(ids[1]), phone: '9811112222' }, CURRENT);
    expect(pull({ phone: '9811112222' })).toEqual([ids[1]]);
    expect(pull({ phone: '9800000010' })).toEqual([]);
    expect(pull({ email: 'PULL2@example.in' })).toEqual([ids[2]]);
    expect(pull({ name: 'pull 0' })).toEqual([ids[0]]);
    expect(pull({ customerCode: 'C1' })).toEqual([ids[1]]);
  });

  it("refuses another account's cm_id and a window over 24 hours", () => {
    expect(failureCode(() => pull({ cm_id: 777 }))).toBe('AuthKeyInvalid');
    expect(failureCode(() => pull({ createEndDate: '2024-05-03' }))).toBe('ReqFieldMissing');
  });
});
