import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifyError, type ControlClient, type Sandbox } from '../src/index.js';
import { request } from './helpers/http.js';
import { PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

type Job = { tenant: number; key: string; control: ControlClient; customer: string };

/** Each test in its own tenant, with one customer: what a CI job does on a shared sandbox. */
async function job(): Promise<Job> {
  const { tenant, key } = await sandbox.tenants.create();
  const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Asha Rao', phone: '9876543210', email: 'asha@example.in' }, { key });
  return { tenant, key, control: sandbox.forTenant(tenant), customer: added.json['Kapture Customer Id'] };
}

/**
 * A stand-in for the code a consumer tests: it syncs a customer in the background and retries a
 * ServerFailure on a timer. Nothing awaits it: the test learns what it did from the sandbox.
 */
function syncInBackground(key: string, customerId: string, backoffMs = 30): void {
  const attempt = async (left: number): Promise<void> => {
    const answer = await vendor(sandbox, PATHS.search, { customer_id: customerId }, { key });
    if (answer.status === 500 && left > 0) setTimeout(() => void attempt(left - 1), backoffMs);
  };
  void attempt(3);
}

const verifyRaw = (body: unknown, tenant?: number) =>
  request(sandbox.url, '/__sandbox/verify', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(tenant === undefined ? {} : { 'X-Sandbox-Tenant': String(tenant) }) },
    body: JSON.stringify(body),
  });

