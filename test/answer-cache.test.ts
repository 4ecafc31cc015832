import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnswerCache, type CachedAnswer } from '../src/http/answer-cache.js';
import { startSandbox, type Sandbox } from '../src/index.js';
import { post, VENDOR } from './helpers/http.js';

// Repeated reads are answered from the answer cache (src/http/answer-cache.ts). Each test below is
// a way a cached answer could be wrong: a change, a key, a fault, the clock, the journal.

let clock = new Date('2026-06-15T06:30:00.000Z');
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true, customers: 5, now: () => clock });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  clock = new Date('2026-06-15T06:30:00.000Z');
  await sandbox.reset();
});

const search = (body: unknown, key?: string) => post(sandbox.url, VENDOR.search, body, key === undefined ? {} : { key });

describe('answer cache: the same read, answered again', () => {
  it('answers the same bytes, and journals and counts every request', async () => {
    await sandbox.journal.clear();
    const first = await search({ customer_id: '286829' });
    const again = await search({ customer_id: '286829' });
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(first.json.message[0].id).toBe(286829);
    const entries = await sandbox.journal.list({ operation: 'searchCustomer' });
    expect(entries).toHaveLength(2);
    expect(entries.every((entry) => entry.response?.status === 200 && entry.key !== undefined)).toBe(true);
  });

  it('an update is seen by the next search (the store moved on)', async () => {
    const before = await search({ customer_id: '286829' });
    expect(before.json.message[0].name).toBe('Nikesh');
    const updated = await post(sandbox.url, VENDOR.add, { customer_id: '286829', name: 'Renamed Once' });
    expect(updated.json.status).toBe('success');
    const after = await search({ customer_id: '286829' });
    expect(after.json.message[0].name).toBe('Renamed Once');
  });

  it('a contact added is seen by the next search by phone (today\'s Get Customer)', async () => {
    const body = [{ kapture_customer_id: '', customer_id: '', email_id: '', phone: '9876501234' }];
    const missed = await search(body);
    expect(missed.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
    await post(sandbox.url, VENDOR.contacts, { customer_id: '286829', contact_person: 'New', phone: '9876501234', email: 'new@example.com' });
    const found = await search(body);
    expect(found.json.status).toBe('success');
    expect(found.json['Customer Details'].id).toBe(286829);
  });

  it('a deleted key is refused on its next search, an added one accepted', async () => {
    await sandbox.keys.add({ key: 'cache-key', tenant: 396 });
    expect((await search({ customer_id: '286829' }, 'cache-key')).json.status).toBe('success');
    await sandbox.keys.remove('cache-key');
    const refused = await search({ customer_id: '286829' }, 'cache-key');
    expect(refused.headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
  });

  it('a fault rule applies to a read answered before', async () => {
    expect((await search({ customer_id: '286829' })).json.status).toBe('success');
    await sandbox.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', times: 1 });
    expect((await search({ customer_id: '286829' })).headers.get('x-sandbox-error')).toBe('ServerFailure');
    expect((await search({ customer_id: '286829' })).json.status).toBe('success');
  });

  it('X-Sandbox-Fault applies to a read answered before', async () => {
    expect((await search({ customer_id: '286829' })).json.status).toBe('success');
    const faulted = await post(sandbox.url, VENDOR.search, { customer_id: '286829' }, { headers: { 'x-sandbox-fault': 'CustomerNotFound' } });
    expect(faulted.headers.get('x-sandbox-error')).toBe('CustomerNotFound');
  });

  it('a key that expires is refused once the clock passes its expiry, though it was answered before', async () => {
    await sandbox.keys.add({ key: 'expiring-key', tenant: 396, expiresAt: '2026-06-15T07:00:00.000Z' });
    expect((await search({ customer_id: '286829' }, 'expiring-key')).json.status).toBe('success');
    clock = new Date('2026-06-15T07:00:01.000Z');
    expect((await search({ customer_id: '286829' }, 'expiring-key')).headers.get('x-sandbox-error')).toBe('APIExpired');
  });

  it('the same body without a Content-Type is answered with its warning, not the cached answer', async () => {
    expect((await search({ customer_id: '286829' })).headers.get('x-sandbox-warnings')).toBeNull();
    const bare = await post(sandbox.url, VENDOR.search, '{"customer_id":"286829"}', { raw: true, headers: { 'content-type': null } });
    expect(bare.headers.get('x-sandbox-warnings')).toMatch(/no Content-Type/);
  });

  it('a reset and a snapshot restore are seen by the next search', async () => {
    await post(sandbox.url, VENDOR.add, { customer_id: '286829', name: 'Before Snapshot' });
    await sandbox.snapshots.save('cache-test');
    await post(sandbox.url, VENDOR.add, { customer_id: '286829', name: 'After Snapshot' });
    expect((await search({ customer_id: '286829' })).json.message[0].name).toBe('After Snapshot');
    await sandbox.snapshots.restore('cache-test');
    expect((await search({ customer_id: '286829' })).json.message[0].name).toBe('Before Snapshot');
    await sandbox.reset();
    expect((await search({ customer_id: '286829' })).json.message[0].name).toBe('Nikesh');
    await sandbox.snapshots.remove('cache-test');
  });
});

describe('AnswerCache', () => {
  const answer = (bytes: number): CachedAnswer => ({
    status: 200,
    headers: {},
    bytes: Buffer.alloc(bytes),
    operation: 'searchCustomer',
    shape: 'document',
    tenant: 396,
    warnings: [],
    key: 'k',
    keyDigest: undefined,
  });
  const headers = { authorization: 'Basic k', 'content-type': 'application/json' };

  it('forgets everything when the version moves', () => {
    const cache = new AnswerCache();
    const key = cache.keyOf('/p', headers, Buffer.from('{}'))!;
    cache.set(1, key, answer(10));
    expect(cache.get(1, key)).toBeDefined();
    expect(cache.get(2, key)).toBeUndefined();
    expect(cache.get(1, key)).toBeUndefined();
  });

  it('keys differ by path, key header, content type and body bytes', () => {
    const cache = new AnswerCache();
    const keys = new Set([
      cache.keyOf('/p', headers, Buffer.from('{"a":1}')),
      cache.keyOf('/q', headers, Buffer.from('{"a":1}')),
      cache.keyOf('/p', { ...headers, authorization: 'Basic other' }, Buffer.from('{"a":1}')),
      cache.keyOf('/p', { authorization: 'Basic k' }, Buffer.from('{"a":1}')),
      cache.keyOf('/p', { ...headers, 'x-api-key': 'k' }, Buffer.from('{"a":1}')),
      cache.keyOf('/p', headers, Buffer.from('{"a":2}')),
    ]);
    expect(keys.size).toBe(6);
  });

  it('does not look up a long body, keep a large answer, or grow past its bounds', () => {
    const cache = new AnswerCache(2, 100, 50);
    expect(cache.keyOf('/p', headers, Buffer.alloc(2048))).toBeUndefined();
    cache.set(1, 'big', answer(51));
    expect(cache.get(1, 'big')).toBeUndefined();
    cache.set(1, 'a', answer(40));
    cache.set(1, 'b', answer(40));
    expect(cache.size).toBe(2);
    cache.set(1, 'c', answer(40));
    expect(cache.size).toBe(1);
    expect(cache.get(1, 'c')).toBeDefined();
  });
});
