import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { post, VENDOR } from './helpers/http.js';

// Today's "Pull Customer by Date Range" on the select URL: a body with createStartDate and
// createEndDate. Customers are created at pinned instants (IST is UTC+5:30).

let clock = new Date('2024-05-01T04:30:00.000Z'); // 10:00 IST on 1 May 2024
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true, customers: 0, now: () => clock });
});
afterAll(() => sandbox.close());

const created: number[] = [];
beforeEach(async () => {
  await sandbox.reset();
  created.length = 0;
  // 1 May 10:00, 10:01, ... 10:04 IST; then one on 2 May 09:00 IST and one on 3 May.
  const times = [0, 1, 2, 3, 4].map((m) => new Date(Date.parse('2024-05-01T04:30:00.000Z') + m * 60_000));
  times.push(new Date('2024-05-02T03:30:00.000Z'), new Date('2024-05-03T03:30:00.000Z'));
  for (const [i, at] of times.entries()) {
    clock = at;
    const answer = await post(sandbox.url, VENDOR.add, { name: `Pull ${i}`, phone: `98000000${String(i).padStart(2, '0')}`, email: `pull${i}@example.in`, customer_code: `C${i}` });
    created.push(Number(answer.json['Kapture Customer Id']));
  }
});

/** The vendor's sample body (without its // comments), for account 396. */
const SAMPLE = {
  cm_id: 396, isAllCustomerPage: false, name: '', phone: '', email: '', designationType: '', customer_id: '', customerCode: '', zoneIdStr: '',
  zone_id: 0, assignedToId: 0, assignedToIdStr: '', isOrganisation: true, isIndividual: 'true', isChannelPartner: '',
  createStartDate: '2024-05-01', createEndDate: '2024-05-02', primarySourceId: 0, secondarySourceId: 0, tertiarySourceId: 0, attr1: '', attr15: '', limit: '', offset: '',
};

const ids = (answer: { json: any }) => (answer.json['Customer Details'] as Array<{ id: number }>).map((c) => c.id);

describe('pull by date range', () => {
  it('answers the vendor sample: one day, oldest first, in "Customer Details", unset fields ""', async () => {
    const answer = await post(sandbox.url, VENDOR.select, SAMPLE);
    expect(answer.json.status).toBe('success');
    expect(ids(answer)).toEqual(created.slice(0, 5));
    expect(answer.json['Customer Details'][0]).toMatchObject({ address: '', city: '', generationDate: 'May 1, 2024 10:00:00 AM' });
    expect(answer.headers.get('x-sandbox-warnings')).toContain('fields isOrganisation, isIndividual accepted and not applied');
  });

  it('a start date equal to the end date is that whole day', async () => {
    expect(ids(await post(sandbox.url, VENDOR.select, { cm_id: '396', createStartDate: '2024-05-02', createEndDate: '2024-05-02' }))).toEqual([created[5]]);
  });

  it('times narrow the window, the end excluded', async () => {
    const answer = await post(sandbox.url, VENDOR.select, { cm_id: 396, createStartDate: '2024-05-01 10:01:00', createEndDate: '2024-05-01 10:03:00' });
    expect(ids(answer)).toEqual(created.slice(1, 3));
  });

  it.each([
    [{ limit: 2 }, [0, 1]],
    [{ limit: '2', offset: '2' }, [2, 3]],
    [{ offset: 4 }, [4]],
    [{ offset: 9 }, []],
    [{ limit: 0 }, []],
  ])('pages with %j', async (paging, expected) => {
    const answer = await post(sandbox.url, VENDOR.select, { ...SAMPLE, ...paging });
    expect(ids(answer)).toEqual(expected.map((i) => created[i]));
  });

  it('defaults to 100 customers a page', async () => {
    clock = new Date('2024-06-01T04:30:00.000Z');
    await post(sandbox.url, VENDOR.add, Array.from({ length: 120 }, (_, i) => ({ name: `Many ${i}`, phone: '9811100000', email: `many${i}@example.in` })));
    const answer = await post(sandbox.url, VENDOR.select, { cm_id: 396, createStartDate: '2024-06-01', createEndDate: '2024-06-01' });
    expect(ids(answer)).toHaveLength(100);
    const rest = await post(sandbox.url, VENDOR.select, { cm_id: 396, createStartDate: '2024-06-01', createEndDate: '2024-06-01', offset: 100 });
    expect(ids(rest)).toHaveLength(20);
  });

  it.each([
    [{ name: 'PULL 3' }, [3]],
    [{ phone: '9800000002' }, [2]],
    [{ email: 'PULL4@example.in' }, [4]],
    [{ customerCode: 'C1' }, [1]],
    [{ name: 'pull', limit: 2, offset: 1 }, [1, 2]],
  ])('filters by %j', async (filter, expected) => {
    expect(ids(await post(sandbox.url, VENDOR.select, { ...SAMPLE, ...filter }))).toEqual(expected.map((i) => created[i]));
  });

  it('filters by customer_id', async () => {
    expect(ids(await post(sandbox.url, VENDOR.select, { ...SAMPLE, customer_id: String(created[2]) }))).toEqual([created[2]]);
  });

  it.each([
    ['more than 24 hours', { createEndDate: '2024-05-03' }, 'ReqFieldMissing', /^Mandatory field malformed: createEndDate \(at one hit we can pull a data of max 24 hours; 2024-05-01 to 2024-05-03 is 48 hours\)$/],
    ['no cm_id', { cm_id: '' }, 'ReqFieldMissing', /^Mandatory field empty: cm_id$|^Mandatory field missing: cm_id$/],
    ['another account\'s cm_id', { cm_id: 1000298 }, 'AuthKeyInvalid', /^Invalid Auth Key$/],
    ['an impossible date', { createStartDate: '2024-02-30' }, 'ReqFieldMissing', /^Mandatory field malformed: createStartDate/],
    ['a malformed phone filter (never widened to every customer)', { phone: 'abc' }, 'ReqFieldMissing', /^Mandatory field malformed: phone/],
  ])('refuses %s in today\'s failure body', async (_label, change, code, message) => {
    const answer = await post(sandbox.url, VENDOR.select, { ...SAMPLE, ...change });
    expect(answer.headers.get('x-sandbox-error')).toBe(code);
    expect(Object.keys(answer.json)).toEqual(['message', 'status']);
    expect(answer.json.status).toBe('failed');
    expect(answer.json.message).toMatch(message);
  });

  it('an end before the start answers nothing, with a warning', async () => {
    const answer = await post(sandbox.url, VENDOR.select, { ...SAMPLE, createStartDate: '2024-05-02', createEndDate: '2024-05-01' });
    expect(ids(answer)).toEqual([]);
    expect(answer.headers.get('x-sandbox-warnings')).toContain('createEndDate 2024-05-01 is not after createStartDate 2024-05-02');
  });

  it('the document\'s select is unchanged beside it', async () => {
    const answer = await post(sandbox.url, VENDOR.select, { start_date: '2024-05-01', end_date: '2024-05-01' });
    expect(answer.json.message.map((c: { id: number }) => c.id)).toEqual(created.slice(0, 5));
    expect(answer.json.message[0]).not.toHaveProperty('city');
  });
});
