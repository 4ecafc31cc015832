import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { loadSpec } from '../src/spec.js';
import { post, request, VENDOR } from './helpers/http.js';

// Clients written against today's Kapture, behaving as they do in production: each sends exactly
// what it sends and reads exactly what it reads. A sandbox that knew only the 2016 document failed
// both.

const PINNED = new Date('2026-06-15T06:30:00.000Z');
let documentSandbox: Sandbox;
let currentSandbox: Sandbox;
beforeAll(async () => {
  [documentSandbox, currentSandbox] = await Promise.all([
    startSandbox({ port: 0, inMemory: true, customers: 5, now: () => PINNED }),
    startSandbox({ port: 0, inMemory: true, customers: 5, now: () => PINNED, profile: 'current' }),
  ]);
});
afterAll(async () => {
  await Promise.all([documentSandbox.close(), currentSandbox.close()]);
});
beforeEach(async () => {
  await Promise.all([documentSandbox.reset(), currentSandbox.reset()]);
});

/** The ride-hailing backend's "Kapture customer login": one POST per login of the same person. */
async function loginClient(baseUrl: string, person: { id: string; name: string; phone: string; email?: string }): Promise<string> {
  const key = 'sandbox-key';
  const response = await fetch(`${baseUrl}${VENDOR.add}`, {
    method: 'POST',
    headers: { Authorization: key, 'x-api-key': key, 'x-api-type': 'TICKET', 'Content-Type': 'application/json' },
    body: JSON.stringify([{ customer_id: person.id, name: person.name, phone: person.phone, email: person.email ?? '', customer_code: person.id }]),
  });
  const decoded = (await response.json()) as Record<string, unknown>;
  // Its decoder: an object with the string keys message, status and "Kapture Customer Id" (case-sensitive).
  for (const field of ['message', 'status', 'Kapture Customer Id']) {
    if (typeof decoded[field] !== 'string') throw new Error(`decoding failed: no string "${field}" in ${JSON.stringify(decoded)}`);
  }
  return decoded['Kapture Customer Id'] as string;
}

/** The Python `requests` client: search by phone with every key present, empty ones "". */
async function searchByPhoneClient(baseUrl: string, phone: string): Promise<{ id: number; name: string; address: string; pinCode: string; phone: string }> {
  const response = await fetch(`${baseUrl}${VENDOR.search}`, {
    method: 'POST',
    headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
    body: JSON.stringify([{ kapture_customer_id: '', customer_id: '', email_id: '', phone }]),
  });
  const r = (await response.json()) as Record<string, any>;
  if (r.status !== 'success') throw new Error(`KeyError or failure: ${JSON.stringify(r)}`);
  const details = r['Customer Details'];
  return { id: details.id, name: details.name, address: details.address, pinCode: details.pinCode, phone: details.contacts[0].phone };
}

describe('a login client that upserts with its own person id and decodes the lowercase answer', () => {
  it('works on --profile current: every login answers the same Kapture id, the person is one customer', async () => {
    const person = { id: randomUUID(), name: 'Asha Rao', phone: '9876501234' };
    const first = await loginClient(currentSandbox.url, person);
    const second = await loginClient(currentSandbox.url, { ...person, name: 'Asha R.' });
    const third = await loginClient(currentSandbox.url, person);
    expect(first).toMatch(/^\d+$/);
    expect([second, third]).toEqual([first, first]);
    const found = await post(currentSandbox.url, VENDOR.search, { customer_id: person.id });
    expect(found.json.message.map((c: { id: number }) => c.id)).toEqual([Number(first)]);
    expect(found.json.message[0]).toMatchObject({ name: 'Asha Rao', customerCode: person.id, city: '' });
    const journal = await currentSandbox.journal.list({ operation: 'addCustomer' });
    expect(journal.map((entry) => entry.operation)).toEqual(['addCustomer']);
    expect((await currentSandbox.journal.list({ operation: 'updateCustomer' })).length).toBe(2);
  });

  it('fails on the default profile only where the 2016 document does: the empty email, then the Message/Status casing', async () => {
    const person = { id: randomUUID(), name: 'Ravi Rao', phone: '9876501235' };
    await expect(loginClient(documentSandbox.url, person)).rejects.toThrow(/no string "message" in \{"Message":"Mandatory field empty: \[0\]\.email","Status":"Fail"\}/);
    await expect(loginClient(documentSandbox.url, { ...person, email: 'ravi@example.in' })).rejects.toThrow(/no string "message" in \{"Message":"Customer Added Successfully","Kapture Customer Id":"\d+","Status":"Success"\}/);
  });
});

