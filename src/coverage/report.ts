import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { OPERATION_IDS, type OperationId } from '../operations/ids.js';
import { CATALOGUE, OUTCOMES, type Outcome } from './catalogue.js';
import type { OperationCounts } from './counters.js';

export type SeenOutcome = {
  outcome: Outcome;
  count: number;
  /** Error codes only: answered by the sandbox itself, and injected by a fault. */
  vendor?: number;
  injected?: number;
  /** false for an outcome the catalogue does not list for this operation (it counts for nothing). */
  catalogued: boolean;
};

export type OperationCoverage = {
  outcomes: SeenOutcome[];
  notSeen: Outcome[];
  warnings: Record<string, number>;
  shapes: Record<string, number>;
};

/** `GET /__sandbox/coverage`: what a test run exercised, against the catalogue. */
export type CoverageReport = {
  tenant: number | 'all';
  /** Where the counts begin: the last reset (of the tenant, or of the sandbox), or the start. */
  since: string;
  covered: number;
  total: number;
  /** covered / total, in percent, rounded to one decimal. */
  percent: number;
  operations: Record<OperationId, OperationCoverage>;
  notSeen: Array<{ operation: OperationId; outcome: Outcome }>;
};

export function coverageReport(counts: Record<OperationId, OperationCounts>, tenant: number | undefined, since: number): CoverageReport {
  const operations = {} as Record<OperationId, OperationCoverage>;
  const notSeen: CoverageReport['notSeen'] = [];
  let covered = 0;
  let total = 0;
  for (const operation of OPERATION_IDS) {
    const catalogued = CATALOGUE[operation];
    const seen = OUTCOMES.map((outcome) => seenOutcome(counts[operation], outcome, catalogued.includes(outcome))).filter((s) => s.count > 0);
    const missing = catalogued.filter((outcome) => !seen.some((s) => s.outcome === outcome));
    total += catalogued.length;
    covered += catalogued.length - missing.length;
    notSeen.push(...missing.map((outcome) => ({ operation, outcome })));
    operations[operation] = { outcomes: seen, notSeen: missing, warnings: counts[operation].warnings, shapes: counts[operation].shapes };
  }
  return {
    tenant: tenant ?? 'all',
    since: new Date(since).toISOString(),
    covered,
    total,
    percent: Math.round((covered / total) * 1000) / 10,
    operations,
    notSeen,
  };
}

function seenOutcome(counts: OperationCounts, outcome: Outcome, catalogued: boolean): SeenOutcome {
  if ((ERROR_CODES as readonly string[]).includes(outcome)) {
    const { vendor, injected } = counts.errors[outcome as ErrorCode];
    return { outcome, count: vendor + injected, vendor, injected, catalogued };
  }
  const count =
    outcome === 'success' ? counts.success : outcome === 'latency' ? counts.latency : counts.connection[outcome.slice('connection='.length) as keyof OperationCounts['connection']];
  return { outcome, count, catalogued };
}
