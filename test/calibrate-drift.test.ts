import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSuite } from '../contracts/index.js';
import { runContractCommand } from '../src/contract/command.js';
import { resolveProfile, type Profile } from '../src/vendor/profile.js';
import { calibrate, contractAgainst, failed, io, type Run } from './helpers/calibration.js';
import { DRIFTS, PLANTED, startTwin } from './helpers/twins.js';

// A twin calibrated, then changed: the contract suite with the profile must fail, naming the
// aspect (operation and JSON path), in the text report, JUnit and JSON.

const dir = mkdtempSync(join(tmpdir(), 'calibrate-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drift: a twin that changed since it was calibrated', () => {
  let profile: Profile;
  let file: string;
  beforeAll(async () => {
    const twin = await startTwin('document');
    file = join(dir, 'before-drift.json');
    try {
      expect((await calibrate(twin.url, file)).code).toBe(0);
      profile = resolveProfile(file);
    } finally {
      await twin.close();
    }
  });

  const CASES = {
    'a renamed key': { drift: DRIFTS.renamedKey, check: 'search.answer', operation: 'searchCustomer', path: '$.message', says: /expected the key "message", seen absent; the answer has "customers"/ },
    "a renamed key in today's pull": { drift: DRIFTS.renamedPullKey, check: 'profile.current-pull', operation: 'selectCustomers', path: '$["Customer Details"]', says: /expected the key "Customer Details", seen absent; the answer has "Customers"/ },
    'another status word': { drift: DRIFTS.statusWord, check: 'search.answer', operation: 'searchCustomer', path: '$.status', says: /\$\.status: expected "success", seen "ok"/ },
    'a changed failure word': { drift: DRIFTS.failureWord, check: 'profile.failures', operation: 'searchCustomer', path: '$.Status', says: /\$\.Status: expected "Fail", seen "Failed"/ },
  };

  it.each(Object.entries(CASES))('fails on %s, naming the operation and JSON path', async (_name, drifted) => {
    const twin = await startTwin('document', drifted.drift);
    try {
      const report = await contractAgainst(twin.url, profile);
      expect(report.ok).toBe(false);
      const result = report.results.find((r) => r.id === drifted.check)!;
      expect(result.status, JSON.stringify(failed(report), null, 2)).toBe('failed');
      expect(result.message).toMatch(drifted.says);
      expect(result.drift).toEqual(expect.arrayContaining([expect.objectContaining({ operation: drifted.operation, path: drifted.path })]));
    } finally {
      await twin.close();
    }
  });

  it('fails on another date format as a fact, naming the field', async () => {
    const twin = await startTwin('document', DRIFTS.dateFormat);
    try {
      const report = await contractAgainst(twin.url, profile);
      expect(failed(report)['dates.gson']).toMatch(/generationDate is "2026-06-15T06:30:00Z", not Java Gson's default date format/);
    } finally {
      await twin.close();
    }
  });

  it('exits 1 from the command, with drift in the text report, JUnit (one testcase per aspect) and --report-json', async () => {
    const twin = await startTwin('document', DRIFTS.statusWord);
    try {
      const run: Run = { code: -1, stdout: '', stderr: '' };
      const junit = join(dir, 'drift.xml');
      const json = join(dir, 'drift.json');
      const named = twin.customerIds.flatMap((id) => ['--customer-id', id]);
      run.code = await runContractCommand(contractSuite, ['--target', twin.url, '--key', PLANTED.key, ...named, '--profile', file, '--reporter', 'junit', '--output', junit, '--report-json', json], {}, io(run));
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/FAIL {2}\[profile\] search\.answer: [^\n]*\n[^]*searchCustomer \$\.status: expected "success", seen "ok"/);
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toMatch(/<testcase classname="contract\.read-only\.drift" name="search\.answer \[profile\] drift: searchCustomer \$\.status"/);
      const report = JSON.parse(readFileSync(json, 'utf8')) as { drift: Array<{ check: string; operation: string; path: string; expected: string; seen: string }> };
      expect(report.drift).toEqual(expect.arrayContaining([{ check: 'search.answer', status: 'failed', operation: 'searchCustomer', path: '$.status', expected: '"success"', seen: '"ok"' }]));
      for (const text of [run.stdout, xml, readFileSync(json, 'utf8')]) expect(text).not.toContain(PLANTED.key);
    } finally {
      await twin.close();
    }
  });
});

