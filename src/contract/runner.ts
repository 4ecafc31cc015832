import { randomBytes } from 'node:crypto';
import { GROUP_CAPABILITY, type Check, type CheckGroup, type ContractSuite } from './check.js';
import type { CheckSource } from './labels.js';
import { CheckContext, type RunEnvironment, type Wait } from './context.js';
import { defaultExpectation, type Expectation } from './expectation.js';
import { ContractFailure, NothingToCheck, ProfileDifference, SkipCheck, type Drift } from './outcome.js';
import { redactor } from './redact.js';
import { allKeys, type Capability, type Target, type TargetKind } from './target.js';
import { NoAnswer } from './vendor-client.js';

/**
 * - `observed`: a profile or decision check found the account answering otherwise than the
 *   expected profile, in a run that observes (no --profile against an account): reported, not failed.
 * - `empty`: the check ran but found nothing to check (no customer in the range, say): not a pass.
 */
export const CHECK_STATUSES = ['passed', 'failed', 'skipped', 'observed', 'empty'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type CheckResult = {
  id: string;
  title: string;
  group: CheckGroup;
  source: CheckSource;
  tags: string[];
  status: CheckStatus;
  /** Why it failed, or why it was skipped and what to provide for it to run. */
  message?: string;
  /** What differed from the profile, per operation and JSON path (failed as drift, or observed). */
  drift?: Drift[];
  durationMs: number;
  waits: Wait[];
  notes: string[];
};

export type ContractReport = {
  target: { baseUrl: string; kind: TargetKind; capabilities: Capability[] };
  runId: string;
  /** The profile profile and decision checks were compared with, and whether differences failed. */
  expectation: { profile: string; mode: Expectation['mode']; why?: string };
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  /** Ids of what the run created on the target, as it answered them. */
  created: { customers: string[]; contacts: string[] };
  counts: Record<CheckStatus, number>;
  /** No check failed (skipped checks do not fail a run: the report says what they need). */
  ok: boolean;
};

export type RunOptions<S> = {
  suite: ContractSuite<S>;
  target: Target;
  /** Default: a fresh `newRunId()`. */
  runId?: string;
  now?: () => Date;
  /** Per request. Default 30 s. */
  requestTimeoutMs?: number;
  /** How long reads after a write retry before failing. Default 10 s. */
  consistencyTimeoutMs?: number;
  /** Customers to read instead of finding some (--customer-id). */
  customerIds?: string[];
  /** Check ids, groups or tags not to run. */
  skip?: string[];
  /** What profile and decision checks compare with; default: defaultExpectation(target). */
  expectation?: Expectation;
  /** For a sandbox that requires one (X-Sandbox-Admin-Token). */
  adminToken?: string | undefined;
  /** Called as each check ends, for reporters that stream. */
  onResult?: (result: CheckResult) => void;
};

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_CONSISTENCY_TIMEOUT_MS = 10_000;

/** What each missing capability means for the user, said where a check is skipped for it. */
const MISSING: Record<Capability, (target: Target) => string> = {
  writes: (target) => `creates data: pass --allow-writes to run it against ${target.baseUrl}, which is not a sandbox (every record is tagged with the run id)`,
  control: () => "needs the sandbox's control surface (/__sandbox): runs against a kapture-sandbox only",
  faults: () => "needs the sandbox's fault injection (GET /__sandbox/faults did not list rules): runs against a kapture-sandbox that has it",
  stateful: () => 'needs a target that keeps state and answers what was asked; this one is a stateless mock',
  'vendor-errors': () => "needs a target that refuses bad keys and fields with Kapture's failures; this one is a mock that answers its own 401/422",
};

/**
 * Runs a suite's checks, in order, one at a time, against one target. Never throws for what a
 * check does: every outcome is a result.
 */
export async function runContract<S>(options: RunOptions<S>): Promise<ContractReport> {
  const started = new Date();
  const startedMs = performance.now();
  const environment: RunEnvironment = {
    target: options.target,
    runId: options.runId ?? newRunId(started),
    now: options.now ?? (() => new Date()),
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    consistencyTimeoutMs: options.consistencyTimeoutMs ?? DEFAULT_CONSISTENCY_TIMEOUT_MS,
    customerIds: options.customerIds ?? [],
    adminToken: options.adminToken,
    expectation: options.expectation ?? defaultExpectation(options.target),
    created: { customers: new Set(), contacts: new Set() },
  };
  const state = options.suite.newState();
  // A target may echo a key in an answer that a failure message quotes: results never hold one.
  const redact = redactor([...allKeys(options.target.keys), ...(options.adminToken ? [options.adminToken] : [])]);
  const results: CheckResult[] = [];
  for (const check of options.suite.checks) {
    const result = redactResult(await runCheck(check, state, environment, options.skip ?? []), redact);
    results.push(result);
    options.onResult?.(result);
  }
  const counts = { passed: 0, failed: 0, skipped: 0, observed: 0, empty: 0 };
  for (const result of results) counts[result.status]++;
  return {
    target: { baseUrl: options.target.baseUrl, kind: options.target.kind, capabilities: [...options.target.capabilities].sort() },
    runId: environment.runId,
    expectation: {
      profile: environment.expectation.label,
      mode: environment.expectation.mode,
      ...(environment.expectation.why ? { why: environment.expectation.why } : {}),
    },
    startedAt: started.toISOString(),
    durationMs: performance.now() - startedMs,
    results,
    created: { customers: [...environment.created.customers], contacts: [...environment.created.contacts] },
    counts,
    ok: counts.failed === 0,
  };
}

async function runCheck<S>(check: Check<S>, state: S, environment: RunEnvironment, skipped: string[]): Promise<CheckResult> {
  const base = { id: check.id, title: check.title, group: check.group, source: check.source, tags: check.tags };
  const excluded = skipped.find((name) => name === check.id || name === check.group || check.tags.includes(name));
  if (excluded !== undefined) {
    return { ...base, status: 'skipped', message: `skipped by --skip ${excluded}`, durationMs: 0, waits: [], notes: [] };
  }
  const groupCapability = GROUP_CAPABILITY[check.group];
  const needed = [...(groupCapability ? [groupCapability] : []), ...check.requires];
  const missing = needed.find((capability) => !environment.target.capabilities.has(capability));
  if (missing !== undefined) {
    return { ...base, status: 'skipped', message: MISSING[missing](environment.target), durationMs: 0, waits: [], notes: [] };
  }
  const context = new CheckContext(environment, check.source);
  const started = performance.now();
  let outcome: Outcome;
  try {
    await check.run(context, state);
    outcome = { status: 'passed' };
  } catch (error) {
    outcome = classify(error, check.source, environment.expectation);
  }
  return { ...base, ...outcome, durationMs: performance.now() - started, waits: context.waits, notes: context.notes };
}

function redactResult(result: CheckResult, redact: (text: string) => string): CheckResult {
  return {
    ...result,
    ...(result.message === undefined ? {} : { message: redact(result.message) }),
    notes: result.notes.map(redact),
    ...(result.drift ? { drift: result.drift.map((d) => ({ ...d, expected: redact(d.expected), seen: redact(d.seen) })) } : {}),
  };
}

type Outcome = { status: CheckStatus; message?: string; drift?: Drift[] };

/**
 * A profile or decision check that does not hold, in a run that observes, is what the account
 * does: reported next to what the sandbox's default does, never failed.
 */
function classify(error: unknown, source: CheckSource, expectation: Expectation): Outcome {
  if (error instanceof SkipCheck) return { status: 'skipped', message: error.message };
  if (error instanceof NothingToCheck) return { status: 'empty', message: error.message };
  const drift = error instanceof ProfileDifference ? { drift: error.drift } : {};
  if (error instanceof ContractFailure && source !== 'fact' && expectation.mode === 'observe') {
    return { status: 'observed', message: `the account answers otherwise than the sandbox's default (profile "${expectation.label}"): ${error.message}`, ...drift };
  }
  if (error instanceof ContractFailure || error instanceof NoAnswer) return { status: 'failed', message: error.message, ...drift };
  return { status: 'failed', message: `unexpected error in the check: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * `ct-20261129-120511-4e29`: the UTC start time and 4 random hex digits. Short, sortable, unique
 * enough, and safe inside a customer_code, a name and an email address.
 */
export function newRunId(at: Date = new Date()): string {
  const [date, time] = at.toISOString().replace(/[-:]/g, '').split('T') as [string, string];
  return `ct-${date}-${time.slice(0, 6)}-${randomBytes(2).toString('hex')}`;
}
