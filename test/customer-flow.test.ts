import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { specValidator } from '../src/validation/ajv.js';
import { control, PATHS, searchOne, testSandbox, vendor } from './helpers/sandbox-client.js';

// Every test starts from the seeded state at 2026-11-29 12:00:00 IST and makes what it needs itself
// (a test that moves the clock, as add contacts does, moves it for itself): each runs alone too.
const NOON = new Date('2026-11-29T06:30:00.000Z');
let clock = NOON;
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox({ now: () => clock });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  clock = NOON;
  await sandbox.reset();
});

const ASHA = { name: 'Asha Rao', email: 'asha@example.in', phone: 9876543210, city: 'Pune', zone: '3', date_of_birth: '1990-05-17' };

/** Adds Asha (as the first test does) and answers her Kapture id. */
async function addAsha(): Promise<string> {
  return (await vendor(sandbox, PATHS.addOrUpdate, [ASHA])).json['Kapture Customer Id'];
}

describe('add → search → update → add contacts → select', () => {
  it('add answers the new id', async () => {
    const added = await vendor(sandbox, PATHS.addOrUpdate, [ASHA]);
    expect(added.json).toMatchObject({ Message: 'Customer Added Successfully', Status: 'Success' });
    expect(Number(added.json['Kapture Customer Id'])).toBeGreaterThan(287230);
  });

  it('search shows it in the document shape, in IST', async () => {
    const id = await addAsha();
    const customer = await searchOne(sandbox, id);
    expect(specValidator('Customer')(customer)).toBe(true);
    expect(customer).toMatchObject({
      id: Number(id),
      cmId: 396,
      name: 'Asha Rao',
      city: 'Pune',
      zone: 3,
      generationDate: 'Nov 29, 2026 12:00:00 PM',
      imageReferenceId: 'CUS_2026-11-29 12:00:00.000',
      dateOfBirth: 'May 17, 1990 12:00:00 AM',
    });
    expect(customer.contacts).toEqual([
      expect.objectContaining({
        contactPerson: 'Asha Rao',
        phone: '9876543210',
        email: 'asha@example.in',
        isPrimaryContact: true,
        leadId: Number(id),
        cmId: 396,
        // java.util.Calendar: month 10 is November.
        generationDate: { year: 2026, month: 10, dayOfMonth: 29, hourOfDay: 12, minute: 0, second: 0 },
      }),
    ]);
  });

  it('update changes what it names and nothing else', async () => {
    const id = await addAsha();
    const updated = await vendor(sandbox, PATHS.addOrUpdate, { customer_id: id, name: 'Asha R.', email: 'asha.r@example.in', state: 'Maharashtra' });
    expect(updated.json).toEqual({ message: 'Customer Updated Successfully', status: 'success' });
    const customer = await searchOne(sandbox, id);
    expect(customer).toMatchObject({ name: 'Asha R.', state: 'Maharashtra', city: 'Pune', zone: 3 });
    expect(customer.contacts[0]).toMatchObject({ email: 'asha.r@example.in', phone: '9876543210' });
  });

  it('add contacts appends a non-primary contact and answers its id', async () => {
    const id = await addAsha();
    // One hour after the add.
    clock = new Date('2026-11-29T07:30:00.000Z');
    const added = await vendor(sandbox, PATHS.addContacts, {
      customer_id: Number(id),
      contact_person: 'Ravi Rao',
      email: 'ravi@example.in',
      phone: '+919812345678',
      designation: 'Manager',
      age: 41,
    });
    expect(added.json).toMatchObject({ Message: 'Customer Added Successfully', Status: 'Success' });
    const [contactId] = added.json['Contact Ids'];
    const customer = await searchOne(sandbox, id);
    expect(customer.contacts).toHaveLength(2);
    expect(customer.contacts[1]).toMatchObject({
      id: Number(contactId),
      contactPerson: 'Ravi Rao',
      phone: '+919812345678',
      designation: 'Manager',
      age: 41,
      isPrimaryContact: false,
      generationDate: { year: 2026, month: 10, dayOfMonth: 29, hourOfDay: 13, minute: 0, second: 0 },
    });
  });

  it('select finds it within its day and not outside it', async () => {
    const id = await addAsha();
    const ids = async (body: object) => (await vendor(sandbox, PATHS.select, body)).json.message.map((c: { id: number }) => c.id);
    expect(await ids({ start_date: '2026-11-29', end_date: '2026-11-29' })).toEqual([Number(id)]);
    expect(await ids({ start_date: '2026-11-29 11:59:59', end_date: '2026-11-29 12:00:00' })).toEqual([Number(id)]);
    expect(await ids({ start_date: '2026-11-29 12:00:01', end_date: '2026-11-30 00:00:00' })).toEqual([]);
    expect(await ids({ start_date: '2026-11-28', end_date: '2026-11-28' })).toEqual([]);
    expect(await ids({ start_date: '2026-11-30', end_date: '2026-12-31' })).toEqual([]);
    expect(await ids({ start_date: '2016-01-01', end_date: '2026-12-31', customer_id: id })).toEqual([Number(id)]);
  });

  it('a range whose start is after its end answers an empty list with a warning', async () => {
    const answer = await vendor(sandbox, PATHS.select, { start_date: '2026-12-01', end_date: '2026-11-01' });
    expect(answer.json).toEqual({ message: [], status: 'success' });
    expect(answer.headers.get('x-sandbox-warnings')).toContain('start_date 2026-12-01 is after end_date 2026-11-01');
  });

  it('select lists oldest first', async () => {
    const answer = await vendor(sandbox, PATHS.select, { start_date: '2016-01-01', end_date: '2016-12-31' });
    expect(answer.json.message.map((c: { id: number }) => c.id)).toEqual([286829, 272930, 287230]);
  });
});

