import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { specValidator } from '../src/validation/ajv.js';
import { control, PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

const VALID = {
  add: { path: PATHS.addOrUpdate, body: { name: 'N', email: 'n@example.in', phone: '9000000000' } },
  update: { path: PATHS.addOrUpdate, body: { customer_id: '272930', city: 'Mysuru' } },
  select: { path: PATHS.select, body: { start_date: '2016-03-31', end_date: '2016-03-31' } },
  search: { path: PATHS.search, body: { customer_id: '272930' } },
  addContacts: { path: PATHS.addContacts, body: { customer_id: '272930', name: 'C', email: 'c@example.in', phone: '9000000001' } },
};
type Op = keyof typeof VALID;

async function expectFailure(answer: Awaited<ReturnType<typeof vendor>>, code: string, message: string, status = 200) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('x-sandbox-error')).toBe(code);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.json).toEqual({ Message: message, Status: 'Fail' });
  expect(specValidator('VendorFailure')(answer.json)).toBe(true);
}

describe('AuthKeyInvalid', () => {
  // The document's failure texts differ per endpoint for the same cause; each is kept.
  const invalidText: Record<Op, string> = {
    add: 'Invalid Auth Key',
    update: 'Auth Key Invalid',
    select: 'Invalid Auth Key',
    search: 'Auth Key Invalid',
    addContacts: 'Invalid Auth Key',
  };
  const ops = Object.keys(VALID) as Op[];

  it.each(ops)('%s without a key', async (op) => {
    const answer = await vendor(sandbox, VALID[op].path, VALID[op].body, { key: null });
    await expectFailure(answer, 'AuthKeyInvalid', invalidText[op]);
    expect(answer.headers.get('x-sandbox-error-detail')).toContain('no key sent');
  });

  it.each(ops)('%s with an unknown key', async (op) => {
    await expectFailure(await vendor(sandbox, VALID[op].path, VALID[op].body, { key: 'no-such-key' }), 'AuthKeyInvalid', invalidText[op]);
  });

  it.each(ops.filter((op) => op !== 'search'))('%s with a key not granted it (search-only-key)', async (op) => {
    const answer = await vendor(sandbox, VALID[op].path, VALID[op].body, { key: 'search-only-key' });
    await expectFailure(answer, 'AuthKeyInvalid', invalidText[op]);
    expect(answer.headers.get('x-sandbox-error-detail')).toContain('not granted');
  });

  it('search-only-key may search', async () => {
    const answer = await vendor(sandbox, PATHS.search, VALID.search.body, { key: 'search-only-key' });
    expect(answer.json.status).toBe('success');
  });

  // Trailing whitespace cannot be tested: HTTP strips it from header values before anyone sees it.
  it('the key is compared exactly: other schemes, case and inner padding do not match', async () => {
    for (const authorization of ['Bearer sandbox-key', 'Basic Sandbox-key', 'Basic  sandbox-key', 'sandbox-key', 'Basic c2FuZGJveC1rZXk=']) {
      const answer = await vendor(sandbox, PATHS.search, VALID.search.body, { key: null, headers: { Authorization: authorization } });
      expect(answer.headers.get('x-sandbox-error'), authorization).toBe('AuthKeyInvalid');
    }
  });

  it('x-api-key carries the key too; Authorization wins when both are sent', async () => {
    const viaHeader = await vendor(sandbox, PATHS.search, VALID.search.body, { key: null, headers: { 'x-api-key': 'sandbox-key' } });
    expect(viaHeader.json.status).toBe('success');
    const both = await vendor(sandbox, PATHS.search, VALID.search.body, { key: 'no-such-key', headers: { 'x-api-key': 'sandbox-key' } });
    expect(both.headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
  });

  it('a wrong key fails before the body is looked at', async () => {
    await expectFailure(await vendor(sandbox, PATHS.search, '{not json', { key: 'no-such-key' }), 'AuthKeyInvalid', 'Auth Key Invalid');
  });
});

describe('APIExpired', () => {
  const expiredText: Record<Op, string> = {
    add: 'Message Key Expired',
    update: 'Auth Key Expired',
    select: 'Auth Key Expired',
    search: 'Auth Key Expired',
    addContacts: 'Auth Key Expired',
  };
  it.each(Object.keys(VALID) as Op[])('%s with expired-key', async (op) => {
    const answer = await vendor(sandbox, VALID[op].path, VALID[op].body, { key: 'expired-key' });
    await expectFailure(answer, 'APIExpired', expiredText[op]);
  });

  it('a key expires at its expiresAt', async () => {
    await control(sandbox, 'POST', '/keys', { key: 'soon', tenant: 396, expiresAt: '2026-11-29T06:30:00.001Z' });
    expect((await vendor(sandbox, PATHS.search, VALID.search.body, { key: 'soon' })).json.status).toBe('success');
    await control(sandbox, 'POST', '/keys', { key: 'soon', tenant: 396, expiresAt: '2026-11-29T06:30:00.000Z' });
    expect((await vendor(sandbox, PATHS.search, VALID.search.body, { key: 'soon' })).headers.get('x-sandbox-error')).toBe('APIExpired');
  });
});

describe('ReqFieldMissing names the mandatory field', () => {
  const cases: Array<[Op, string, string]> = [
    ['add', 'name', 'Mandatory field missing: name'],
    ['add', 'email', 'Mandatory field missing: email'],
    ['add', 'phone', 'Mandatory field missing: phone'],
    ['select', 'start_date', 'Mandatory field missing: start_date'],
    ['select', 'end_date', 'Mandatory field missing: end_date'],
    ['search', 'customer_id', 'Mandatory field missing: customer_id'],
    ['addContacts', 'customer_id', 'Mandatory field missing: customer_id'],
    ['addContacts', 'name', 'Mandatory field missing: contact_person (or name)'],
    ['addContacts', 'email', 'Mandatory field missing: email'],
    ['addContacts', 'phone', 'Mandatory field missing: phone'],
  ];
  it.each(cases)('%s without %s', async (op, field, message) => {
    const body: Record<string, unknown> = { ...VALID[op].body };
    delete body[field];
    await expectFailure(await vendor(sandbox, VALID[op].path, body), 'ReqFieldMissing', message);
  });

  it.each([
    ['select', { start_date: '2016-02-30', end_date: '2016-03-31' }, 'Mandatory field malformed: start_date (expected a date as YYYY-MM-DD hh:mm:ss or YYYY-MM-DD, in IST, got "2016-02-30")'],
    ['select', { start_date: '2016-03-01', end_date: '31/03/2016' }, 'Mandatory field malformed: end_date (expected a date as YYYY-MM-DD hh:mm:ss or YYYY-MM-DD, in IST, got "31/03/2016")'],
    ['search', { customer_id: 272930.5 }, 'Mandatory field malformed: customer_id (expected a customer id: the integrating system\'s own id (any non-empty string, e.g. a UUID) or Kapture\'s id, got 272930.5)'],
    ['search', { customer_id: '' }, 'Mandatory field empty: customer_id'],
    ['update', { customer_id: '272930', email: 'not-an-email' }, 'Mandatory field malformed: email (expected an email address such as abc@gmail.com, got "not-an-email")'],
    ['update', { customer_id: '272930', name: ' ' }, 'Mandatory field empty: name'],
  ] as Array<[Op, object, string]>)('%s with %j', async (op, body, message) => {
    await expectFailure(await vendor(sandbox, VALID[op].path, body), 'ReqFieldMissing', message);
  });
});

describe('CustomerNotFound', () => {
  it.each([
    ['search', { customer_id: '999999999' }],
    ['update', { customer_id: '999999999', city: 'X' }],
    ['addContacts', { customer_id: '999999999', name: 'C', email: 'c@example.in', phone: '9000000001' }],
  ] as Array<[Op, object]>)('%s of an unknown customer', async (op, body) => {
    const answer = await vendor(sandbox, VALID[op].path, body);
    await expectFailure(answer, 'CustomerNotFound', 'Customer not found: no customer with customer_id 999999999 in this account');
  });
});

describe('ServerFailure', () => {
  it('an unexpected error inside the sandbox (the store directory vanished) is a vendor-shaped 500', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kapture-sandbox-'));
    const fileSandbox = await testSandbox({ inMemory: false, db: join(dir, 'store.json') });
    try {
      await rm(dir, { recursive: true, force: true });
      const answer = await vendor(fileSandbox, VALID.add.path, VALID.add.body);
      await expectFailure(answer, 'ServerFailure', 'Server error while processing this request', 500);
      expect(answer.headers.get('x-sandbox-error-detail')).toContain('unexpected error inside the sandbox');
      expect(answer.text).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await fileSandbox.close().catch(() => undefined);
    }
  });
});