describe('a search client of today\'s Get Customer, on the default profile', () => {
  it('finds a customer by phone with every other key "", and reads "Customer Details"', async () => {
    const added = await post(documentSandbox.url, VENDOR.add, { name: 'Meera Iyer', phone: '9981342605', email: 'meera@example.in', address: 'MG Road' });
    const id = Number(added.json['Kapture Customer Id']);
    expect(await searchByPhoneClient(documentSandbox.url, '9981342605')).toEqual({ id, name: 'Meera Iyer', address: 'MG Road', pinCode: '', phone: '9981342605' });
  });

  it('answers a miss with the vendor\'s text verbatim (typo included) and the error code', async () => {
    const miss = await post(documentSandbox.url, VENDOR.search, [{ kapture_customer_id: '', customer_id: '', email_id: '', phone: '9000000001' }]);
    expect(miss.text).toBe('{"Customer Details":"Information given by you does not exist in our sytsem.","status":"failed"}');
    expect(miss.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
  });

  it.each([
    ['kapture_customer_id', (id: number) => ({ kapture_customer_id: String(id) })],
    ['kapture_customer_id as a number', (id: number) => ({ kapture_customer_id: id })],
    ['email_id, any case', () => ({ email_id: 'MEERA@example.in' })],
    ['phone as a number', () => ({ phone: 9981342605 })],
    ['customer_id beside empty keys', (id: number) => ({ kapture_customer_id: '', customer_id: String(id), phone: '' })],
  ])('identifies the customer by %s', async (_label, body) => {
    const added = await post(documentSandbox.url, VENDOR.add, { name: 'Meera Iyer', phone: '9981342605', email: 'meera@example.in' });
    const id = Number(added.json['Kapture Customer Id']);
    const found = await post(documentSandbox.url, VENDOR.search, body(id));
    expect(found.json.status).toBe('success');
    expect(found.json['Customer Details'].id).toBe(id);
  });

  it('answers the oldest of several customers sharing a phone, and says so', async () => {
    const first = await post(documentSandbox.url, VENDOR.add, { name: 'One', phone: '9811111111', email: 'one@example.in' });
    await post(documentSandbox.url, VENDOR.add, { name: 'Two', phone: '9811111111', email: 'two@example.in' });
    const found = await post(documentSandbox.url, VENDOR.search, { phone: '9811111111' });
    expect(found.json['Customer Details'].id).toBe(Number(first.json['Kapture Customer Id']));
    expect(found.headers.get('x-sandbox-warnings')).toContain('2 customers of this account have phone "9811111111": the oldest');
  });

  it.each([
    ['every key empty', [{ kapture_customer_id: '', customer_id: '', email_id: '', phone: '' }], 'Mandatory field missing: [0].kapture_customer_id or [0].customer_id or [0].email_id or [0].phone'],
    ['a malformed email_id', { email_id: 'not-an-email' }, 'Mandatory field malformed: email_id'],
    ['a malformed phone', { phone: '12ab' }, 'Mandatory field malformed: phone'],
  ])('refuses %s in today\'s failure body', async (_label, body, message) => {
    const answer = await post(documentSandbox.url, VENDOR.search, body);
    expect(answer.headers.get('x-sandbox-error')).toBe('ReqFieldMissing');
    expect(Object.keys(answer.json)).toEqual(['message', 'status']);
    expect(answer.json.status).toBe('failed');
    expect(answer.json.message.startsWith(message)).toBe(true);
  });

  it('the journal and coverage say which shape each request had', async () => {
    await post(documentSandbox.url, VENDOR.search, { phone: '999999911' });
    await post(documentSandbox.url, VENDOR.search, { customer_id: '272930' });
    expect((await documentSandbox.journal.list({ operation: 'searchCustomer' })).map((entry) => entry.shape)).toEqual(['current', 'document']);
    const coverage = await request(documentSandbox.url, '/__sandbox/coverage');
    expect(coverage.json.operations.searchCustomer.shapes).toEqual({ current: 1, document: 1 });
  });

  it('refuses an unknown key as today\'s Kapture does', async () => {
    const answer = await post(documentSandbox.url, VENDOR.search, { phone: '9981342605' }, { key: 'nope' });
    expect(answer.text).toBe('{"message":"Invalid Auth Key","status":"failed"}');
    expect(answer.headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
  });
});

describe('upsert on the add-update URL: customer_id is the integrating system\'s id', () => {
  it('adds an unknown one with the add fields, keeps it as the source id, and updates it next time (default profile)', async () => {
    const source = randomUUID();
    const added = await post(documentSandbox.url, VENDOR.add, { customer_id: source, name: 'Kiran', phone: '9822222222', email: 'kiran@example.in' });
    expect(added.json).toEqual({ Message: 'Customer Added Successfully', 'Kapture Customer Id': expect.stringMatching(/^\d+$/), Status: 'Success' });
    const updated = await post(documentSandbox.url, VENDOR.add, { customer_id: source, city: 'Pune' });
    expect(updated.text).toBe('{"message":"Customer Updated Successfully","status":"success"}');
    const found = await post(documentSandbox.url, VENDOR.search, { customer_id: source });
    expect(found.json.message[0]).toMatchObject({ id: Number(added.json['Kapture Customer Id']), city: 'Pune' });
  });

  it('an unknown one without the add fields changes nothing: CustomerNotFound', async () => {
    const before = (await documentSandbox.health()).customers;
    const answer = await post(documentSandbox.url, VENDOR.add, { customer_id: 'crm-42', city: 'Pune' });
    expect(answer.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    expect(answer.json).toEqual({ Message: 'Customer not found: no customer with customer_id crm-42 in this account', Status: 'Fail' });
    expect((await documentSandbox.health()).customers).toBe(before);
  });

  it('an update by Kapture\'s id still works, with a warning that it is not a source id', async () => {
    const updated = await post(documentSandbox.url, VENDOR.add, { customer_id: '272930', city: 'Mysore' });
    expect(updated.json.status).toBe('success');
    expect(updated.headers.get('x-sandbox-warnings')).toContain('customer_id "272930" is no customer\'s source id: it matched Kapture\'s id of customer 272930');
  });

  it('a key granted only updateCustomer cannot add through upsert', async () => {
    await documentSandbox.keys.add({ key: 'update-only', tenant: 396, operations: ['updateCustomer'] });
    const answer = await post(documentSandbox.url, VENDOR.add, { customer_id: 'new-1', name: 'N', phone: '9833333333', email: 'n@example.in' }, { key: 'update-only' });
    expect(answer.headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
  });
});

describe('profiles: the same requests, answered as each generation does', () => {
  const add = { name: 'Priya', phone: '9844444444', email: 'priya@example.in' };

  it.each([
    ['document', () => documentSandbox, /^\{"Message":"Customer Added Successfully","Kapture Customer Id":"\d+","Status":"Success"\}$/],
    ['current', () => currentSandbox, /^\{"message":"Customer Added Successfully","Kapture Customer Id":"\d+","status":"success"\}$/],
  ])('add on %s', async (_name, sandbox, answer) => {
    expect((await post(sandbox().url, VENDOR.add, add)).text).toMatch(answer);
  });

  it.each([
    ['document', () => documentSandbox, '{"message":"Customer Updated Successfully","status":"success"}'],
    ['current', () => currentSandbox, '{"message":"Customer Updated Successfully","Kapture Customer Id":"272930","status":"success"}'],
  ])('update on %s', async (_name, sandbox, answer) => {
    expect((await post(sandbox().url, VENDOR.add, { customer_id: '272930', city: 'Goa' })).text).toBe(answer);
  });

  it.each([
    ['document', () => documentSandbox, '{"Message":"Auth Key Expired","Status":"Fail"}'],
    ['current', () => currentSandbox, '{"message":"Invalid Auth Key","status":"failed"}'],
  ])('an expired key on %s', async (_name, sandbox, answer) => {
    const refused = await post(sandbox().url, VENDOR.search, { customer_id: '272930' }, { key: 'expired-key' });
    expect(refused.text).toBe(answer);
    expect(refused.headers.get('x-sandbox-error')).toBe('APIExpired');
  });

  it('unset string fields: left out on document, "" on current', async () => {
    const id = (await post(documentSandbox.url, VENDOR.add, add)).json['Kapture Customer Id'];
    const documentCustomer = (await post(documentSandbox.url, VENDOR.search, { customer_id: id })).json.message[0];
    expect(documentCustomer).not.toHaveProperty('city');
    const currentId = (await post(currentSandbox.url, VENDOR.add, add)).json['Kapture Customer Id'];
    const currentCustomer = (await post(currentSandbox.url, VENDOR.search, { customer_id: currentId })).json.message[0];
    expect(currentCustomer).toMatchObject({ city: '', state: '', address: '', pinCode: '', customerCode: '' });
    expect(Object.keys(currentCustomer).slice(0, 5)).toEqual(['id', 'cmId', 'isOrganization', 'name', 'address']);
  });

  it('an add without email: refused on document, accepted on current with a warning naming the difference', async () => {
    const refused = await post(documentSandbox.url, VENDOR.add, { name: 'Nila', phone: '9855555555' });
    expect(refused.json).toEqual({ Message: 'Mandatory field missing: email', Status: 'Fail' });
    const accepted = await post(currentSandbox.url, VENDOR.add, { name: 'Nila', phone: '9855555555', email: '' });
    expect(accepted.json.status).toBe('success');
    expect(accepted.headers.get('x-sandbox-warnings')).toContain('field "email" is empty: taken as not sent');
    const missing = await post(currentSandbox.url, VENDOR.add, { name: 'Nila', phone: '9855555556' });
    expect(missing.json.status).toBe('success');
    expect(missing.headers.get('x-sandbox-warnings')).toContain("no email: accepted, as this profile requires name plus phone or email; the 2016 document's add requires email");
    const neither = await post(currentSandbox.url, VENDOR.add, { name: 'Nila' });
    expect(neither.json).toEqual({ message: 'Mandatory field missing: phone or email', status: 'failed' });
  });

  it('a key can carry its own profile: one sandbox serves clients of both generations', async () => {
    await documentSandbox.keys.add({ key: 'today-key', tenant: 396, profile: 'current' });
    const today = await post(documentSandbox.url, VENDOR.add, add, { key: 'today-key' });
    const legacy = await post(documentSandbox.url, VENDOR.add, add);
    expect(Object.keys(today.json)).toEqual(['message', 'Kapture Customer Id', 'status']);
    expect(Object.keys(legacy.json)).toEqual(['Message', 'Kapture Customer Id', 'Status']);
  });

  it('a profile object that does not follow the schema is refused, saying where', async () => {
    const refused = await request(documentSandbox.url, '/__sandbox/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'bad-profile', tenant: 396, profile: { name: 'x', shapes: {} } }),
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/not a valid answer profile: \/shapes must have required property 'document'/);
    expect((await documentSandbox.keys.list()).map((k) => k.key)).not.toContain('bad-profile');
  });

  it('the profiles and their schema are served', async () => {
    const listed = await request(documentSandbox.url, '/__sandbox/profiles');
    expect(listed.json).toMatchObject({ default: 'document', profiles: [{ name: 'document' }, { name: 'current' }] });
    const schema = await request(documentSandbox.url, '/__sandbox/profile.schema.json');
    expect(schema.json.title).toBe('kapture-sandbox answer profile');
  });
});

describe("the spec's examples of today's shapes work verbatim on a fresh sandbox", () => {
  const example = (path: string, name: string): unknown =>
    (loadSpec().paths[path]!.post as unknown as { requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> } }).requestBody.content['application/json']!.examples[name]!.value;

  it('Get Customer by phone finds the document\'s customer 286829', async () => {
    const answer = await post(documentSandbox.url, VENDOR.search, example(VENDOR.search, 'getByPhone'));
    expect(answer.json.status).toBe('success');
    expect(answer.json['Customer Details'].id).toBe(286829);
  });

  it('the pull sample finds the customers of 31 March 2016', async () => {
    const answer = await post(documentSandbox.url, VENDOR.select, example(VENDOR.select, 'pull'));
    expect(answer.json['Customer Details'].map((c: { id: number }) => c.id)).toContain(272930);
  });

  it('the nested add-update adds', async () => {
    const answer = await post(documentSandbox.url, '/ms/customer/customer/api/v1/add-update', example('/ms/customer/customer/api/v1/add-update', 'add'));
    expect(answer.json).toMatchObject({ message: 'Customer Added Successfully', status: 'success' });
  });
});
