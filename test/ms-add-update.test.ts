import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { post, VENDOR } from './helpers/http.js';

// Today's Add/Update Customer: /ms/customer/customer/api/v1/add-update with a nested body, keys
// sent as today's clients send them (every key, unused ones "").

const MS = '/ms/customer/customer/api/v1/add-update';
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true, customers: 3, now: () => new Date('2026-06-15T06:30:00.000Z') });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const blankContact = { contact_id: '', title: '', first_name: '', last_name: '', contact_person_name: '', country_code: '', contact_person_phone: '', contact_person_email: '', additional_contact_phone: '', dob: '', gender: '', update: false, matchEmailPhone: false };
function body(info: Record<string, unknown>, contacts: Array<Record<string, unknown>> = [blankContact]) {
  return {
    customer_info: { customer_name: '', phone: '', email_id: '', locality: '', city: '', state: '', country: '', address: '', customer_id: '', zone: '', individual: false, organization: true, additional_fields: {}, update: false, ...info },
    contact_info: contacts,
    enquiry_info: { enquiry_id: '', assign_emp_name: '', additional_fields: {}, update: false, remarks: '' },
  };
}
const search = async (id: string) => (await post(sandbox.url, VENDOR.search, { kapture_customer_id: id })).json['Customer Details'];

describe('today\'s nested add-update', () => {
  it('adds with customer_name and phone, answering the Kapture id in today\'s casing', async () => {
    const answer = await post(sandbox.url, MS, body({ customer_name: 'Meera Iyer', phone: '9876543210', city: 'Chennai' }));
    expect(answer.json).toEqual({ message: 'Customer Added Successfully', 'Kapture Customer Id': expect.stringMatching(/^\d+$/), status: 'success' });
    expect(answer.headers.get('x-sandbox-warnings')).toContain('enquiry_info accepted and ignored');
    const customer = await search(answer.json['Kapture Customer Id']);
    expect(customer).toMatchObject({ name: 'Meera Iyer', city: 'Chennai', contacts: [{ contactPerson: 'Meera Iyer', phone: '9876543210', email: '' }] });
    const journal = await sandbox.journal.list({ operation: 'addCustomer' });
    expect(journal.at(-1)).toMatchObject({ path: MS, shape: 'current' });
  });

  it('accepts the table\'s name/email for the sample\'s customer_name/email_id', async () => {
    const answer = await post(sandbox.url, MS, { customer_info: { name: 'Ravi', email: 'ravi@example.in' } });
    expect(answer.json.status).toBe('success');
  });

  it('updates by Kapture id, adds a contact, and updates one named by contact_id with update: true', async () => {
    const id = (await post(sandbox.url, MS, body({ customer_name: 'Asha', email_id: 'asha@example.in' }))).json['Kapture Customer Id'];
    const added = await post(sandbox.url, MS, body({ customer_id: id, city: 'Pune' }, [{ ...blankContact, contact_person_name: 'Ravi', contact_person_phone: '9811111111' }]));
    expect(added.json).toEqual({ message: 'Customer Updated Successfully', 'Kapture Customer Id': id, status: 'success' });
    const withContact = await search(id);
    expect(withContact.city).toBe('Pune');
    const ravi = withContact.contacts.find((c: { contactPerson: string }) => c.contactPerson === 'Ravi');
    expect(ravi).toMatchObject({ phone: '9811111111', isPrimaryContact: false });
    await post(sandbox.url, MS, body({ customer_id: id }, [{ ...blankContact, contact_id: String(ravi.id), contact_person_email: 'ravi@example.in', update: true }]));
    expect((await search(id)).contacts.find((c: { id: number }) => c.id === ravi.id)).toMatchObject({ email: 'ravi@example.in', phone: '9811111111' });
    const untouched = await post(sandbox.url, MS, body({ customer_id: id }, [{ ...blankContact, contact_id: String(ravi.id), contact_person_email: 'other@example.in' }]));
    expect(untouched.headers.get('x-sandbox-warnings')).toContain(`contact_id ${ravi.id} left unchanged: send "update": true`);
  });

  it.each([
    ['no name', { phone: '9876543210' }],
    ['a name but neither phone nor email', { customer_name: 'Nila' }],
    ['every key empty', {}],
  ])('refuses an add with %s in the vendor\'s words, storing nothing', async (_label, info) => {
    const before = (await sandbox.health()).customers;
    const answer = await post(sandbox.url, MS, body(info));
    expect(answer.text).toBe('{"message":"Name, Email Id, and Phone Number required","status":"failed"}');
    expect(answer.headers.get('x-sandbox-error')).toBe('ReqFieldMissing');
    expect((await sandbox.health()).customers).toBe(before);
  });

  it.each([
    ['a malformed email_id', body({ customer_name: 'A', email_id: 'nope' }), 'ReqFieldMissing', /^Mandatory field malformed: customer_info\.email/],
    ['customer_info missing', { contact_info: [] }, 'ReqFieldMissing', /^Mandatory field missing: customer_info$/],
    ['customer_info a string', { customer_info: 'x' }, 'ReqFieldMissing', /^Mandatory field malformed: customer_info/],
    ['an unknown Kapture id', body({ customer_id: '999999', city: 'X' }), 'CustomerNotFound', /^Customer not found: no customer with customer_info\.customer_id 999999/],
    ['a contact_id the customer lacks, with update', body({ customer_id: '272930' }, [{ contact_id: '1', update: true, contact_person_name: 'X' }]), 'CustomerNotFound', /^Contact not found/],
  ])('refuses %s in today\'s failure body, storing nothing', async (_label, sent, code, message) => {
    const before = JSON.stringify(await search('272930'));
    const answer = await post(sandbox.url, MS, sent);
    expect(answer.headers.get('x-sandbox-error')).toBe(code);
    expect(Object.keys(answer.json)).toEqual(['message', 'status']);
    expect(answer.json.message).toMatch(message);
    expect(JSON.stringify(await search('272930'))).toBe(before);
  });

  it('answers an invalid key and a GET in today\'s failure body', async () => {
    expect((await post(sandbox.url, MS, body({ customer_name: 'A', phone: '9876543210' }), { key: 'nope' })).text).toBe('{"message":"Invalid Auth Key","status":"failed"}');
    const get = await fetch(sandbox.url + MS);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ status: 'failed' });
  });
});
