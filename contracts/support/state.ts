import { skip } from '../../src/contract/check.js';
import type { WallClock } from './dates.js';

/** A customer this run created, and what it was created with (to compare with what search shows). */
export type CreatedCustomer = {
  id: string;
  name: string;
  email: string;
  phone: string;
  customerCode: string;
  /** Its creation time as search first showed it (IST wall clock); set by the flow. */
  createdAt?: WallClock;
  /** What the flow's update set, once it answered success. */
  updated?: { city: string; state: string };
  /** The contact the flow added, once it answered success. */
  contact?: { name: string; email: string; phone: string; id?: string };
};

/** Customers found on the target for the read-only checks, and how. */
export type Discovery = {
  ids: string[];
  how: string;
  /** The select range that found them, when select did. */
  window?: { start_date: string; end_date: string };
};

/** What checks of one run share: found customers, created customers. */
export type RunState = {
  discovery?: Promise<Discovery>;
  /** Created by `add.object-body` (answer checks only). */
  objectCustomer?: CreatedCustomer;
  /** Created by `add.array-body`: the customer the flow follows. */
  flowCustomer?: CreatedCustomer;
  /** Whether the sandbox acts on X-Sandbox-Fault (not when started with --no-header-faults). */
  headerFaults?: Promise<boolean>;
};

export function newRunState(): RunState {
  return {};
}

/** A value an earlier check leaves behind; skips the check when that check did not get that far. */
export function needs<T>(value: T | undefined, what: string, checkId: string): T {
  if (value === undefined) skip(`needs ${what}, which ${checkId} provides, and that check did not pass`);
  return value;
}
