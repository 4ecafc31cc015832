import type { CheckContext } from './context.js';
import type { CheckSource } from './labels.js';
import type { Capability } from './target.js';

/**
 * How much a check may touch, which decides where it runs by default:
 * - `read-only`: creates nothing (search and select of existing data, refused keys): any target.
 * - `writes`: creates or changes records: a sandbox, or any target with `--allow-writes`.
 * - `sandbox-only`: needs the sandbox's control surface (keys, fault injection).
 */
export const GROUPS = ['read-only', 'writes', 'sandbox-only'] as const;
export type CheckGroup = (typeof GROUPS)[number];

/** The capability each group implies, on top of a check's own `requires`. */
export const GROUP_CAPABILITY: Record<CheckGroup, Capability | undefined> = {
  'read-only': undefined,
  writes: 'writes',
  'sandbox-only': 'control',
};

/**
 * One scenario, written once against any target. `run` throws a ContractFailure (via `fail`) to
 * fail, a SkipCheck (via `skip`) when the target or the user lacks what it needs, and a
 * NothingToCheck (via `nothingToCheck`) when it found nothing to check (outcome.ts); anything
 * else thrown is reported as a failure too. `S` is the run's shared state (what earlier checks
 * created or found).
 */
export { SOURCES, type CheckSource } from './labels.js';

export type Check<S> = {
  /** Stable id, e.g. `flow.search-shows-update`: used by --skip and in JUnit. */
  id: string;
  /** What it asserts, as a sentence. */
  title: string;
  group: CheckGroup;
  source: CheckSource;
  /** Topics (`errors`, `dates`, `arrays`, `flow`, `faults`...): --skip takes them too. */
  tags: string[];
  /** Capabilities it needs besides its group's. */
  requires: Capability[];
  run(context: CheckContext, state: S): Promise<void>;
};

export type ContractSuite<S> = {
  checks: Array<Check<S>>;
  /** A fresh shared state for one run. */
  newState(): S;
};

export { ContractFailure, fail, nothingToCheck, NothingToCheck, ProfileDifference, skip, SkipCheck, type Drift } from './outcome.js';
