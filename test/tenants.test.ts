import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlClient, Sandbox } from '../src/index.js';
import { post, request, VENDOR } from './helpers/http.js';
import { PATHS, searchOne, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

/** A CI job as the README shows it: its own tenant, its key, a control client scoped to it. */
async function ciJob(seedCustomers = 0): Promise<{ tenant: number; key: string; control: ControlClient }> {
  const { tenant, key } = await sandbox.tenants.create({ seedCustomers });
  return { tenant, key, control: sandbox.forTenant(tenant) };
}

async function addCustomer(key: string, name: string): Promise<string> {
  const answer = await vendor(sandbox, PATHS.addOrUpdate, { name, phone: '9876543210', email: `${name.toLowerCase()}@example.in` }, { key });
  expect(answer.json.Status, answer.text).toBe('Success');
  return answer.json['Kapture Customer Id'];
}

const scoped = (tenant: number | string, method: string, path: string, body?: unknown) =>
  request(sandbox.url, `/__sandbox${path}`, {
    method,
    headers: { 'X-Sandbox-Tenant': String(tenant), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('POST /__sandbox/tenants', () => {
  it('answers a new tenant and a fresh key granted every operation, seeded on request', async () => {
    const created = await sandbox.tenants.create({ seedCustomers: 3, name: 'ci job 42' });
    expect(created).toMatchObject({ name: 'ci job 42', customers: 3 });
    expect(created.tenant).toBeGreaterThan(396);
    expect(created.key).toMatch(/^kst-\d+-[A-Za-z0-9_-]{24}$/);
    const id = await addCustomer(created.key, 'Meera');
    expect(await searchOne(sandbox, id, created.key)).toMatchObject({ cmId: created.tenant, name: 'Meera' });
    expect(await searchOne(sandbox, id)).toMatchObject({ Status: 'Fail' });
  });

  it('never hands out a tenant in use, even to parallel requests', async () => {
    await sandbox.keys.add({ key: 'hand-made', tenant: 5000 });
    const created = await Promise.all(Array.from({ length: 5 }, () => sandbox.tenants.create()));
    const tenants = created.map((c) => c.tenant);
    expect(new Set(tenants).size).toBe(5);
    expect(Math.min(...tenants)).toBeGreaterThan(5000);
    expect(new Set(created.map((c) => c.key)).size).toBe(5);
  });

  it('a tenant made with a profile answers its key in that profile\'s words', async () => {
    const { key } = await sandbox.tenants.create({ profile: 'current', seedCustomers: 1 });
    const added = await post(sandbox.url, VENDOR.add, { name: 'Today', phone: '9876500123' }, { key });
    expect(Object.keys(added.json)).toEqual(['message', 'Kapture Customer Id', 'status']);
    expect((await sandbox.keys.list()).find((k) => k.key === key)?.profile).toBe('current');
  });

  it('refuses unknown properties and a scoped request, creating nothing', async () => {
    const before = (await sandbox.keys.list()).length;
    expect((await request(sandbox.url, '/__sandbox/tenants', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"profile":"x"}' })).status).toBe(400);
    const refused = await scoped(396, 'POST', '/tenants', {});
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/without X-Sandbox-Tenant/);
    expect((await sandbox.keys.list()).length).toBe(before);
  });

  it('DELETE removes its customers, keys, rules, journal entries and coverage', async () => {
    const job = await ciJob(2);
    await job.control.faults.add({ operation: 'searchCustomer', latencyMs: 1 });
    const id = await addCustomer(job.key, 'Tara');
    await searchOne(sandbox, id, job.key);
    expect((await sandbox.coverage(job.tenant)).covered).toBe(3);
    await sandbox.tenants.delete(job.tenant);
    expect((await sandbox.keys.list()).some((k) => k.tenant === job.tenant)).toBe(false);
    expect((await sandbox.faults.list()).some((r) => r.tenant === job.tenant)).toBe(false);
    expect(await sandbox.journal.list({ tenant: job.tenant })).toEqual([]);
    expect((await sandbox.coverage(job.tenant)).covered).toBe(0);
    expect((await sandbox.health()).tenants).not.toContain(job.tenant);
    await expect(sandbox.tenants.delete(job.tenant)).rejects.toThrow(/HTTP 404: tenant \d+ has no keys, customers or rules/);
  });
});

describe('two CI jobs on one sandbox, each in its own tenant', () => {
  it('never see or disturb each other: rules, reset, journal, keys, coverage', async () => {
    const a = await ciJob(2);
    const b = await ciJob(2);
    const aCustomer = await addCustomer(a.key, 'Asha');
    const bCustomer = await addCustomer(b.key, 'Bina');

    // A's rule, with no matcher of its own, answers ServerFailure to every call of A only.
    await a.control.faults.add({ error: 'ServerFailure' });
    expect((await vendor(sandbox, PATHS.search, { customer_id: aCustomer }, { key: a.key })).status).toBe(500);
    expect((await vendor(sandbox, PATHS.search, { customer_id: bCustomer }, { key: b.key })).json.status).toBe('success');
    expect(await b.control.faults.list()).toEqual([]);
    expect(await a.control.faults.list()).toHaveLength(1);

    // Each journal holds its own tenant's requests only.
    const aJournal = await a.control.journal.list();
    const bJournal = await b.control.journal.list();
    expect(aJournal.map((e) => e.tenant)).toEqual([a.tenant, a.tenant]);
    expect(bJournal.map((e) => e.tenant)).toEqual([b.tenant, b.tenant]);

    // Keys listed are the job's own.
    expect((await a.control.keys.list()).map((k) => k.key)).toEqual([a.key]);

    // Coverage is apart: B never met ServerFailure.
    expect((await b.control.coverage()).operations.searchCustomer.outcomes.map((o) => o.outcome)).toEqual(['success']);
    expect((await a.control.coverage()).operations.searchCustomer.outcomes.map((o) => o.outcome)).toEqual(['ServerFailure']);

    // A resets: A's rules, journal, coverage and customers go back; B keeps everything, A keeps its key.
    expect(await a.control.reset()).toEqual({ reset: a.tenant, customers: 2 });
    expect(await a.control.faults.list()).toEqual([]);
    expect(await a.control.journal.list()).toEqual([]);
    expect((await a.control.coverage()).covered).toBe(0);
    expect(await searchOne(sandbox, aCustomer, a.key)).toMatchObject({ Status: 'Fail', Message: expect.stringMatching(/^Customer not found/) });
    expect(await searchOne(sandbox, bCustomer, b.key)).toMatchObject({ name: 'Bina' });
    expect(await b.control.journal.list()).toHaveLength(3);
    expect((await b.control.coverage()).covered).toBe(2);
    const aKey = await vendor(sandbox, PATHS.select, { start_date: '2016-01-01', end_date: '2030-01-01' }, { key: a.key });
    expect(aKey.json.status).toBe('success');
    expect(aKey.json.message).toHaveLength(2);
  });

  it('run at the same time, the same scenario in each gives each the same result', async () => {
    // Each job: a rule failing its next two searches, a client retrying, a verify of exactly that,
    // a reset, and a check that nothing of it is left; both jobs interleave on the one sandbox.
    const scenario = async () => {
      const { tenant, key, control } = await ciJob(1);
      const id = await addCustomer(key, `Job${tenant}`);
      await control.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', times: 2 });
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) statuses.push((await vendor(sandbox, PATHS.search, { customer_id: id }, { key })).status);
      const { entries } = await control.verify({ operation: 'searchCustomer', count: 3 });
      await control.reset();
      return { statuses, errors: entries.map((e) => e.error ?? 'ok'), tenants: [...new Set(entries.map((e) => e.tenant))], left: (await control.journal.list()).length, tenant };
    };
    const [a, b] = await Promise.all([scenario(), scenario()]);
    for (const job of [a, b]) {
      expect(job.statuses).toEqual([500, 500, 200]);
      expect(job.errors).toEqual(['ServerFailure', 'ServerFailure', 'ok']);
      expect(job.tenants).toEqual([job.tenant]);
      expect(job.left).toBe(0);
    }
  });

  it("a job cannot reach into another tenant through its scoped requests", async () => {
    const a = await ciJob();
    const b = await ciJob();
    for (const [method, path, body] of [
      ['POST', '/faults', { tenant: b.tenant, error: 'ServerFailure' }],
      ['POST', '/reset', { tenant: b.tenant }],
      ['POST', '/keys', { key: 'stolen', tenant: b.tenant }],
      ['GET', `/journal?tenant=${b.tenant}`, undefined],
      ['GET', `/coverage?tenant=${b.tenant}`, undefined],
      ['POST', '/verify', { tenant: b.tenant }],
      ['DELETE', `/tenants/${b.tenant}`, undefined],
      ['POST', '/snapshots', { name: 'mine' }],
    ] as const) {
      const answer = await scoped(a.tenant, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.json.error, `${method} ${path}`).toMatch(/X-Sandbox-Tenant/);
    }
    expect((await scoped(a.tenant, 'DELETE', `/keys/${encodeURIComponent(b.key)}`)).status).toBe(404);
    const takeOver = await scoped(a.tenant, 'POST', '/keys', { key: b.key, tenant: a.tenant });
    expect(takeOver.status).toBe(409);
    expect(takeOver.json.error).toMatch(/belongs to another tenant/);
    expect((await b.control.keys.list()).map((k) => k.key)).toEqual([b.key]);
    const bRule = await b.control.faults.add({ latencyMs: 1 });
    expect((await scoped(a.tenant, 'DELETE', `/faults/${bRule.id}`)).status).toBe(404);
    expect(await scoped(a.tenant, 'DELETE', '/faults')).toMatchObject({ json: { deleted: 0 } });
    expect(await b.control.faults.list()).toHaveLength(1);
    expect((await sandbox.keys.list()).map((k) => k.key)).toContain(b.key);
    expect((await sandbox.snapshots.list()).map((s) => s.name)).not.toContain('mine');
  });

  it('a bad X-Sandbox-Tenant is a 400 on every control request, and changes nothing', async () => {
    const rules = (await sandbox.faults.list()).length;
    for (const value of ['abc', '0', '-1', '1.5', '99999999999', '396, 397', '']) {
      const answer = await scoped(value, 'POST', '/faults', { error: 'ServerFailure' });
      expect(answer.status, value).toBe(400);
      expect(answer.json.error, value).toMatch(/X-Sandbox-Tenant must be one tenant id/);
    }
    expect((await scoped('abc', 'GET', '/health')).status).toBe(400);
    expect((await sandbox.faults.list()).length).toBe(rules);
  });

  it('an unscoped reset {} still returns the whole sandbox to its seed (tenants included)', async () => {
    const job = await ciJob();
    await sandbox.reset();
    expect((await sandbox.keys.list()).some((k) => k.key === job.key)).toBe(false);
    expect((await sandbox.coverage()).covered).toBe(0);
  });
});
