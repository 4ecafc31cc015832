import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { FaultRules } from '../src/faults/rules.js';
import { rawRequest } from './helpers/raw-socket.js';
import { control, PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const SEARCH = { customer_id: '272930' };
async function searchCodes(count: number, key = 'sandbox-key', target = sandbox): Promise<Array<string | null>> {
  const codes: Array<string | null> = [];
  for (let i = 0; i < count; i++) codes.push((await vendor(target, PATHS.search, SEARCH, { key })).headers.get('x-sandbox-error'));
  return codes;
}

describe('schedules', () => {
  it('after: 2, times: 1 fails the 3rd matching call, then recovers and the rule removes itself', async () => {
    const rule = await sandbox.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', after: 2, times: 1 });
    expect(rule).toMatchObject({ id: expect.stringMatching(/^rule-\d+$/), matched: 0, fired: 0 });
    expect(await searchCodes(5)).toEqual([null, null, 'ServerFailure', null, null]);
    expect(await sandbox.faults.list()).toEqual([]);
  });

  it('times: 2 fails the next 2 calls', async () => {
    await sandbox.faults.add({ error: 'APIExpired', times: 2 });
    expect(await searchCodes(4)).toEqual(['APIExpired', 'APIExpired', null, null]);
  });

  it('listing shows how often each rule matched and fired', async () => {
    await sandbox.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', after: 1 });
    await searchCodes(3);
    await vendor(sandbox, PATHS.select, { start_date: '2016-01-01', end_date: '2016-01-02' });
    expect(await sandbox.faults.list()).toEqual([expect.objectContaining({ matched: 3, fired: 2 })]);
  });
});

describe('matching', () => {
  it('by operation: other operations run as usual', async () => {
    await sandbox.faults.add({ operation: 'selectCustomers', error: 'ServerFailure' });
    expect(await searchCodes(1)).toEqual([null]);
    const select = await vendor(sandbox, PATHS.select, { start_date: '2016-01-01', end_date: '2016-01-02' });
    expect(select.headers.get('x-sandbox-error')).toBe('ServerFailure');
  });

  it('add and update are told apart on their shared URL', async () => {
    await sandbox.faults.add({ operation: 'updateCustomer', error: 'ServerFailure' });
    const add = await vendor(sandbox, PATHS.addOrUpdate, { name: 'R', email: 'r@example.in', phone: '9000000700' });
    expect(add.json.Status).toBe('Success');
    const update = await vendor(sandbox, PATHS.addOrUpdate, { customer_id: '272930', city: 'X' });
    expect(update.headers.get('x-sandbox-error')).toBe('ServerFailure');
  });

  it('addOrUpdateCustomer (the spec\'s operationId of the shared URL) matches both add and update, on either add-update URL', async () => {
    await sandbox.faults.add({ operation: 'addOrUpdateCustomer', error: 'ServerFailure' });
    const add = await vendor(sandbox, PATHS.addOrUpdate, { name: 'R', email: 'r@example.in', phone: '9000000701' });
    const update = await vendor(sandbox, PATHS.addOrUpdate, { customer_id: '272930', city: 'X' });
    const nested = await vendor(sandbox, '/ms/customer/customer/api/v1/add-update', { customer_info: { customer_name: 'R', phone: '9000000702' } });
    expect([add, update, nested].map((answer) => answer.headers.get('x-sandbox-error'))).toEqual(['ServerFailure', 'ServerFailure', 'ServerFailure']);
    expect((await vendor(sandbox, PATHS.search, SEARCH)).headers.get('x-sandbox-error')).toBeNull();
  });

  it('an operation the spec does not name is a 400 saying which are', async () => {
    const refused = await control(sandbox, 'POST', '/faults', { operation: 'addOrUpdate', error: 'ServerFailure' });
    expect(refused.status).toBe(400);
    expect(await sandbox.faults.list()).toEqual([]);
  });

  it('by key as sent, even an invalid one', async () => {
    await sandbox.faults.add({ key: 'typo-key', error: 'ServerFailure' });
    expect(await searchCodes(1, 'typo-key')).toEqual(['ServerFailure']);
    expect(await searchCodes(1)).toEqual([null]);
  });

  it('by tenant (of a known key)', async () => {
    await control(sandbox, 'POST', '/keys', { key: 'k-555', tenant: 555 });
    await sandbox.faults.add({ tenant: 555, error: 'APIExpired' });
    expect(await searchCodes(1, 'k-555')).toEqual(['APIExpired']);
    expect(await searchCodes(1)).toEqual([null]);
  });

  it('oldest first: the first error wins, every latency applies', async () => {
    await sandbox.faults.add({ latencyMs: 150 });
    await sandbox.faults.add({ error: 'APIExpired', latencyMs: 100 });
    await sandbox.faults.add({ error: 'ServerFailure' });
    const started = performance.now();
    expect(await searchCodes(1)).toEqual(['APIExpired']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    // Every matching rule counted the call, the losing one included.
    expect((await sandbox.faults.list()).map((r) => r.fired)).toEqual([1, 1, 1]);
  });

  it('the header wins over the rules', async () => {
    await sandbox.faults.add({ error: 'ServerFailure' });
    const answer = await vendor(sandbox, PATHS.search, SEARCH, { headers: { 'X-Sandbox-Fault': 'APIExpired' } });
    expect(answer.headers.get('x-sandbox-error')).toBe('APIExpired');
  });
});

describe('effects', () => {
  it('status alone overrides the status of the normal answer', async () => {
    await sandbox.faults.add({ status: 502 });
    const answer = await vendor(sandbox, PATHS.search, SEARCH);
    expect(answer.status).toBe(502);
    expect(answer.json.status).toBe('success');
  });

  it('an error with a status answers that error with that status', async () => {
    await sandbox.faults.add({ error: 'ServerFailure', status: 503 });
    const answer = await vendor(sandbox, PATHS.search, SEARCH);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('x-sandbox-error-detail')).toMatch(/^injected by fault rule-\d+$/);
  });

  it('latency [min, max] holds the answer back at least min', async () => {
    await sandbox.faults.add({ latencyMs: [200, 260] });
    const started = performance.now();
    await searchCodes(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('a connection rule resets the socket', async () => {
    await sandbox.faults.add({ operation: 'searchCustomer', connection: 'reset', times: 1 });
    const outcome = await rawRequest(sandbox.url, PATHS.search, { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' }, JSON.stringify(SEARCH));
    expect(outcome.kind).toBe('reset');
  });
});

describe('seeded probability', () => {
  // Which of 40 calls fire, straight from the rule engine (no HTTP needed for the schedule).
  function firing(seed: number): number[] {
    const rules = new FaultRules();
    rules.add({ error: 'ServerFailure', probability: 0.3, seed });
    return Array.from({ length: 40 }, (_, i) => i).filter((i) => rules.evaluate({ operation: 'searchCustomer', key: 'k', tenant: 396 }).length > 0);
  }

  it('the same seed fails the same calls; another seed, other calls', () => {
    const first = firing(42);
    expect(firing(42)).toEqual(first);
    expect(first.length).toBeGreaterThan(3);
    expect(first.length).toBeLessThan(25);
    expect(firing(43)).not.toEqual(first);
  });

  it('over HTTP, two sandboxes with the same rule seed fail the same calls', async () => {
    const other = await testSandbox();
    try {
      await sandbox.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', probability: 0.5, seed: 7 });
      await other.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', probability: 0.5, seed: 7 });
      const a = await searchCodes(16);
      expect(await searchCodes(16, 'sandbox-key', other)).toEqual(a);
      expect(a).toContain('ServerFailure');
      expect(a).toContain(null);
    } finally {
      await other.close();
    }
  });

  it('a rule without a seed gets one, shown in the listing so the run can be replayed', async () => {
    const rule = await sandbox.faults.add({ error: 'ServerFailure', probability: 0.5 });
    expect(Number.isInteger(rule.seed)).toBe(true);
  });
});

describe('the /__sandbox/faults endpoints', () => {
  it('delete one, delete all', async () => {
    const a = await sandbox.faults.add({ error: 'ServerFailure' });
    await sandbox.faults.add({ error: 'APIExpired' });
    await sandbox.faults.remove(a.id);
    expect((await sandbox.faults.list()).map((r) => r.error)).toEqual(['APIExpired']);
    expect(await sandbox.faults.clear()).toBe(1);
    expect(await searchCodes(1)).toEqual([null]);
  });

  it('an unknown rule id is a 404 saying why it may be gone', async () => {
    const answer = await control(sandbox, 'DELETE', '/faults/rule-999');
    expect(answer.status).toBe(404);
    expect(answer.json.error).toContain('removes itself once used up');
  });

  it.each([
    [{ operation: 'searchCustomer' }, 'must match a schema in anyOf'],
    [{ error: 'Teapot' }, '/error must be equal to one of the allowed values'],
    [{ error: 'ServerFailure', probability: 2 }, '/probability must be <= 1'],
    [{ error: 'ServerFailure', times: 0 }, '/times must be >= 1'],
    [{ error: 'ServerFailure', operation: 'deleteAll' }, '/operation must be equal to one of the allowed values'],
    [{ latencyMs: [1, 2, 3] }, '/latencyMs must NOT have more than 2 items'],
    [{ error: 'ServerFailure', colour: 'red' }, 'must NOT have additional properties'],
    [{ connection: 'explode' }, '/connection must be equal to one of the allowed values'],
  ])('a bad rule %j is a 400 naming the problem, and adds nothing', async (rule, message) => {
    const answer = await control(sandbox, 'POST', '/faults', rule);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain(message);
    expect(await sandbox.faults.list()).toEqual([]);
  });

  it('reset removes every rule', async () => {
    await sandbox.faults.add({ error: 'ServerFailure' });
    await sandbox.reset();
    expect(await sandbox.faults.list()).toEqual([]);
  });
});
