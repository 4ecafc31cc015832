import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSuite } from '../contracts/index.js';
import { runContractCommand } from '../src/contract/command.js';
import { startSandbox, type Sandbox } from '../src/index.js';
import { DISGUISED, startProxy } from './helpers/broken-sandbox.js';
import { PLANTED, startTwin, type Twin } from './helpers/twins.js';

// Every check says where its expectation comes from, and the run says honestly what it could
// not judge: observed differences of an account checked without a profile, checks that found
// nothing to check, a sandbox that wants its admin token.

type Run = { code: number; stdout: string; stderr: string };

async function contract(args: string[]): Promise<Run> {
  const run: Run = { code: -1, stdout: '', stderr: '' };
  run.code = await runContractCommand(contractSuite, args, {}, { stdout: (t) => (run.stdout += t), stderr: (t) => (run.stderr += t) });
  return run;
}

describe('labels', () => {
  it('every check has one, and --help explains them and lists each check with its label', async () => {
    for (const check of contractSuite.checks) expect(['fact', 'profile', 'decision']).toContain(check.source);
    const help = await contract(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/\[fact\] {6}the vendor's documents/);
    expect(help.stdout).toMatch(/\[decision\] {2}what no public source settles/);
    expect(help.stdout).toContain('  [decision] search.array-body: ');
    expect(help.stdout).toContain('  [fact] dates.calendar-month: ');
    expect(help.stdout).toContain('--profile NAME|PATH');
  });
});

describe('a current-style account checked without --profile', () => {
  let twin: Twin;
  // Named: found by date, they would depend on today's date (they were created at a pinned one).
  let named: string[];
  beforeAll(async () => {
    twin = await startTwin('current');
    named = twin.customerIds.flatMap((id) => ['--customer-id', id]);
  });
  afterAll(() => twin.close());

  it('observes where it answers otherwise than the default profile, never failing: exit 0', async () => {
    const run = await contract(['--target', twin.url, '--key', PLANTED.key, ...named]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/profile {7}document, observed, never failed \(.* is not a sandbox and no --profile was given; pass --profile NAME\|PATH to fail on drift\)/);
    expect(run.stdout).toMatch(/seen {2}\[profile\] profile\.failures: .*\n {8}the account answers otherwise than the sandbox's default \(profile "document"\)/);
    expect(run.stdout).toMatch(/\d+ observed \(differ from the profile, not failed\)/);
  });

  it('with --profile current it passes; with --profile document the same differences fail as drift', async () => {
    expect((await contract(['--target', twin.url, '--key', PLANTED.key, ...named, '--profile', 'current'])).code).toBe(0);
    const drifted = await contract(['--target', twin.url, '--key', PLANTED.key, ...named, '--profile', 'document']);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/FAIL {2}\[profile\] profile\.failures: [^\n]*\n[^]*searchCustomer \$\.Message: expected the key "Message", seen the key "message" \(another casing\)/);
  });

  it('refuses a --profile it cannot read, before sending anything', async () => {
    const run = await contract(['--target', twin.url, '--key', PLANTED.key, ...named, '--profile', '/nonexistent/profile.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--profile: profile "\/nonexistent\/profile.json" is neither a built-in \(document, current\) nor a readable file/);
  });
});

describe('a check that found nothing to check', () => {
  it('says so and is not counted as passed', async () => {
    // No customer created in the last year: select answers an empty list.
    const sandbox = await startSandbox({ port: 0, inMemory: true, customers: 0, now: () => new Date('2035-01-01T00:00:00Z') });
    const proxy = await startProxy(sandbox.url, DISGUISED);
    try {
      const run = await contract(['--target', proxy.url, '--key', 'sandbox-key', '--skip', 'errors']);
      expect(run.stdout).toMatch(/none {2}\[profile\] select\.answer: [^\n]*\n {8}nothing to check: not counted as passed\n {8}no customer over the last 1 day/);
      expect(run.stdout).toMatch(/checks: \d+ passed, 0 failed, \d+ skipped(, \d+ observed \(differ from the profile, not failed\))?, \d+ with nothing to check/);
    } finally {
      await proxy.close();
      await sandbox.close();
    }
  });
});

describe('a sandbox only half reachable', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, inMemory: true, customers: 3, adminToken: 'admin-7f3a9c2e' });
  });
  afterAll(() => sandbox.close());

  it('with an admin token: says to pass --admin-token, not "not a sandbox"', async () => {
    const run = await contract(['--target', sandbox.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is a kapture-sandbox that requires its admin token \(GET \/__sandbox\/health answered 401\): pass --admin-token TOKEN/);
    const wrong = await contract(['--target', sandbox.url, '--admin-token', 'not-the-token']);
    expect(wrong.stderr).toMatch(/refused the admin token given/);
    expect(wrong.stderr).not.toContain('not-the-token');
  });

  it('with the token: runs as against any sandbox', async () => {
    const run = await contract(['--target', sandbox.url, '--admin-token', 'admin-7f3a9c2e', '--skip', 'faults']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/target {8}\S+ \(a kapture-sandbox\)/);
  });
});
