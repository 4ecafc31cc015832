import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/coverage/catalogue.js';
import { runCoverageCommand } from '../src/coverage/command.js';
import type { CoverageReport, Sandbox } from '../src/index.js';
import { OPERATION_IDS } from '../src/operations/ids.js';
import { runCli } from './helpers/cli-process.js';
import { request } from './helpers/http.js';
import { PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await testSandbox();
});
afterAll(() => sandbox.close());

const TOTAL = Object.values(CATALOGUE).reduce((n, outcomes) => n + outcomes.length, 0);

const outcomesOf = (report: CoverageReport, operation: keyof CoverageReport['operations']) =>
  Object.fromEntries(report.operations[operation].outcomes.map(({ outcome, ...rest }) => [outcome, rest]));

/** A search in a tenant of its own, with extra headers; connection faults end without an answer. */
function searchWith(key: string, headers: Record<string, string>, body: unknown = { customer_id: '272930' }) {
  return vendor(sandbox, PATHS.search, body, { key, headers }).catch(() => undefined);
}

describe('GET /__sandbox/coverage', () => {
  it('counts each outcome per operation: sandbox-caused and injected errors apart, connection faults, latency', async () => {
    const { tenant, key } = await sandbox.tenants.create({ seedCustomers: 1 });
    const control = sandbox.forTenant(tenant);
    await sandbox.keys.add({ key: `expired-${tenant}`, tenant, expiresAt: '2016-01-01T00:00:00Z' });
    await vendor(sandbox, PATHS.search, { customer_id: '1' }, { key });
    await vendor(sandbox, PATHS.search, { customer_id: '1' }, { key: `expired-${tenant}` });
    await searchWith(key, { 'X-Sandbox-Fault': 'APIExpired' });
    await searchWith(key, { 'X-Sandbox-Fault': 'APIExpired, latency=1' });
    await searchWith(key, { 'X-Sandbox-Fault': 'connection=reset' });
    await searchWith(key, { 'X-Sandbox-Fault': 'connection=close' });
    // A hung answer: the client gives up; the journal (and coverage) has it at once.
    await fetch(`${sandbox.url}${PATHS.search}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${key}`, 'Content-Type': 'application/json', 'X-Sandbox-Fault': 'connection=hang' },
      body: '{"customer_id":"1"}',
      signal: AbortSignal.timeout(300),
    }).catch(() => undefined);
    await control.faults.add({ operation: 'addCustomer', error: 'ServerFailure', times: 1 });
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Asha', phone: '9876543210', email: 'a@example.in' }, { key });
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Asha', phone: '9876543210' }, { key });
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Asha', phone: '9876543210', email: 'a@example.in', colour: 'red' }, { key });

    const report = await control.coverage();
    expect(report).toMatchObject({ tenant, total: TOTAL });
    expect(outcomesOf(report, 'searchCustomer')).toEqual({
      CustomerNotFound: { count: 1, vendor: 1, injected: 0, catalogued: true },
      APIExpired: { count: 3, vendor: 1, injected: 2, catalogued: true },
      'connection=reset': { count: 1, catalogued: true },
      'connection=close': { count: 1, catalogued: true },
      'connection=hang': { count: 1, catalogued: true },
      latency: { count: 1, catalogued: true },
    });
    expect(outcomesOf(report, 'addCustomer')).toEqual({
      success: { count: 1, catalogued: true },
      ReqFieldMissing: { count: 1, vendor: 1, injected: 0, catalogued: true },
      ServerFailure: { count: 1, vendor: 0, injected: 1, catalogued: true },
    });
    expect(report.operations.addCustomer.warnings).toEqual({ 'unknown-field': 1 });
    expect(report.operations.searchCustomer.shapes).toEqual({ document: 7 });
    expect(report.covered).toBe(9);
    expect(report.percent).toBe(Math.round((9 / TOTAL) * 1000) / 10);
    expect(report.notSeen).toHaveLength(TOTAL - 9);
    expect(report.notSeen).toContainEqual({ operation: 'addContacts', outcome: 'success' });
    expect(report.operations.searchCustomer.notSeen).toEqual(['success', 'AuthKeyInvalid', 'ReqFieldMissing', 'ServerFailure']);
  });

  it('an outcome outside the catalogue is reported, not counted', async () => {
    const { tenant, key } = await sandbox.tenants.create();
    await vendor(sandbox, PATHS.addOrUpdate, { name: 'Asha', phone: '9876543210', email: 'a@example.in' }, { key, headers: { 'X-Sandbox-Fault': 'CustomerNotFound' } });
    const report = await sandbox.coverage(tenant);
    expect(outcomesOf(report, 'addCustomer')).toEqual({ CustomerNotFound: { count: 1, vendor: 0, injected: 1, catalogued: false } });
    expect(report.covered).toBe(0);
  });

  it('survives the journal ring wrapping; a reset clears it', async () => {
    const small = await testSandbox({ journalSize: 2 });
    try {
      const search = (headers: Record<string, string>) => vendor(small, PATHS.search, { customer_id: '272930' }, { headers }).catch(() => undefined);
      for (const fault of ['ServerFailure', 'APIExpired', 'AuthKeyInvalid', 'ReqFieldMissing', 'latency=1']) await search({ 'X-Sandbox-Fault': fault });
      expect(await small.journal.list()).toHaveLength(2);
      const report = await small.coverage();
      expect(report.operations.searchCustomer.outcomes.map((o) => o.outcome)).toEqual(['success', 'AuthKeyInvalid', 'APIExpired', 'ReqFieldMissing', 'ServerFailure', 'latency']);
      await small.reset();
      const after = await small.coverage();
      expect(after.covered).toBe(0);
      expect(Date.parse(after.since)).toBeGreaterThanOrEqual(Date.parse(report.since));
    } finally {
      await small.close();
    }
  });

  it('without a tenant, counts every request, keyless and unknown keys included', async () => {
    const fresh = await testSandbox();
    try {
      await vendor(fresh, PATHS.search, { customer_id: '272930' }, { key: 'no-such-key' });
      await vendor(fresh, PATHS.search, { customer_id: '272930' }, { key: null });
      expect(outcomesOf(await fresh.coverage(), 'searchCustomer')).toEqual({ AuthKeyInvalid: { count: 2, vendor: 2, injected: 0, catalogued: true } });
      expect((await fresh.coverage(396)).covered).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('refuses unknown parameters and a bad tenant with a 400', async () => {
    for (const query of ['?operation=addCustomer', '?tenant=abc', '?tenant=1&tenant=2']) {
      const answer = await request(sandbox.url, `/__sandbox/coverage${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.json.error, query).toMatch(/tenant/);
    }
  });

  it('the catalogue names every operation, and each outcome once', () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...OPERATION_IDS].sort());
    for (const outcomes of Object.values(CATALOGUE)) expect(new Set(outcomes).size).toBe(outcomes.length);
  });
});

describe('kapture-sandbox coverage', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (text: string) => void (out.stdout += text), stderr: (text: string) => void (out.stderr += text) } };
  };

  it('prints the table; exit 1 under --min, 0 when met', async () => {
    const { tenant, key } = await sandbox.tenants.create();
    await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { key });
    const percent = Math.round((1 / TOTAL) * 1000) / 10;
    const under = capture();
    expect(await runCoverageCommand(['--target', sandbox.url, '--tenant', String(tenant), '--min', '50'], under.io, {})).toBe(1);
    expect(under.out.stdout).toContain(`(tenant ${tenant}, since `);
    expect(under.out.stdout).toContain(`1 of ${TOTAL} outcomes seen (${percent}%)`);
    expect(under.out.stdout).toMatch(/searchCustomer\s+CustomerNotFound\s+1\s+1\s+0/);
    expect(under.out.stdout).toMatch(/addContacts\s+success\s+not seen/);
    expect(under.out.stdout).toContain(`FAILED: coverage ${percent}% is under --min 50%`);
    const met = capture();
    expect(await runCoverageCommand(['--target', sandbox.url, '--tenant', String(tenant), '--min', '1'], met.io, {})).toBe(0);
    expect(met.out.stdout).toContain(`coverage ${percent}% meets --min 1%`);
  });

  it('--reporter junit: one testcase per pair; not seen ones skipped, failing only when --min is not met', async () => {
    const { tenant, key } = await sandbox.tenants.create();
    await vendor(sandbox, PATHS.search, { customer_id: '272930' }, { key });
    const dir = mkdtempSync(join(tmpdir(), 'coverage-junit-'));
    try {
      const file = join(dir, 'reports', 'coverage.xml');
      const passing = capture();
      expect(await runCoverageCommand(['--target', sandbox.url, '--tenant', String(tenant), '--reporter', 'junit', '--output', file], passing.io, {})).toBe(0);
      const xml = readFileSync(file, 'utf8');
      expect(xml.match(/<testcase /g)).toHaveLength(TOTAL);
      expect(xml).toContain(`tests="${TOTAL}" failures="0" errors="0" skipped="${TOTAL - 1}"`);
      expect(xml).toMatch(/name="searchCustomer CustomerNotFound" time="0">\n\s*<system-out>seen 1 times \(1 by the sandbox, 0 injected\)/);
      expect(passing.out.stdout).toContain('Kapture coverage of');

      expect(await runCoverageCommand(['--target', sandbox.url, '--tenant', String(tenant), '--reporter', 'junit', '--output', file, '--min', '90'], capture().io, {})).toBe(1);
      const failing = readFileSync(file, 'utf8');
      expect(failing).toContain(`failures="${TOTAL - 1}" errors="0" skipped="0"`);
      expect(failing).toContain('<failure message="addContacts never met success, and coverage');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a usage mistake exits 2; an unreachable target exits 1, saying so', async () => {
    for (const args of [['--min', '120'], ['--tenant', 'x'], ['--reporter', 'tap'], ['--colour']]) {
      const run = capture();
      expect(await runCoverageCommand(args, run.io, {}), args.join(' ')).toBe(2);
      expect(run.out.stderr).toMatch(/^kapture-sandbox coverage: /);
    }
    const unreachable = capture();
    expect(await runCoverageCommand(['--target', 'http://127.0.0.1:9'], unreachable.io, {})).toBe(1);
    expect(unreachable.out.stderr).toContain('cannot read the coverage of http://127.0.0.1:9');
  });

  it('sends the admin token of a locked sandbox, from --admin-token or KAPTURE_SANDBOX_ADMIN_TOKEN', async () => {
    const locked = await testSandbox({ adminToken: 'secret-token' });
    try {
      const refused = capture();
      expect(await runCoverageCommand(['--target', locked.url], refused.io, {})).toBe(1);
      expect(refused.out.stderr).toContain('HTTP 401');
      expect(await runCoverageCommand(['--target', locked.url], capture().io, { KAPTURE_SANDBOX_ADMIN_TOKEN: 'secret-token' })).toBe(0);
      const flagged = capture();
      expect(await runCoverageCommand(['--target', locked.url, '--admin-token', 'secret-token'], flagged.io, {})).toBe(0);
      expect(flagged.out.stdout + flagged.out.stderr).not.toContain('secret-token');
    } finally {
      await locked.close();
    }
  });

  it('is a subcommand of the CLI', async () => {
    const run = await runCli(['coverage', '--target', sandbox.url, '--min', '0']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Kapture coverage of http:\/\/127\.0\.0\.1:\d+ \(every tenant, since /);
  });
});
