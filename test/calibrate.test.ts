import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSuite } from '../contracts/index.js';
import { runCalibrateCommand } from '../src/calibrate/command.js';
import { runContractCommand } from '../src/contract/command.js';
import { startSandbox } from '../src/index.js';
import { resolveProfile, validateProfile, type Profile } from '../src/vendor/profile.js';
import type { Mutation } from './helpers/broken-sandbox.js';
import { calibrate, contractAgainst, expectNothingSecret, failed, io, type Run } from './helpers/calibration.js';
import { exited, runCli, serveCli } from './helpers/cli-process.js';
import { post, VENDOR } from './helpers/http.js';
import { ANSWERS_OTHERWISE, PLANTED, startTwin, twinNow, type Twin } from './helpers/twins.js';

// Calibration against test-only twins of real accounts (a sandbox of one generation behind a
// proxy that hides it is one): the profile it writes must hold no key and no customer value, a
// sandbox serving it must answer as the twin did, and the contract suite with that profile must
// pass against the twin (drifted twins: calibrate-drift.test.ts).

const dir = mkdtempSync(join(tmpdir(), 'calibrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['document', 'current'] as const)('calibrating a %s-style twin (read-only)', (generation) => {
  let twin: Twin;
  let file: string;
  let profile: Profile;
  beforeAll(async () => {
    twin = await startTwin(generation);
    file = join(dir, `${generation}.json`);
    const run = await calibrate(twin.url, file);
    expect(run.code, run.stderr).toBe(0);
    profile = validateProfile(JSON.parse(readFileSync(file, 'utf8')), file);
  });
  afterAll(() => twin.close());

  it('writes a valid profile with evidence per aspect and the unobserved aspects, and no key or customer value', () => {
    const text = readFileSync(file, 'utf8');
    expectNothingSecret(text);
    expect(Object.keys(profile.evidence ?? {})).toEqual(expect.arrayContaining(['document.answers.searchCustomer', 'document.answers.selectCustomers', 'current.answers.searchCustomer']));
    const search = (profile.evidence!['document.answers.searchCustomer'] as { example: { message: Array<Record<string, unknown>> } }).example;
    expect(search.message[0]).toMatchObject({ id: '<number>', name: '<string>' });
    // Read-only: the writes are not observed, and say so.
    expect(profile.unobserved).toEqual(expect.arrayContaining(['document.answers.addCustomer', 'document.answers.updateCustomer', 'document.answers.addContacts']));
    expect(profile.unobserved).not.toContain('document.answers.searchCustomer');
  });

  it('learns what the twin answers', () => {
    const built = resolveProfile(generation);
    expect(profile.shapes.document.answers.searchCustomer).toEqual(built.shapes.document.answers.searchCustomer);
    expect(profile.shapes.document.failure).toEqual(built.shapes.document.failure);
    expect(profile.shapes.document.unsetFields).toBe(built.shapes.document.unsetFields);
    expect(profile.shapes.current.answers.searchCustomer).toEqual({ 'Customer Details': '$customer', status: 'success' });
    expect(profile.shapes.document.errors.AuthKeyInvalid.byOperation?.searchCustomer ?? profile.shapes.document.errors.AuthKeyInvalid.message).toBe(
      built.shapes.document.errors.AuthKeyInvalid.byOperation?.searchCustomer ?? built.shapes.document.errors.AuthKeyInvalid.message,
    );
  });

  it('passes the read-only contract run against the twin with its profile, and without one', async () => {
    expect(failed(await contractAgainst(twin.url, profile))).toEqual({});
    const observing = await contractAgainst(twin.url, undefined);
    expect(failed(observing)).toEqual({});
    expect(observing.expectation.mode).toBe('observe');
  });

  it('serves the profile (startSandbox({ profile: file })), and the contract suite passes against that sandbox', async () => {
    const served = await startSandbox({ port: 0, inMemory: true, customers: 5, now: twinNow, profile: file });
    try {
      expect(failed(await contractAgainst(served.url, profile))).toEqual({});
      const run: Run = { code: -1, stdout: '', stderr: '' };
      run.code = await runContractCommand(contractSuite, ['--target', served.url, '--skip', 'faults'], {}, io(run));
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toMatch(/the sandbox answers by its own profile "calibrated": pass --profile FILE/);
    } finally {
      await served.close();
    }
  });
});

