import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSuite } from '../contracts/index.js';
import { GROUPS } from '../src/contract/check.js';
import { runContract, type ContractReport } from '../src/contract/runner.js';
import { describeTarget, probeSandbox, type TargetKeys } from '../src/contract/target.js';
import { startSandbox, type Sandbox } from '../src/index.js';
import { searchCustomer } from './helpers/http.js';

// The whole suite against a sandbox: every check runs (fault scenarios included) and passes.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true, customers: 20 });
});
afterAll(() => sandbox.close());

async function run(keys: TargetKeys = {}): Promise<ContractReport> {
  const probe = await probeSandbox(sandbox.url);
  const target = describeTarget({ baseUrl: sandbox.url, probe, keys, allowWrites: false, stateless: false });
  return runContract({ suite: contractSuite, target, consistencyTimeoutMs: 1_000 });
}

describe('the contract suite against the sandbox', () => {
  let report: ContractReport;
  beforeAll(async () => {
    report = await run();
  });

  it('is detected as a sandbox with every capability', () => {
    expect(report.target).toMatchObject({ kind: 'sandbox', capabilities: ['control', 'faults', 'stateful', 'vendor-errors', 'writes'] });
  });

  it('runs every check, and every check passes', () => {
    const notPassed = report.results.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.status}: ${r.message}`);
    expect(notPassed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => r.id)).toEqual(contractSuite.checks.map((c) => c.id));
  });

  it('covers every group, the five operations and every error code of the spec', () => {
    for (const group of GROUPS) expect(report.results.some((r) => r.group === group)).toBe(true);
    const tags = new Set(report.results.flatMap((r) => r.tags));
    for (const tag of ['search', 'select', 'add', 'update', 'contacts', 'errors', 'dates', 'arrays', 'flow', 'faults']) expect(tags).toContain(tag);
  });

  it('lists what it created, and each record carries the run id', async () => {
    expect(report.created.customers).toHaveLength(2);
    expect(report.created.contacts).toHaveLength(2);
    for (const id of report.created.customers) {
      const customer = await searchCustomer(sandbox.url, id);
      expect(customer.customerCode).toBe(`contract-${report.runId}`);
      expect(customer.name).toContain(report.runId);
    }
  });

  it('says how long reads after writes waited', () => {
    const waits = report.results.flatMap((r) => r.waits.map((w) => ({ id: r.id, ...w })));
    expect(waits.map((w) => w.id)).toEqual(expect.arrayContaining(['flow.search-after-add', 'flow.search-shows-update', 'flow.search-shows-contacts', 'flow.select-finds-in-range']));
    for (const wait of waits) expect(wait).toMatchObject({ settled: true, attempts: 1 });
  });
});

describe('what the user did not provide', () => {
  it('is skipped, saying what to provide: no expired key, no per-operation key', async () => {
    const probe = await probeSandbox(sandbox.url);
    const target = describeTarget({ baseUrl: sandbox.url, probe, keys: { default: 'sandbox-key' }, allowWrites: false, stateless: false });
    const report = await runContract({ suite: contractSuite, target, skip: ['faults'] });
    const skipped = Object.fromEntries(report.results.filter((r) => r.status === 'skipped' && !r.tags.includes('faults')).map((r) => [r.id, r.message]));
    expect(skipped).toEqual({
      'errors.key-expired': expect.stringContaining('pass --expired-key KEY (or KAPTURE_EXPIRED_KEY)'),
      'errors.key-not-granted': expect.stringContaining('pass --key-for searchCustomer=KEY'),
    });
    expect(report.counts.failed).toBe(0);
  });

  it('reads the customers the user names instead of finding some', async () => {
    const probe = await probeSandbox(sandbox.url);
    const target = describeTarget({ baseUrl: sandbox.url, probe, keys: {}, allowWrites: false, stateless: false });
    const report = await runContract({ suite: contractSuite, target, customerIds: ['272930', '287230'], skip: ['writes', 'sandbox-only'] });
    expect(report.ok).toBe(true);
    expect(report.results.find((r) => r.id === 'search.asked-customer')?.notes).toEqual(['customers 272930, 287230, named with --customer-id']);
  });

  it('fails, naming the customer, when a named customer does not exist', async () => {
    const probe = await probeSandbox(sandbox.url);
    const target = describeTarget({ baseUrl: sandbox.url, probe, keys: {}, allowWrites: false, stateless: false });
    const report = await runContract({ suite: contractSuite, target, customerIds: ['42'], skip: ['writes', 'sandbox-only'] });
    expect(report.results.find((r) => r.id === 'search.answer')?.message).toMatch(/^searchCustomer failed where it should succeed: HTTP 200 \{"Message":"Customer not found/);
  });
});

describe('a sandbox started with --no-header-faults', () => {
  it('skips the header fault checks saying the sandbox ignores the header; fault rules still pass', async () => {
    const strict = await startSandbox({ port: 0, inMemory: true, customers: 5, headerFaults: false });
    try {
      const target = describeTarget({ baseUrl: strict.url, probe: await probeSandbox(strict.url), keys: {}, allowWrites: false, stateless: false });
      const report = await runContract({ suite: contractSuite, target, skip: ['read-only', 'writes', 'sandbox.key-errors-every-operation', 'faults.connection-hang'] });
      expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
      const skipped = report.results.filter((r) => r.status === 'skipped' && r.tags.includes('faults') && !r.message?.startsWith('skipped by --skip'));
      expect(skipped.map((r) => r.id)).toEqual(['faults.header-errors', 'faults.latency', 'faults.connection-reset', 'faults.connection-close']);
      for (const result of skipped) expect(result.message).toContain('this sandbox ignores X-Sandbox-Fault (started with --no-header-faults');
      expect(report.results.find((r) => r.id === 'faults.rule-schedule')?.status).toBe('passed');
    } finally {
      await strict.close();
    }
  });
});
