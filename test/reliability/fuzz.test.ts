import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/index.js';
import { PATHS, testSandbox, vendor } from '../helpers/sandbox-client.js';
import { bodyArb } from './fuzz-bodies.js';
import { FUZZED_OPERATIONS, ITEM_SCHEMAS } from './fuzz-oracle.js';
import { FuzzRunner, StateProbe } from './fuzz-runner.js';
import { FULL, seedFrom, SIZES, TEST_TIMEOUT_MS } from './sizes.js';

/*
 * Property-based fuzzing of every vendor operation from the spec. Seeded and
 * reproducible: the seed is printed; KAPTURE_FUZZ_SEED=<seed> replays a run, and a failure is
 * shrunk to a minimal body and printed with a curl that reproduces it.
 */

const SEED = seedFrom('KAPTURE_FUZZ_SEED');
const RUNS = SIZES.fuzzRunsPerOperation;

let sandbox: Sandbox;
let dir: string;
let probe: StateProbe;
let seedIds: number[];

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} bodies per operation (${FULL ? 'full' : 'small'} size); replay with KAPTURE_FUZZ_SEED=${SEED}`);
  dir = await mkdtemp(join(tmpdir(), 'kapture-fuzz-'));
  const db = join(dir, 'store.json');
  sandbox = await testSandbox({ inMemory: false, db });
  probe = new StateProbe(sandbox, db);
  const all = await vendor(sandbox, PATHS.select, { start_date: '1900-01-01', end_date: '2199-12-31' });
  seedIds = (all.json.message as Array<{ id: number }>).map((customer) => customer.id);
  expect(seedIds.length).toBeGreaterThan(0);
});

afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fuzzing the vendor operations from the spec', () => {
  for (const [index, operation] of FUZZED_OPERATIONS.entries()) {
    it(
      `${operation}: no 5xx, answers match the spec, a failure changes nothing, a Success is visible at once`,
      async () => {
        await sandbox.reset();
        const runner = new FuzzRunner(sandbox, probe, operation, seedIds);
        const neighbours = operation === 'addCustomer' ? [ITEM_SCHEMAS.updateCustomer] : operation === 'updateCustomer' ? [ITEM_SCHEMAS.addCustomer] : [];
        const bodies = bodyArb(ITEM_SCHEMAS[operation], { existingCustomerIds: seedIds }, neighbours);
        const seed = SEED + index;
        const started = performance.now();
        try {
          await fc.assert(
            fc.asyncProperty(bodies, (body) => runner.check(body)),
            { seed, numRuns: RUNS },
          );
        } finally {
          const outcomes = [...runner.outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', ');
          console.log(`fuzz ${operation} (seed ${seed}): ${outcomes} in ${Math.round(performance.now() - started)} ms`);
        }
        // The fuzz must reach both sides: bodies that succeed and bodies that fail.
        expect(runner.outcomes.get('Success') ?? 0, 'no generated body succeeded').toBeGreaterThan(RUNS / 20);
        expect(runner.outcomes.get('ReqFieldMissing') ?? 0, 'no generated body failed').toBeGreaterThan(RUNS / 20);
      },
      TEST_TIMEOUT_MS,
    );
  }

  it('the control surface still answers after the fuzz (journal of hostile bodies, health)', async () => {
    const journal = await fetch(`${sandbox.url}/__sandbox/journal`);
    expect(journal.status).toBe(200);
    expect(Array.isArray(((await journal.json()) as { entries: unknown[] }).entries)).toBe(true);
    expect((await sandbox.health()).status).toBe('ok');
  });
});
