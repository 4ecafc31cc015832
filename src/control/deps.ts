import type { CoverageCounters } from '../coverage/counters.js';
import type { FaultRules } from '../faults/rules.js';
import type { Journal } from '../journal.js';
import type { StoreData } from '../records.js';
import type { Snapshots } from '../snapshots.js';
import type { Store } from '../store/store.js';
import type { Profile } from '../vendor/profile.js';
import type { Tenancy } from '../tenants.js';

/** What the control surface reaches: the sandbox's whole state. */
export type ControlDeps = {
  store: Store;
  storage: 'file' | 'memory';
  /** The seeded state, rebuilt on demand (deterministic), for reset. */
  seed: () => Promise<StoreData>;
  /** The faker seed the sandbox was started with (tenants seeded on request derive theirs from it). */
  seedNumber: number;
  rules: FaultRules;
  journal: Journal;
  snapshots: Snapshots;
  coverage: CoverageCounters;
  tenancy: Tenancy;
  now: () => Date;
  /** How the sandbox answers keys that name no profile of their own. */
  profile: Profile;
  /** When set, every control request must carry it in X-Sandbox-Admin-Token. */
  adminToken?: string | undefined;
  /** The host the sandbox listens on: a Host header naming it (with the port) addresses the sandbox. */
  host?: string | undefined;
};
