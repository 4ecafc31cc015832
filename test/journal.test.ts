import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Journal, redactKey } from '../src/journal.js';
import { specValidator } from '../src/validation/ajv.js';
import { control, PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox({ journalSize: 5 });
});
beforeEach(() => sandbox.journal.clear());
afterAll(() => sandbox.close());

describe('the journal', () => {
  it('records each vendor request with what it was answered, newest last', async () => {
    await vendor(sandbox, PATHS.search, { customer_id: '272930' });
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'J', email: 'j@example.in', phone: '9000000800', customer_code: 'x', colour: 'red' });
    const entries = await sandbox.journal.list();
    expect(entries).toHaveLength(2);
    for (const entry of entries) expect(specValidator('JournalEntry')(entry)).toBe(true);
    const [search, add] = entries;
    expect(search).toMatchObject({
      method: 'POST',
      path: PATHS.search,
      operation: 'searchCustomer',
      tenant: 396,
      request: { contentType: 'application/json', body: { customer_id: '272930' } },
      response: { status: 200, body: { status: 'success' } },
      faults: [],
      warnings: [],
    });
    expect(add!.id).toBeGreaterThan(search!.id);
    expect(add!.operation).toBe('addCustomer');
    expect(add!.warnings).toEqual(['unknown field "colour" ignored']);
    expect(add!.response!.body).toMatchObject({ Status: 'Success' });
    expect(add!.durationMs).toBeLessThan(5_000);
  });

  it('durationMs is the time the request took, an injected latency included', async () => {
    await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { headers: { 'X-Sandbox-Fault': 'latency=120' } });
    const [slow] = await sandbox.journal.list({ limit: 1 });
    expect(slow!.faults).toEqual(['header:latency=120']);
    expect(slow!.durationMs).toBeGreaterThanOrEqual(110);
  });

  it('never shows a key, only a redacted form; ?key= takes the full key', async () => {
    await vendor(sandbox, PATHS.search, { customer_id: '272930' });
    await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { key: 'expired-key' });
    const listing = await control(sandbox, 'GET', '/journal');
    expect(listing.text).not.toContain('sandbox-key');
    expect(listing.text).not.toContain('expired-key');
    expect(listing.json.entries.map((e: { key: string }) => e.key)).toEqual([redactKey('sandbox-key'), redactKey('expired-key')]);
    expect(redactKey('sandbox-key')).toMatch(/^sa…#[0-9a-f]{8}$/);
    const expired = await sandbox.journal.list({ key: 'expired-key' });
    expect(expired.map((e) => e.error)).toEqual(['APIExpired']);
  });

  it('filters by operation, error code and time', async () => {
    const before = new Date(Date.now() - 1000);
    await vendor(sandbox, PATHS.search, { customer_id: '1' });
    await vendor(sandbox, PATHS.select, { start_date: '2016-01-01', end_date: '2016-01-02' });
    await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { headers: { 'X-Sandbox-Fault': 'ServerFailure' } });
    expect((await sandbox.journal.list({ operation: 'selectCustomers' })).map((e) => e.path)).toEqual([PATHS.select]);
    expect((await sandbox.journal.list({ error: 'CustomerNotFound' })).map((e) => e.request.body)).toEqual([{ customer_id: '1' }]);
    const injected = await sandbox.journal.list({ error: 'ServerFailure' });
    expect(injected[0]!.faults).toEqual(['header:ServerFailure']);
    expect(await sandbox.journal.list({ since: before })).toHaveLength(3);
    expect(await sandbox.journal.list({ since: new Date(Date.now() + 60_000) })).toHaveLength(0);
    expect((await sandbox.journal.list({ limit: 1 })).map((e) => e.path)).toEqual([PATHS.search]);
  });

  it('records connection faults without a response', async () => {
    await fetch(`${sandbox.url}${PATHS.search}`, {
      method: 'POST',
      headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json', 'X-Sandbox-Fault': 'connection=close' },
      body: '{"customer_id":"272930"}',
    }).catch(() => undefined);
    const [entry] = await sandbox.journal.list();
    expect(entry!.faults).toEqual(['header:connection=close']);
    expect(entry).not.toHaveProperty('response');
  });

  it('keeps large bodies as a short preview', async () => {
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'x'.repeat(20_000), email: 'big@example.in', phone: '9000000801' });
    const [entry] = await sandbox.journal.list();
    expect(entry!.request.body).toMatchObject({ truncated: true, bytes: expect.any(Number) });
    expect(JSON.stringify(entry).length).toBeLessThan(2_000);
  });

  it('does not keep a large body alive, only its preview', async () => {
    // A select answer can be megabytes: a ring of a thousand of them would hold gigabytes.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const journal = new Journal(10);
    let refs: Array<WeakRef<Buffer>> = [];
    (() => {
      const request = Buffer.from(JSON.stringify({ name: 'x'.repeat(100_000) }));
      const answer = Buffer.from(JSON.stringify({ message: 'y'.repeat(2_000_000) }));
      refs = [new WeakRef(request), new WeakRef(answer)];
      journal.record(
        { startedAt: Date.now(), method: 'POST', path: PATHS.select, shape: 'document', requestBody: request, response: { status: 200, body: answer }, faults: [], warnings: [], durationMs: 1 },
        'sandbox-key',
      );
    })();
    await nextTurn();
    gc();
    expect(refs.map((ref) => ref.deref() === undefined)).toEqual([true, true]);
    const [entry] = journal.list();
    expect(entry!.request.body).toMatchObject({ truncated: true, bytes: 100_011 });
    expect(entry!.response!.body).toMatchObject({ truncated: true, bytes: 2_000_014, preview: expect.stringMatching(/^\{"message":"y+$/) });
  });

  it('is a bounded ring: the oldest entries make room', async () => {
    for (let i = 1; i <= 8; i++) await vendor(sandbox, PATHS.search, { customer_id: String(i) });
    const entries = await sandbox.journal.list();
    expect(entries.map((e) => (e.request.body as { customer_id: string }).customer_id)).toEqual(['4', '5', '6', '7', '8']);
  });

  it('holds vendor requests only', async () => {
    await control(sandbox, 'GET', '/health');
    await fetch(`${sandbox.url}/nowhere`);
    expect(await sandbox.journal.list()).toEqual([]);
  });

  it.each([
    ['?operation=deleteAll', 'unknown operation "deleteAll"'],
    ['?error=Oops', 'unknown error code "Oops"'],
    ['?since=yesterday', 'since must be an ISO 8601 time'],
    ['?limit=0', 'limit must be a whole number from 1'],
    ['?colour=red', 'unknown journal filter colour'],
  ])('a bad filter %s is a 400', async (query, message) => {
    const answer = await control(sandbox, 'GET', `/journal${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain(message);
  });

  it('DELETE empties it', async () => {
    await vendor(sandbox, PATHS.search, { customer_id: '272930' });
    expect(await sandbox.journal.clear()).toBe(1);
    expect(await sandbox.journal.list()).toEqual([]);
  });
});
