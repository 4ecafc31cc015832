import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { loadSpec } from '../src/spec.js';
import { specValidator } from '../src/validation/ajv.js';
import { control, PATHS, searchOne, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

describe('/__sandbox', () => {
  it('health says what runs', async () => {
    const health = await control(sandbox, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(specValidator('Health')(health.json)).toBe(true);
    expect(health.json).toMatchObject({ status: 'ok', storage: 'memory', tenants: [396], customers: 8 });
  });

  it('openapi.json serves the spec', async () => {
    const spec = await control(sandbox, 'GET', '/openapi.json');
    expect(spec.json).toEqual(JSON.parse(JSON.stringify(loadSpec())));
    expect(spec.json.openapi).toBe('3.1.0');
  });

  it('keys: create, list, use, replace, delete', async () => {
    const created = await control(sandbox, 'POST', '/keys', { key: 'qa-key', tenant: 396, operations: ['searchCustomer'], name: 'QA' });
    expect(created.status).toBe(201);
    expect((await control(sandbox, 'GET', '/keys')).json.keys.map((k: { key: string }) => k.key)).toContain('qa-key');
    expect((await vendor(sandbox, PATHS.search, { customer_id: 272930 }, { key: 'qa-key' })).json.status).toBe('success');
    expect((await vendor(sandbox, PATHS.select, { start_date: '2016-01-01', end_date: '2016-12-31' }, { key: 'qa-key' })).headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
    await control(sandbox, 'POST', '/keys', { key: 'qa-key', tenant: 396 });
    expect((await vendor(sandbox, PATHS.select, { start_date: '2016-01-01', end_date: '2016-12-31' }, { key: 'qa-key' })).json.status).toBe('success');
    expect((await control(sandbox, 'DELETE', '/keys/qa-key')).json).toEqual({ deleted: 'qa-key' });
    expect((await vendor(sandbox, PATHS.search, { customer_id: 272930 }, { key: 'qa-key' })).headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
  });

  it('a key configured with some fields drops the others with a warning', async () => {
    await control(sandbox, 'POST', '/keys', { key: 'mapped-key', tenant: 396, fields: ['city'] });
    const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'M', email: 'm@example.in', phone: '9000000200', city: 'Goa', state: 'Goa' }, { key: 'mapped-key' });
    expect(added.headers.get('x-sandbox-warnings')).toContain('field "state" ignored: this API key is not configured with it');
    const customer = await searchOne(sandbox, added.json['Kapture Customer Id']);
    expect(customer.city).toBe('Goa');
    expect(customer).not.toHaveProperty('state');
  });

  it.each([
    [{ tenant: 1 }, 'must have required property'],
    [{ key: 'x', tenant: 0 }, '/tenant must be >= 1'],
    [{ key: 'x', tenant: 1, operations: ['deleteEverything'] }, '/operations/0 must be equal to one of the allowed values'],
    [{ key: 'has space', tenant: 1 }, '/key must match pattern'],
    [{ key: 'x', tenant: 1, expiresAt: 'tomorrow' }, '/expiresAt must match format "date-time"'],
    [{ key: 'x', tenant: 1, __proto__: { polluted: true }, extra: 1 }, 'must NOT have additional properties'],
  ])('a bad key %j is a 400 naming the problem, and changes nothing', async (body, message) => {
    const before = (await control(sandbox, 'GET', '/keys')).json;
    const answer = await control(sandbox, 'POST', '/keys', body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain(message);
    expect((await control(sandbox, 'GET', '/keys')).json).toEqual(before);
  });

  it('deleting an unknown key is a 404 with a JSON error', async () => {
    const answer = await control(sandbox, 'DELETE', '/keys/nope');
    expect(answer.status).toBe(404);
    expect(answer.json.error).toContain('no key "nope"');
  });

  it('an unknown control endpoint and bad JSON are JSON errors, never HTML', async () => {
    const unknown = await control(sandbox, 'GET', '/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toContain('GET /__sandbox/nope');
    const response = await fetch(`${sandbox.url}/__sandbox/keys`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{oops' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('not valid JSON');
  });

  it('reset returns to the seeded state: customers, counters, keys', async () => {
    const first = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Temp', email: 't@example.in', phone: '9000000300' });
    await vendor(sandbox, PATHS.addOrUpdate, { customer_id: 272930, name: 'Changed' });
    await control(sandbox, 'POST', '/keys', { key: 'temp-key', tenant: 396 });
    const reset = await control(sandbox, 'POST', '/reset', {});
    expect(reset.json).toEqual({ reset: 'all', customers: 8 });
    expect((await searchOne(sandbox, 272930)).name).toBe('Rahul');
    expect((await vendor(sandbox, PATHS.search, { customer_id: first.json['Kapture Customer Id'] })).headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    expect((await vendor(sandbox, PATHS.search, { customer_id: 272930 }, { key: 'temp-key' })).headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
    // The id counter is back at its seeded value: 5 generated customers from 287231 on.
    const again = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Temp', email: 't@example.in', phone: '9000000300' });
    expect(again.json['Kapture Customer Id']).toBe('287236');
    expect(Number(first.json['Kapture Customer Id'])).toBeGreaterThan(287236);
  });

  it("reset of one tenant leaves the others' customers alone", async () => {
    await control(sandbox, 'POST', '/keys', { key: 'k777', tenant: 777 });
    const other = await vendor(sandbox, PATHS.addOrUpdate, { name: 'T777', email: 'x@example.in', phone: '9000000400' }, { key: 'k777' });
    const own = await vendor(sandbox, PATHS.addOrUpdate, { name: 'T396', email: 'y@example.in', phone: '9000000401' });
    const reset = await control(sandbox, 'POST', '/reset', { tenant: 777 });
    expect(reset.json).toEqual({ reset: 777, customers: 0 });
    expect((await vendor(sandbox, PATHS.search, { customer_id: other.json['Kapture Customer Id'] }, { key: 'k777' })).headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    expect((await searchOne(sandbox, own.json['Kapture Customer Id'])).name).toBe('T396');
    // Tenant 396 back to its seed: the count answered is its customers, the one added above gone.
    const seeded = (await control(sandbox, 'POST', '/reset', {})).json.customers as number;
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Gone', email: 'g@example.in', phone: '9000000402' });
    expect((await control(sandbox, 'POST', '/reset', { tenant: 396 })).json).toEqual({ reset: 396, customers: seeded });
  });

  it('a bad reset body is a 400 and resets nothing', async () => {
    const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Stay', email: 's@example.in', phone: '9000000500' });
    const answer = await control(sandbox, 'POST', '/reset', { tenant: 'all' });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain('/tenant must be integer');
    expect((await searchOne(sandbox, added.json['Kapture Customer Id'])).name).toBe('Stay');
  });
});

describe('admin token', () => {
  it('with a token, control requests without it get 401 and change nothing; with it they work', async () => {
    const locked = await testSandbox({ adminToken: 's3cret' });
    try {
      const denied = await fetch(`${locked.url}/__sandbox/reset`, { method: 'POST' });
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { error: string }).error).toContain('X-Sandbox-Admin-Token');
      const wrong = await fetch(`${locked.url}/__sandbox/keys`, { headers: { 'X-Sandbox-Admin-Token': 'guess' } });
      expect(wrong.status).toBe(401);
      const allowed = await fetch(`${locked.url}/__sandbox/keys`, { headers: { 'X-Sandbox-Admin-Token': 's3cret' } });
      expect(allowed.status).toBe(200);
      // The vendor surface is not behind the admin token: Kapture clients know nothing of it.
      expect((await vendor(locked, PATHS.search, { customer_id: 272930 })).json.status).toBe('success');
    } finally {
      await locked.close();
    }
  });
});

describe('a key configured with fields', () => {
  it("restricts the data it writes, never select's customer_id filter", async () => {
    const own = await testSandbox();
    try {
      await control(own, 'POST', '/keys', { key: 'city-only', tenant: 396, fields: ['city'] });
      const answer = await vendor(own, PATHS.select, { start_date: '2016-01-01', end_date: '2016-12-31', customer_id: '287230' }, { key: 'city-only' });
      expect(answer.headers.get('x-sandbox-warnings')).toBeNull();
      expect(answer.json.message.map((c: { id: number }) => c.id)).toEqual([287230]);
    } finally {
      await own.close();
    }
  });
});

describe('a new tenant', () => {
  it('starts empty, or with generated customers on request (ids from the shared counters)', async () => {
    const own = await testSandbox();
    try {
      await control(own, 'POST', '/keys', { key: 'empty-888', tenant: 888 });
      expect((await vendor(own, PATHS.select, { start_date: '2000-01-01', end_date: '2030-01-01' }, { key: 'empty-888' })).json.message).toEqual([]);

      const created = await control(own, 'POST', '/keys', { key: 'seeded-999', tenant: 999, seedCustomers: 4 });
      expect(created.json).not.toHaveProperty('seedCustomers');
      const found = (await vendor(own, PATHS.select, { start_date: '2000-01-01', end_date: '2030-01-01' }, { key: 'seeded-999' })).json.message;
      expect(found).toHaveLength(4);
      expect(found.every((c: { cmId: number }) => c.cmId === 999)).toBe(true);
      expect(found.map((c: { id: number }) => c.id)).toEqual([287236, 287237, 287238, 287239]);
      // Tenant 396 is untouched, and the next add takes the next free id.
      expect((await own.health()).customers).toBe(8 + 4);
      const next = await vendor(own, PATHS.addOrUpdate, { name: 'N', email: 'n@example.in', phone: '9000001000' });
      expect(next.json['Kapture Customer Id']).toBe('287240');
    } finally {
      await own.close();
    }
  });
});