describe('a twin that answers a multi-item search with the first item only (a decision, not a fact)', () => {
  it('does not fail the read-only run; the report says what it saw', async () => {
    const twin = await startTwin('document', ANSWERS_OTHERWISE.firstItemOnly);
    try {
      const report = await contractAgainst(twin.url, undefined);
      expect(failed(report)).toEqual({});
      const check = report.results.find((r) => r.id === 'search.array-body')!;
      expect(check.source).toBe('decision');
      expect(check.status).toBe('observed');
      expect(check.message).toMatch(/the account answers otherwise than the sandbox's default .*answers every item/);
      // Calibrated, the profile says so, and the same twin then passes with it.
      const file = join(dir, 'first-item.json');
      expect((await calibrate(twin.url, file)).code).toBe(0);
      const profile = resolveProfile(file);
      expect(profile.shapes.document.batch).toBe('first');
      expect(failed(await contractAgainst(twin.url, profile))).toEqual({});
    } finally {
      await twin.close();
    }
  });
});

describe('calibrating a current-style twin with --allow-writes, then serving it', () => {
  it("lets the login client decode the lowercase add answer with \"Kapture Customer Id\", the same id on every login", async () => {
    const twin = await startTwin('current');
    const file = join(dir, 'current-writes.json');
    try {
      const run = await calibrate(twin.url, file, true);
      expect(run.code, run.stderr).toBe(0);
      expectNothingSecret(readFileSync(file, 'utf8'));
      const profile = resolveProfile(file);
      expect(profile.shapes.document.answers.addCustomer).toEqual({ message: 'Customer Added Successfully', 'Kapture Customer Id': '$customerIds', status: 'success' });
      expect(profile.unobserved).not.toContain('document.answers.addCustomer');
    } finally {
      await twin.close();
    }
    const served = await startSandbox({ port: 0, inMemory: true, customers: 3, now: twinNow, profile: file });
    try {
      const person = 'b5e0c7a4-2f1d-4c8e-9a37-6d2f0e1b9c55';
      const login = [{ customer_id: person, name: 'Asha Login', phone: '9876512345', email: '', customer_code: person }];
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const answer = await post(served.url, VENDOR.add, login, { headers: { 'x-api-key': 'sandbox-key', 'x-api-type': 'TICKET' } });
        // The client's decoder: an object with the string keys message, status and "Kapture Customer Id".
        const body = answer.json as Record<string, unknown>;
        for (const key of ['message', 'status', 'Kapture Customer Id']) expect(typeof body[key], `${key} in ${answer.text}`).toBe('string');
        ids.push(body['Kapture Customer Id'] as string);
      }
      expect(ids[1]).toBe(ids[0]);
    } finally {
      await served.close();
    }
  });
});

