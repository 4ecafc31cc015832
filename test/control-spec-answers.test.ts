import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { describeErrors, specValidator } from '../src/validation/ajv.js';
import { request } from './helpers/http.js';
import { PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

// The answers of tenants, verify and coverage, as sent, validate against the schemas the spec
// documents for them (the spec is what a consumer codes against).

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

function expectValid(schema: string, value: unknown): void {
  const validate = specValidator(schema);
  expect(validate(value), `${schema}: ${describeErrors(validate)}`).toBe(true);
}

const controlPost = (path: string, body: unknown, tenant?: number) =>
  request(sandbox.url, `/__sandbox${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(tenant === undefined ? {} : { 'X-Sandbox-Tenant': String(tenant) }) },
    body: JSON.stringify(body),
  });

describe('control answers match the spec', () => {
  it('POST /tenants, POST /verify (200 and 409), GET /coverage', async () => {
    const created = await controlPost('/tenants', { seedCustomers: 1 });
    expect(created.status).toBe(201);
    expectValid('TenantCreated', created.json);
    const { tenant, key } = created.json as { tenant: number; key: string };
    await vendor(sandbox, PATHS.search, { customer_id: '1' }, { key, headers: { 'X-Sandbox-Fault': 'ServerFailure, latency=1' } });
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Asha', phone: '9876543210', email: 'a@example.in', colour: 'red' }, { key });

    const ok = await controlPost('/verify', { operation: 'searchCustomer', fault: 'latency' }, tenant);
    expect(ok.status).toBe(200);
    expectValid('VerifyResult', ok.json);
    const failed = await controlPost('/verify', { operation: 'searchCustomer', error: 'none', body: { customer_id: '1' } }, tenant);
    expect(failed.status).toBe(409);
    expect(failed.json.nearMisses).toHaveLength(2);
    expectValid('VerifyResult', failed.json);

    const coverage = await request(sandbox.url, `/__sandbox/coverage?tenant=${tenant}`);
    expect(coverage.json.covered).toBe(3);
    expectValid('CoverageReport', coverage.json);
  });
});
