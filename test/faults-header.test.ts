import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { combineFaults } from '../src/faults/effects.js';
import { FaultHeaderError, parseFaultHeader } from '../src/faults/header.js';
import { rawRequest } from './helpers/raw-socket.js';
import { PATHS, searchOne, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

const SEARCH = { customer_id: '272930' };
const ADD = { name: 'Faulty', email: 'f@example.in', phone: '9000000600' };
const fault = (value: string) => ({ headers: { 'X-Sandbox-Fault': value } });

describe('X-Sandbox-Fault: parsing', () => {
  it.each([
    ['ServerFailure', [{ error: 'ServerFailure' }]],
    ['latency=800', [{ latencyMs: 800 }]],
    ['connection=reset', [{ connection: 'reset' }]],
    ['status=503', [{ status: 503 }]],
    [' APIExpired ,  latency=5 ', [{ error: 'APIExpired' }, { latencyMs: 5 }]],
  ])('%j', (header, effects) => {
    expect(parseFaultHeader(header).map((f) => f.effect)).toEqual(effects);
  });

  it.each([
    ['Teapot', 'X-Sandbox-Fault item "Teapot" is not a fault'],
    ['latency=fast', 'item "latency=fast" is not a fault'],
    ['latency=-1', 'item "latency=-1" is not a fault'],
    ['latency=600001', 'item "latency=600001" is not a fault'],
    ['connection=explode', 'item "connection=explode" is not a fault'],
    ['status=99', 'item "status=99" is not a fault'],
    ['ServerFailure,', 'has an empty item'],
    ['serverfailure', 'item "serverfailure" is not a fault'],
  ])('rejects %j', (header, message) => {
    expect(() => parseFaultHeader(header)).toThrow(FaultHeaderError);
    expect(() => parseFaultHeader(header)).toThrow(message);
  });

  it('combines: latencies add up, the first error or connection fault wins, a status overrides', () => {
    const plan = combineFaults([
      { label: 'a', effect: { latencyMs: 100 } },
      { label: 'b', effect: { error: 'APIExpired' } },
      { label: 'c', effect: { error: 'ServerFailure', latencyMs: 50 } },
      { label: 'd', effect: { status: 503 } },
    ]);
    expect(plan).toEqual({ latencyMs: 150, labels: ['a', 'b', 'c', 'd'], error: 'APIExpired', status: 503, decidedBy: 'b' });
  });
});

describe('X-Sandbox-Fault: per request', () => {
  it.each([
    ['APIExpired', 200, 'Auth Key Expired'],
    ['AuthKeyInvalid', 200, 'Auth Key Invalid'],
    ['ReqFieldMissing', 200, 'Mandatory field missing'],
    ['ServerFailure', 500, 'Server error while processing this request'],
    ['CustomerNotFound', 200, 'Customer not found'],
  ])('%s answers that failure instead of the success', async (code, status, message) => {
    const answer = await vendor(sandbox, PATHS.search, SEARCH, fault(code));
    expect(answer.status).toBe(status);
    expect(answer.headers.get('x-sandbox-error')).toBe(code);
    expect(answer.headers.get('x-sandbox-error-detail')).toBe('injected by X-Sandbox-Fault');
    expect(answer.json).toEqual({ Message: message, Status: 'Fail' });
  });

  it('applies to that request alone', async () => {
    await vendor(sandbox, PATHS.search, SEARCH, fault('ServerFailure'));
    expect((await vendor(sandbox, PATHS.search, SEARCH)).json.status).toBe('success');
  });

  it('an injected error stores nothing', async () => {
    const before = (await sandbox.health()).customers;
    const answer = await vendor(sandbox, PATHS.addOrUpdate, ADD, fault('ServerFailure'));
    expect(answer.status).toBe(500);
    expect((await sandbox.health()).customers).toBe(before);
  });

  it('answers instead of auth: an injected error wins over an invalid key', async () => {
    const answer = await vendor(sandbox, PATHS.search, SEARCH, { key: 'nope', headers: { 'X-Sandbox-Fault': 'ServerFailure' } });
    expect(answer.headers.get('x-sandbox-error')).toBe('ServerFailure');
  });

  it('status alone overrides the status of the normal answer', async () => {
    const answer = await vendor(sandbox, PATHS.search, SEARCH, fault('status=503'));
    expect(answer.status).toBe(503);
    expect(answer.json.status).toBe('success');
  });

  it('latency holds the answer back at least that long', async () => {
    const started = performance.now();
    const answer = await vendor(sandbox, PATHS.search, SEARCH, fault('latency=300'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.json.status).toBe('success');
  });

  it('latency with an error: late, then the error', async () => {
    const started = performance.now();
    const answer = await vendor(sandbox, PATHS.search, SEARCH, fault('latency=200, ServerFailure'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(answer.headers.get('x-sandbox-error')).toBe('ServerFailure');
  });

  it('a malformed header is a 400 control error naming the bad item, and nothing runs', async () => {
    const before = (await sandbox.health()).customers;
    const answer = await vendor(sandbox, PATHS.addOrUpdate, ADD, fault('ServerFailure, latency=soon'));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain('"latency=soon"');
    expect((await sandbox.health()).customers).toBe(before);
  });
});

describe('connection faults, seen from a real client socket', () => {
  const headers = { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' };

  it('connection=reset: the client sees ECONNRESET', async () => {
    const outcome = await rawRequest(sandbox.url, PATHS.search, { ...headers, 'X-Sandbox-Fault': 'connection=reset' }, JSON.stringify(SEARCH));
    expect(outcome.kind).toBe('reset');
    expect(outcome.data).toBe('');
  });

  it('connection=close: closed without a byte of answer', async () => {
    const outcome = await rawRequest(sandbox.url, PATHS.search, { ...headers, 'X-Sandbox-Fault': 'connection=close' }, JSON.stringify(SEARCH));
    expect(outcome.kind).toBe('closed-without-answer');
  });

  it('connection=hang: no answer until the client gives up', async () => {
    const outcome = await rawRequest(sandbox.url, PATHS.search, { ...headers, 'X-Sandbox-Fault': 'connection=hang' }, JSON.stringify(SEARCH), 400);
    expect(outcome.kind).toBe('timeout');
    expect(outcome.data).toBe('');
    expect(outcome.ms).toBeGreaterThanOrEqual(390);
  });

  it('a dropped add stores nothing', async () => {
    const before = (await sandbox.health()).customers;
    await rawRequest(sandbox.url, PATHS.addOrUpdate, { ...headers, 'X-Sandbox-Fault': 'connection=reset' }, JSON.stringify(ADD));
    expect((await sandbox.health()).customers).toBe(before);
  });

  it('the same request without the header answers normally', async () => {
    const outcome = await rawRequest(sandbox.url, PATHS.search, headers, JSON.stringify(SEARCH));
    expect(outcome.kind).toBe('answer');
    expect(outcome.data).toContain('"status":"success"');
  });
});

describe('--no-header-faults', () => {
  it('ignores the header entirely, as Kapture would', async () => {
    const strict = await testSandbox({ headerFaults: false });
    try {
      const answer = await vendor(strict, PATHS.search, SEARCH, fault('ServerFailure, nonsense'));
      expect(answer.status).toBe(200);
      expect(answer.json.status).toBe('success');
      expect((await searchOne(strict, 272930)).id).toBe(272930);
    } finally {
      await strict.close();
    }
  });
});
