import type { ErrorCode } from '../errors.js';
import type { JournalEntry } from '../journal.js';
import type { OperationId } from '../operations/ids.js';

/** `POST /__sandbox/verify`: which requests, and how many (validated against the spec's VerifyRequest). */
export type VerifyCriteria = {
  operation?: OperationId;
  tenant?: number;
  /** The full key, as the journal filter takes it (entries show only a redacted form). */
  key?: string;
  /** A code, or "none": answered without an error code (a cut connection is not an answer). */
  error?: ErrorCode | 'none';
  /** A fault as the journal labels it: `ServerFailure`, `latency`, `connection=reset`, `rule-2:ServerFailure`... */
  fault?: string;
  /** Matches a request item whose fields equal every field given (nested objects partially). */
  body?: Record<string, unknown>;
  count?: number;
  atLeast?: number;
  atMost?: number;
  /** ISO 8601: only requests that arrived at or after it. */
  since?: string;
  /** How long to wait for the requests (at most 30000). */
  withinMs?: number;
};

export type Difference = { path: string; expected: unknown; actual: unknown };
export type NearMiss = { entry: JournalEntry; differences: Difference[] };

export type VerifyResult =
  | { ok: true; matched: number; entries: JournalEntry[]; journalComplete: boolean }
  | { ok: false; matched: number; expected: string; nearMisses: NearMiss[]; journalComplete: boolean; entries: JournalEntry[] };

/** What the criteria ask for, in words: "at least 1 searchCustomer request with error none". */
export function expectedInWords(criteria: VerifyCriteria): string {
  const { count, atLeast, atMost } = criteria;
  const quantity =
    count !== undefined
      ? `exactly ${count}`
      : atLeast !== undefined && atMost !== undefined
        ? `from ${atLeast} to ${atMost}`
        : atMost !== undefined
          ? `at most ${atMost}`
          : `at least ${atLeast ?? 1}`;
  const plural = (count ?? atMost ?? atLeast ?? 1) === 1 ? 'request' : 'requests';
  const parts: string[] = [];
  if (criteria.tenant !== undefined) parts.push(`of tenant ${criteria.tenant}`);
  if (criteria.key !== undefined) parts.push('with the given key');
  if (criteria.error !== undefined) parts.push(criteria.error === 'none' ? 'answered without an error' : `answered ${criteria.error}`);
  if (criteria.fault !== undefined) parts.push(`with fault ${criteria.fault}`);
  if (criteria.body !== undefined) parts.push(`with a body item matching ${JSON.stringify(criteria.body)}`);
  if (criteria.since !== undefined) parts.push(`since ${criteria.since}`);
  if (criteria.withinMs) parts.push(`within ${criteria.withinMs} ms`);
  return [`${quantity} ${criteria.operation ?? 'vendor'} ${plural}`, ...parts].join(' ');
}

/** Whether `matched` requests satisfy the count asked for. */
export function satisfied(criteria: VerifyCriteria, matched: number): boolean {
  if (criteria.count !== undefined) return matched === criteria.count;
  if (criteria.atMost !== undefined && matched > criteria.atMost) return false;
  return matched >= (criteria.atLeast ?? (criteria.atMost !== undefined ? 0 : 1));
}

/** Whether more matching requests can no longer help: the count or atMost is already passed. */
export function exceeded(criteria: VerifyCriteria, matched: number): boolean {
  const limit = criteria.count ?? criteria.atMost;
  return limit !== undefined && matched > limit;
}

/** count and atMost wait out the window; atLeast alone is answered as soon as it holds. */
export function waitsOut(criteria: VerifyCriteria): boolean {
  return criteria.count !== undefined || criteria.atMost !== undefined;
}
