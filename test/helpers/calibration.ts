import { expect } from 'vitest';
import { contractSuite } from '../../contracts/index.js';
import { runCalibrateCommand } from '../../src/calibrate/command.js';
import { runContract, type ContractReport } from '../../src/contract/runner.js';
import { describeTarget, probeSandbox } from '../../src/contract/target.js';
import type { Profile } from '../../src/vendor/profile.js';
import { PLANTED, twinNow } from './twins.js';

/** Calibrating twins and checking them with the contract suite, at the twins' pinned instant. */
export type Run = { code: number; stdout: string; stderr: string };
export const io = (run: Run) => ({ stdout: (t: string) => void (run.stdout += t), stderr: (t: string) => void (run.stderr += t) });

export async function calibrate(url: string, file: string, writes = false): Promise<Run> {
  const run: Run = { code: -1, stdout: '', stderr: '' };
  run.code = await runCalibrateCommand(['--target', url, '--key', PLANTED.key, '--output', file, ...(writes ? ['--allow-writes'] : [])], {}, io(run), twinNow);
  return run;
}

export async function contractAgainst(url: string, profile: Profile | undefined, label = 'calibrated'): Promise<ContractReport> {
  const probe = await probeSandbox(url);
  const target = describeTarget({ baseUrl: url, probe, keys: probe.sandbox ? {} : { default: PLANTED.key }, allowWrites: false, stateless: false });
  return runContract({
    suite: contractSuite,
    target,
    now: twinNow,
    consistencyTimeoutMs: 300,
    skip: ['faults', 'sandbox-only'],
    ...(profile ? { expectation: { profile, label, mode: 'enforce' as const } } : {}),
  });
}

export function failed(report: ContractReport): Record<string, string> {
  return Object.fromEntries(report.results.filter((r) => r.status === 'failed').map((r) => [r.id, r.message ?? '']));
}

/** No key, no planted name, phone or email, in any casing. */
export function expectNothingSecret(text: string): void {
  const lower = text.toLowerCase();
  for (const value of [PLANTED.key, ...PLANTED.names, ...PLANTED.phones, ...PLANTED.emails, 'kozhikode', 'sandbox-key']) {
    expect(lower, value).not.toContain(value.toLowerCase());
  }
}