describe('POST /__sandbox/verify', () => {
  it('"retried twice after ServerFailure, then succeeded", in one call, without sleeping', async () => {
    const { key, control, customer } = await job();
    await control.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', times: 2 });
    syncInBackground(key, customer);
    const { entries } = await control.verify({ operation: 'searchCustomer', body: { customer_id: customer }, atLeast: 3, withinMs: 10_000 });
    expect(entries.map((e) => e.error ?? 'ok')).toEqual(['ServerFailure', 'ServerFailure', 'ok']);
  });

  it('answers a waiting atLeast the moment the matching request is journaled, not when withinMs ends', async () => {
    const { key, control, customer } = await job();
    const started = Date.now();
    const waiting = control.waitFor({ operation: 'searchCustomer', error: 'none', withinMs: 20_000 });
    setTimeout(() => void vendor(sandbox, PATHS.search, { customer_id: customer }, { key }), 100);
    const entries = await waiting;
    expect(entries).toHaveLength(1);
    expect(entries[0]!.request.body).toEqual({ customer_id: customer });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('matches a partial body against any item of a batch, nested objects partially', async () => {
    const { key, control } = await job();
    const batch = [
      { name: 'Ravi', phone: '9812345678', email: 'ravi@example.in' },
      { name: 'Meera', phone: '9812345679', email: 'meera@example.in', city: 'Pune', extra: { source: 'crm', tags: ['a', 'b'] } },
    ];
    await vendor(sandbox, PATHS.addOrUpdate, batch, { key });
    await control.verify({ operation: 'addCustomer', body: { name: 'Meera', city: 'Pune' }, count: 1 });
    await control.verify({ body: { extra: { source: 'crm' } } });
    await control.verify({ body: { extra: { tags: ['a', 'b'] } } });
    await expect(control.verify({ body: { extra: { tags: ['a'] } } })).rejects.toThrow(VerifyError);
    await expect(control.verify({ body: { name: 'Meera', city: 'Mumbai' } })).rejects.toThrow(/request\.body\[1\]\.city: expected "Mumbai", got "Pune"/);
  });

  it('matches a value however the client escaped it, non-ASCII text too', async () => {
    const { key, control } = await job();
    const escaped = '{"customer_id":"\\u0032\\u0037\\u0032\\u0039\\u0033\\u0030","name":"R\\u00e9ka"}';
    await vendor(sandbox, PATHS.search, escaped, { key });
    await vendor(sandbox, PATHS.search, '{"customer_id":"272931","name":"Réka \\"R\\""}', { key });
    await control.verify({ body: { customer_id: '272930', name: 'Réka' }, count: 1 });
    await control.verify({ body: { name: 'Réka "R"' }, count: 1 });
    await control.verify({ body: { customer_id: '27293' }, count: 0 });
  });

  it('not satisfied: 409 with up to three near misses, closest first, and what differed', async () => {
    const { tenant, key, customer } = await job();
    await vendor(sandbox, PATHS.search, { customer_id: '1' }, { key });
    await vendor(sandbox, PATHS.search, { customer_id: customer }, { key, headers: { 'X-Sandbox-Fault': 'ServerFailure' } });
    await vendor(sandbox, PATHS.addContacts, { customer_id: '1', name: 'Ravi', phone: '9812345678' }, { key });
    const answer = await verifyRaw({ operation: 'searchCustomer', error: 'none', body: { customer_id: customer } }, tenant);
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ ok: false, matched: 0, journalComplete: true, expected: `at least 1 searchCustomer request answered without an error with a body item matching {"customer_id":"${customer}"}` });
    const misses = answer.json.nearMisses as Array<{ entry: { id: number }; differences: Array<{ path: string; expected: unknown; actual: unknown }> }>;
    expect(misses).toHaveLength(3);
    // Two of three criteria met: the ServerFailure with the right id. One met: the search of a
    // wrong id, and the add (newest first among equals). None met: the add-contacts, left out.
    expect(misses[0]!.differences).toEqual([{ path: 'error', expected: 'none', actual: 'ServerFailure' }]);
    expect(misses[1]!.differences).toEqual([
      { path: 'error', expected: 'none', actual: 'CustomerNotFound' },
      { path: 'request.body.customer_id', expected: customer, actual: '1' },
    ]);
    expect(misses[2]!.differences).toEqual([
      { path: 'operation', expected: 'searchCustomer', actual: 'addCustomer' },
      { path: 'request.body.customer_id', expected: customer, actual: null },
    ]);
  });

  it('count and atMost wait out withinMs, and fail at once when exceeded', async () => {
    const { key, control, customer } = await job();
    const search = () => vendor(sandbox, PATHS.search, { customer_id: customer }, { key });
    await search();
    let started = Date.now();
    await control.verify({ operation: 'searchCustomer', count: 1, withinMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    await search();
    started = Date.now();
    const exceeded = await control.verify({ operation: 'searchCustomer', count: 1, withinMs: 20_000 }).catch((error: VerifyError) => error);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(exceeded).toBeInstanceOf(VerifyError);
    expect((exceeded as VerifyError).result).toMatchObject({ matched: 2, nearMisses: [], expected: 'exactly 1 searchCustomer request within 20000 ms' });

    started = Date.now();
    const atMost = control.verify({ operation: 'searchCustomer', atMost: 2, withinMs: 20_000 }).catch((error: VerifyError) => error);
    setTimeout(() => void search(), 50);
    expect(await atMost).toBeInstanceOf(VerifyError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await control.verify({ operation: 'searchCustomer', atLeast: 2, atMost: 3 });
  });

  it('error "none" is an answer without an error code; a cut connection is not one', async () => {
    const { key, control, customer } = await job();
    await vendor(sandbox, PATHS.search, { customer_id: customer }, { key, headers: { 'X-Sandbox-Fault': 'connection=reset' } }).catch(() => undefined);
    await control.verify({ operation: 'searchCustomer', error: 'none', count: 0 });
    await control.verify({ operation: 'searchCustomer', fault: 'connection=reset', count: 1 });
    const error = await control.verify({ operation: 'searchCustomer', error: 'none' }).catch((e: VerifyError) => e);
    expect((error as VerifyError).result.nearMisses[0]!.differences).toEqual([{ path: 'error', expected: 'none', actual: 'no answer (connection cut)' }]);
  });

  it('fault takes a label as the journal records it, or one item of it', async () => {
    const { key, control, customer } = await job();
    const rule = await control.faults.add({ operation: 'searchCustomer', error: 'APIExpired', latencyMs: 1, times: 1 });
    await vendor(sandbox, PATHS.search, { customer_id: customer }, { key, headers: { 'X-Sandbox-Fault': 'latency=2' } });
    for (const fault of ['latency', 'latency=2', 'header:latency=2', 'APIExpired', `${rule.id}:APIExpired+latency=1`]) {
      await control.verify({ fault, count: 1 });
    }
    await control.verify({ fault: 'ServerFailure', count: 0 });
    await control.verify({ error: 'APIExpired', count: 1 });
  });

  it('since bounds the window (a Date from the typed client)', async () => {
    const { key, control, customer } = await job();
    await vendor(sandbox, PATHS.search, { customer_id: customer }, { key });
    const later = new Date(Date.now() + 60_000);
    await control.verify({ operation: 'searchCustomer', since: later, count: 0 });
    const error = (await control.verify({ operation: 'searchCustomer', since: later }).catch((e: VerifyError) => e)) as VerifyError;
    expect(error.result.nearMisses).toEqual([]);
    expect(error.message).toContain('No near misses');
    await control.verify({ operation: 'searchCustomer', since: new Date(Date.now() - 60_000), count: 1 });
  });

  it('key takes the full key; the near miss shows only redacted forms', async () => {
    const { key, control } = await job();
    await control.verify({ key, operation: 'addCustomer', count: 1 });
    const error = (await control.verify({ key: 'some-other-key', operation: 'addCustomer' }).catch((e: VerifyError) => e)) as VerifyError;
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain('some-other-key');
    expect(error.result.nearMisses[0]!.differences[0]).toMatchObject({ path: 'key', expected: expect.stringMatching(/^som…#[0-9a-f]{8}$/) });
  });

  it('a scoped verify sees its tenant only, also while it waits', async () => {
    const a = await job();
    const b = await job();
    const waiting = a.control.verify({ operation: 'searchCustomer', withinMs: 400 }).catch((e: VerifyError) => e);
    await vendor(sandbox, PATHS.search, { customer_id: b.customer }, { key: b.key });
    const error = (await waiting) as VerifyError;
    expect(error).toBeInstanceOf(VerifyError);
    expect(error.result.matched).toBe(0);
    expect(error.result.nearMisses.every((miss) => miss.entry.tenant === a.tenant)).toBe(true);
    await b.control.verify({ operation: 'searchCustomer', count: 1 });
  });

  it.each([
    [{ withinMs: 30_001 }, /withinMs must be <= 30000/],
    [{ count: 1, atLeast: 1 }, /give count alone/],
    [{ atLeast: 3, atMost: 2 }, /no count can satisfy both/],
    [{ error: 'Nope' }, /error/],
    [{ since: 'yesterday' }, /since/],
    [{ operation: 'searchCustomer', colour: 'red' }, /must NOT have additional properties/],
  ])('refuses %j with a 400 saying why', async (body, message) => {
    const answer = await verifyRaw(body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(message);
  });
});

describe('journalComplete', () => {
  it('is false when the ring dropped entries since the window began, true again after a scoped reset', async () => {
    const small = await testSandbox({ journalSize: 3 });
    try {
      const { tenant, key } = await small.tenants.create();
      const control = small.forTenant(tenant);
      const search = () => vendor(small, PATHS.search, { customer_id: '1' }, { key });
      for (let i = 0; i < 4; i++) await search();
      await expect(control.verify({ count: 4 })).rejects.toThrow(/dropped entries since the window began/);
      expect((await control.verify({ count: 3 })).journalComplete).toBe(false);
      // The next millisecond: the window of the reset begins after every dropped entry.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await control.reset();
      await search();
      expect((await control.verify({ count: 1 })).journalComplete).toBe(true);
      for (let i = 0; i < 3; i++) await search();
      expect((await control.verify({ count: 3 })).journalComplete).toBe(false);
    } finally {
      await small.close();
    }
  });
});
