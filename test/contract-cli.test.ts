import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSuite } from '../contracts/index.js';
import { runContractCommand } from '../src/contract/command.js';
import { REDACTED } from '../src/contract/redact.js';
import { startSandbox, type Sandbox } from '../src/index.js';
import { DISGUISED, ECHOES_KEY, startProxy, type Proxy } from './helpers/broken-sandbox.js';
import { runCli } from './helpers/cli-process.js';
import { post, request, searchCustomer, VENDOR } from './helpers/http.js';

// `kapture-sandbox contract`: against a sandbox disguised as a real account (no control surface,
// no X-Sandbox-* headers) it is read-only unless --allow-writes; keys never show in any output.
// The account's keys are made up for it, so that finding one in the output can only be a leak
// (the default `expired-key` is also part of the option `--expired-key`).

const ACCOUNT_KEYS = { all: 'acct-7f3a9c2e-all', expired: 'acct-7f3a9c2e-expired', search: 'acct-7f3a9c2e-search' };
const KEYS = [...Object.values(ACCOUNT_KEYS), 'sandbox-key', 'search-only-key'];
const ENV = { KAPTURE_AUTH_KEY: ACCOUNT_KEYS.all, KAPTURE_EXPIRED_KEY: ACCOUNT_KEYS.expired };