describe('an account that echoes what it was sent and holds', () => {
  const ECHOES: Mutation = {
    answer: (request, answer) => {
      const body = answer.body as Record<string, unknown> | null;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return answer;
      if (body.Status === 'Fail') return { ...answer, body: { ...body, Message: `Invalid Auth Key: ${request.headers.authorization ?? 'none'}` } };
      if (request.path === VENDOR.search && Array.isArray(body.message)) {
        const first = (body.message as Array<{ name?: string }>)[0];
        return { ...answer, body: { ...body, status: `success for ${first?.name ?? 'nobody'}` } };
      }
      return answer;
    },
  };

  it('writes no key and no customer value, keeping the default where a word held one', async () => {
    const twin = await startTwin('document', ECHOES);
    const file = join(dir, 'echoes.json');
    try {
      const run = await calibrate(twin.url, file);
      expect(run.code, run.stderr).toBe(0);
      const text = readFileSync(file, 'utf8');
      expectNothingSecret(text);
      const profile = validateProfile(JSON.parse(text), file);
      expect(profile.shapes.document.answers.searchCustomer.status).toBe('success');
      expect(run.stdout + run.stderr).not.toContain(PLANTED.key);
    } finally {
      await twin.close();
    }
  });

  it('refuses bad input with a clear message that quotes no key', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--output', join(dir, 'x.json'), '--key', PLANTED.key], /--target URL is required/],
      [['--target', 'ftp://x', '--output', join(dir, 'x.json'), '--key', PLANTED.key], /--target must be an http:\/\/ or https:\/\/ URL/],
      [['--target', 'http://127.0.0.1:1', '--key', PLANTED.key], /--output FILE is required/],
      [['--target', 'http://127.0.0.1:1', '--output', join(dir, 'x.json')], /no key: pass --key KEY or set KAPTURE_AUTH_KEY/],
      [['--target', 'http://127.0.0.1:1', '--output', join(dir, 'x.json'), '--key', PLANTED.key, '--name', 'a b'], /--name must be 1 to 64 letters/],
      [['--target', 'http://127.0.0.1:1', '--output', join(dir, 'x.json'), '--key', PLANTED.key, '--name', 'current'], /--name "current" is a built-in profile's name/],
      [['--target', 'http://127.0.0.1:1', '--output', join(dir, 'x.json'), '--key', PLANTED.key, '--customer-id', 'abc'], /--customer-id must be a customer id \(digits\), got "abc"/],
      [['--bogus', '--key', PLANTED.key], /Unknown option '--bogus'/],
    ];
    for (const [args, says] of cases) {
      const run: Run = { code: -1, stdout: '', stderr: '' };
      run.code = await runCalibrateCommand(args, {}, io(run));
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(says);
      expect(run.stderr).not.toContain(PLANTED.key);
    }
  });
});

describe('the command line: calibrate, then serve --profile', () => {
  it('calibrates through bin/kapture-sandbox.js, serves the file, and a client gets the account\'s answers', async () => {
    const twin = await startTwin('current');
    const file = join(dir, 'cli.json');
    let served: Awaited<ReturnType<typeof serveCli>> | undefined;
    try {
      // Today's clock: the planted customers are named, not found by date.
      const named = twin.customerIds.flatMap((id) => ['--customer-id', id]);
      const run = await runCli(['calibrate', '--target', twin.url, '--key', PLANTED.key, ...named, '--output', file, '--name', 'acme-prod'], 30_000);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/wrote {4}.*cli\.json/);
      expect(run.stdout + run.stderr).not.toContain(PLANTED.key);
      served = await serveCli(['--in-memory', '--profile', file]);
      expect(served.output()).toContain('answers: profile acme-prod');
      const miss = await post(served.url, VENDOR.search, [{ kapture_customer_id: '', customer_id: '', email_id: '', phone: '9000000001' }]);
      expect(miss.json).toEqual({ 'Customer Details': 'Information given by you does not exist in our sytsem.', status: 'failed' });
      const refused = await post(served.url, VENDOR.search, { customer_id: '272930' }, { key: 'no-such-key' });
      expect(refused.json).toEqual({ message: 'Invalid Auth Key', status: 'failed' });
      const profile = resolveProfile(file);
      expect(profile.unobserved).not.toContain('document.answers.searchCustomer');
      expect(profile.unobserved).not.toContain('current.answers.searchCustomer');
    } finally {
      if (served) {
        served.child.kill('SIGTERM');
        await exited(served.child);
      }
      await twin.close();
    }
  }, 60_000);
});

describe.each(['document', 'current'] as const)('a %s-style twin calibrated with --allow-writes', (generation) => {
  it('passes the whole run with writes against the twin, checked with its profile', async () => {
    const twin = await startTwin(generation);
    const file = join(dir, `writes-${generation}.json`);
    try {
      expect((await calibrate(twin.url, file, true)).code).toBe(0);
      expectNothingSecret(readFileSync(file, 'utf8'));
      const run: Run = { code: -1, stdout: '', stderr: '' };
      const named = twin.customerIds.flatMap((id) => ['--customer-id', id]);
      run.code = await runContractCommand(contractSuite, ['--target', twin.url, '--key', PLANTED.key, '--allow-writes', ...named, '--profile', file, '--wait', '1'], {}, io(run));
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toMatch(/pass {2}\[profile\] add\.object-body/);
      expect(run.stdout).toMatch(/pass {2}\[fact\] flow\.search-shows-update/);
    } finally {
      await twin.close();
    }
  });
});
