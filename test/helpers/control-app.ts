import type express from 'express';
import { seedData } from '../../seeds/generate.js';
import { createControlApp } from '../../src/control/app.js';
import type { ControlDeps } from '../../src/control/deps.js';
import { CoverageCounters } from '../../src/coverage/counters.js';
import { FaultRules } from '../../src/faults/rules.js';
import { Journal } from '../../src/journal.js';
import type { StoreData } from '../../src/records.js';
import { Snapshots } from '../../src/snapshots.js';
import { memoryPersistence } from '../../src/store/persistence.js';
import { Store } from '../../src/store/store.js';
import { Tenancy } from '../../src/tenants.js';
import { resolveProfile } from '../../src/vendor/profile.js';

/** The seeded state of a test sandbox (8 customers of tenant 396), built once. */
const SEED: StoreData = seedData({ seed: 1, customers: 5 });
export const NOW = new Date('2026-11-29T06:30:00.000Z');

/**
 * The control surface's Express app over fresh state (a store in memory, empty rules, journal and
 * snapshots), wired as src/sandbox.ts wires it but with no server: supertest drives the app object.
 */
export async function controlApp(options: { adminToken?: string; host?: string } = {}): Promise<{ app: express.Express; deps: ControlDeps }> {
  const store = new Store(structuredClone(SEED), memoryPersistence);
  const journal = new Journal(100);
  const coverage = new CoverageCounters();
  journal.subscribe((entry) => coverage.count(entry));
  const deps: ControlDeps = {
    store,
    storage: store.storage,
    seed: async () => structuredClone(SEED),
    seedNumber: 1,
    rules: new FaultRules(),
    journal,
    snapshots: await Snapshots.open(undefined),
    coverage,
    tenancy: new Tenancy(NOW.getTime()),
    now: () => NOW,
    profile: resolveProfile('document'),
    adminToken: options.adminToken,
    host: options.host,
  };
  return { app: createControlApp(deps), deps };
}