let sandbox: Sandbox;
let account: Proxy;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true, customers: 5 });
  for (const key of [
    { key: ACCOUNT_KEYS.all, tenant: 396 },
    { key: ACCOUNT_KEYS.expired, tenant: 396, expiresAt: '2020-01-01T00:00:00Z' },
    { key: ACCOUNT_KEYS.search, tenant: 396, operations: ['searchCustomer'] },
  ]) {
    const made = await request(sandbox.url, '/__sandbox/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(key) });
    expect(made.status).toBe(201);
  }
  // A customer created today, for the read-only checks to find in a recent window.
  await post(sandbox.url, VENDOR.add, { name: 'Recent Customer', email: 'recent@example.in', phone: '9876500000' });
  account = await startProxy(sandbox.url, DISGUISED);
  dir = mkdtempSync(join(tmpdir(), 'contract-cli-'));
});
afterAll(async () => {
  await account.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };

async function contract(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const run = { code: 0, stdout: '', stderr: '' };
  run.code = await runContractCommand(contractSuite, args, env, { stdout: (t) => (run.stdout += t), stderr: (t) => (run.stderr += t) });
  return run;
}

function expectNoKey(...texts: string[]): void {
  for (const text of texts) for (const key of KEYS) expect(text).not.toContain(key);
}

const WRITE_PATHS: string[] = [VENDOR.add, VENDOR.contacts];

describe('kapture-sandbox contract against an account that is not a sandbox', () => {
  it('is read-only by default: nothing reaches add, update or contacts; the write checks say to pass --allow-writes', async () => {
    account.seen.length = 0;
    const run = await contract(['--target', account.url], ENV);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(account.seen.length).toBeGreaterThan(10);
    expect(account.seen.filter((request) => WRITE_PATHS.includes(request.path))).toEqual([]);
    expect(run.stdout).toContain('(not a sandbox, read-only unless --allow-writes)');
    expect(run.stdout).toMatch(/skip {2}\[profile\] add\.object-body: .*\n {8}creates data: pass --allow-writes/);
    expect(run.stdout).toMatch(/skip {2}\[fact\] errors\.key-not-granted: .*\n {8}needs two API keys .*pass --key-for searchCustomer=KEY/);
    expect(run.stdout).toMatch(/pass {2}\[fact\] errors\.key-expired/);
    expect(run.stdout).toContain('created by this run: nothing');
    expectNoKey(run.stdout, run.stderr);
  });

  it('with --allow-writes, runs the flows, lists what it created (tagged with the run id) and writes JUnit; no key anywhere', async () => {
    const junit = join(dir, 'reports', 'contract.xml');
    const run = await contract(
      ['--target', account.url, '--allow-writes', '--key-for', `searchCustomer=${ACCOUNT_KEYS.search}`, '--reporter', 'junit', '--output', junit],
      ENV,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const runId = /run id {8}(\S+)/.exec(run.stdout)![1]!;
    const created = /customers (\d+), (\d+)/.exec(run.stdout)!.slice(1);
    for (const id of created) {
      const customer = await searchCustomer(sandbox.url, id);
      expect(customer.customerCode).toBe(`contract-${runId}`);
    }
    expect(run.stdout).toMatch(/pass {2}\[fact\] flow\.search-shows-update/);
    expect(run.stdout).toMatch(/pass {2}\[fact\] errors\.key-not-granted/);
    expect(run.stdout).toMatch(/waited for reads to show writes \(eventual consistency\):\n {2}flow\.search-after-add: search to show the added customer: \d+ ms, 1 attempt/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="kapture-sandbox contract" tests="\d+" failures="0"/);
    expect(xml).toContain(`<property name="created.customers" value="${created.join(',')}"/>`);
    expect(xml).toContain('<skipped message="needs the sandbox&apos;s control surface');
    expectNoKey(run.stdout, run.stderr, xml);
  });

  it('redacts a key the target echoes back in an answer', async () => {
    const echo = await startProxy(sandbox.url, ECHOES_KEY);
    try {
      const junit = join(dir, 'echo.xml');
      const run = await contract(['--target', echo.url, '--key', ACCOUNT_KEYS.all, '--reporter', 'junit', '--output', junit]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`Invalid Auth Key: Basic ${REDACTED}`);
      expectNoKey(run.stdout, run.stderr, readFileSync(junit, 'utf8'));
    } finally {
      await echo.close();
    }
  });

  it('exits 2 without a key, and 1 when the target cannot be reached', async () => {
    const none = await contract(['--target', account.url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no key for');
    expect(none.stderr).toContain('pass --key KEY or set KAPTURE_AUTH_KEY');
    const closed = await startProxy(sandbox.url, {});
    await closed.close();
    const unreachable = await contract(['--target', closed.url, '--key', ACCOUNT_KEYS.all]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it.each([
    [['--key-for', `frobnicate=${ACCOUNT_KEYS.all}`], '--key-for takes OPERATION=KEY with OPERATION one of addCustomer'],
    [['--key-for=searchCustomer'], '--key-for takes OPERATION=KEY'],
    [['--reporter', 'xml'], '--reporter must be text or junit, got "xml"'],
    [['--target', 'localhost:4010'], '--target must be an http:// or https:// URL'],
    [['--wait', 'soon'], '--wait must be a number of seconds'],
    [['--customer-id', 'abc'], '--customer-id must be a customer id'],
    [['--bogus', '--key', ACCOUNT_KEYS.all], "Unknown option '--bogus'"],
    [['--key'], "Option '--key <value>' argument missing"],
  ])('%j exits 2 with a clear message that quotes no key', async (args, message) => {
    const run = await contract(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('kapture-sandbox contract --help');
    expectNoKey(run.stderr);
  });
});

describe('kapture-sandbox contract, the command', () => {
  it('without --target starts its own sandbox, runs everything (faults included) and exits 0; --reporter junit writes the file', async () => {
    const junit = join(dir, 'own.xml');
    const run = await runCli(['contract', '--reporter', 'junit', '--output', junit], 30_000);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/no --target: started a throwaway in-memory sandbox at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toMatch(/pass {2}\[fact\] faults\.rule-schedule/);
    expect(run.stdout).toMatch(/\d+ checks: \d+ passed, 0 failed, 0 skipped/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites name="kapture-sandbox contract" tests="\d+" failures="0" errors="0" skipped="0"/);
    expectNoKey(run.stdout, run.stderr);
  });

  it('--help lists every option', async () => {
    const run = await contract(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--target', '--key', '--key-for', '--expired-key', '--allow-writes', '--stateless', '--customer-id', '--reporter', '--output', '--wait', '--timeout', '--skip']) {
      expect(run.stdout).toContain(flag);
    }
  });
});