describe('batches (array bodies)', () => {
  it('a one-element array behaves like the object', async () => {
    const answer = await vendor(sandbox, PATHS.search, [{ customer_id: '287230' }]);
    expect(answer.json.message.map((c: { id: number }) => c.id)).toEqual([287230]);
  });

  it('adds several customers, answering their ids joined by commas', async () => {
    const answer = await vendor(sandbox, PATHS.addOrUpdate, [
      { name: 'One', email: 'one@example.in', phone: '9000000001' },
      { name: 'Two', email: 'two@example.in', phone: '9000000002' },
    ]);
    const ids = String(answer.json['Kapture Customer Id']).split(',');
    expect(ids).toHaveLength(2);
    expect(Number(ids[1])).toBe(Number(ids[0]) + 1);
    expect((await searchOne(sandbox, ids[1]!)).name).toBe('Two');
  });

  it('an update batch naming one unknown customer changes nothing', async () => {
    const before = await searchOne(sandbox, 287230);
    const answer = await vendor(sandbox, PATHS.addOrUpdate, [
      { customer_id: 287230, city: 'Mysuru' },
      { customer_id: 999999999, city: 'Nowhere' },
    ]);
    expect(answer.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    expect(await searchOne(sandbox, 287230)).toEqual(before);
  });
});

describe('tenants are isolated', () => {
  beforeEach(async () => {
    expect((await control(sandbox, 'POST', '/keys', { key: 'tenant-777-key', tenant: 777 })).status).toBe(201);
  });

  it("a key of another tenant sees none of tenant 396's customers, and its adds are its own", async () => {
    const notFound = await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { key: 'tenant-777-key' });
    expect(notFound.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    expect(notFound.json.Status).toBe('Fail');

    const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Other', email: 'o@example.in', phone: '9123456789' }, { key: 'tenant-777-key' });
    const id = added.json['Kapture Customer Id'];
    const own = await searchOne(sandbox, id, 'tenant-777-key');
    expect(own).toMatchObject({ id: Number(id), cmId: 777 });
    expect(own.contacts[0].cmId).toBe(777);

    const fromDefault = await vendor(sandbox, PATHS.search, { customer_id: id });
    expect(fromDefault.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    const select777 = await vendor(sandbox, PATHS.select, { start_date: '2000-01-01', end_date: '2030-01-01' }, { key: 'tenant-777-key' });
    expect(select777.json.message.map((c: { id: number }) => c.id)).toEqual([Number(id)]);
    const update = await vendor(sandbox, PATHS.addOrUpdate, { customer_id: id, name: 'Hijacked' });
    expect(update.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    expect((await searchOne(sandbox, id, 'tenant-777-key')).name).toBe('Other');
  });

  it('ids come from one counter across tenants', async () => {
    const a = await vendor(sandbox, PATHS.addOrUpdate, { name: 'A', email: 'a@example.in', phone: '9000000010' });
    const b = await vendor(sandbox, PATHS.addOrUpdate, { name: 'B', email: 'b@example.in', phone: '9000000011' }, { key: 'tenant-777-key' });
    expect(Number(b.json['Kapture Customer Id'])).toBe(Number(a.json['Kapture Customer Id']) + 1);
  });
});
