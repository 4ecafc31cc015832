import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { exited, killServed, serveCli, type Served } from '../helpers/cli-process.js';
import { VENDOR } from '../helpers/http.js';
import { CrashModel, type Presented } from './crash-model.js';
import { FULL, seedFrom, SIZES, TEST_TIMEOUT_MS } from './sizes.js';
import { call, isSuccess, randomFrom, tempDir } from './support.js';

/*
 * A file-mode sandbox process under concurrent adds, updates and add-contacts,
 * killed with SIGKILL at random (seeded) moments and restarted on the same file, cycle after
 * cycle; and stopped with SIGTERM at random moments the same way. Requests in flight at a SIGTERM
 * are in test/reliability/crash-sigterm-in-flight.test.ts, torn writes in
 * test/reliability/crash-torn-writes.test.ts.
 */

const WORKERS = 6;
const KILL_AFTER_MS = { min: 60, max: 700 };
/** A request sent this long before SIGTERM was surely read by the sandbox: it must get its answer. */
const IN_FLIGHT_MS = 200;

async function selectAll(url: string): Promise<Presented[]> {
  const answer = await call(url, VENDOR.select, { start_date: '1900-01-01', end_date: '2199-12-31' }, {}, 60_000);
  if (!answer.answered || !isSuccess(answer)) throw new Error(`select of every customer failed: ${answer.answered ? answer.text.slice(0, 300) : answer.error}`);
  return answer.json.message as Presented[];
}

/** The ids a restarted sandbox hands out next are above every id it holds (its counters survived). */
async function expectFreshIds(url: string, model: CrashModel, customers: Presented[]): Promise<void> {
  const maxId = Math.max(...customers.map((c) => c.id));
  const maxContact = Math.max(...customers.flatMap((c) => c.contacts.map((k) => k.id)));
  const before = new Set(model.tracked.keys());
  expect(await model.addOne(url), 'an add right after the restart').toBe(true);
  const added = [...model.tracked.keys()].find((id) => !before.has(id));
  expect(added, 'the add after the restart succeeded').toBeDefined();
  expect(added!, 'the first id after a restart').toBeGreaterThan(maxId);
  const contact = await call(url, VENDOR.contacts, { customer_id: String(added), contact_person: `probe-${added}`, email: 'probe@crash.test', phone: '7000000000' });
  expect(isSuccess(contact), contact.answered ? contact.text : contact.error).toBe(true);
  expect(Number((contact as { json: any }).json['Contact Ids'][0]), 'the first contact id after a restart').toBeGreaterThan(maxContact + 1);
  // The probe contact is part of the state now: known to the model, so the next check expects it.
  model.tracked.get(added!)!.contacts.set(`probe-${added}`, { contact: { contactPerson: `probe-${added}`, email: 'probe@crash.test', phone: '7000000000' } });
}

type CycleOptions = { signal: 'SIGKILL' | 'SIGTERM'; cycles: number; seedVariable: string };

/**
 * Cycles of: concurrent writes from WORKERS clients, the signal at a random moment, a restart on
 * the same file, and the check of everything the model knows. SIGTERM must also exit 0, in time.
 */
async function runCycles({ signal, cycles, seedVariable }: CycleOptions): Promise<void> {
  const seed = seedFrom(seedVariable);
  console.log(`crash (${signal}): seed ${seed}, ${cycles} cycles (${FULL ? 'full' : 'small'} size); replay with ${seedVariable}=${seed}`);
  const random = randomFrom(seed);
  const model = new CrashModel(random);
  const temp = await tempDir('kapture-crash-');
  const db = join(temp.dir, 'store.json');
  let served: Served | undefined;
  const started = performance.now();
  try {
    served = await serveCli(['--db', db, '--customers', '5']);
    const seeded = new Map((await selectAll(served.url)).map((customer) => [customer.id, JSON.stringify(customer)]));
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const at = KILL_AFTER_MS.min + Math.floor(random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
      const context = `${signal} cycle ${cycle} (seed ${seed}, signal ${at} ms into the load)`;
      const halt = { stopped: false };
      const url = served.url;
      const workers = Array.from({ length: WORKERS }, () => model.worker(url, halt));
      await delay(at);
      const signalled = performance.now();
      served.child.kill(signal);
      const code = await exited(served.child);
      const stoppedMs = performance.now() - signalled;
      halt.stopped = true;
      await Promise.all(workers);
      if (signal === 'SIGTERM') {
        // A request the sandbox had for a while must be answered; one sent just before the signal
        // may meet a connection closed as idle (HTTP keep-alive's race), and was then never processed.
        const dropped = model.unanswered.filter((request) => request.sentAt < signalled - IN_FLIGHT_MS);
        expect(dropped, `${context}: requests sent ${IN_FLIGHT_MS} ms or more before SIGTERM, never answered`).toEqual([]);
        expect(code, `${context}: exit code after SIGTERM; output: ${served.output().slice(-500)}`).toBe(0);
        expect(stoppedMs, `${context}: SIGTERM took ${Math.round(stoppedMs)} ms to stop`).toBeLessThan(8_000);
      }
      // The store file is whole JSON whatever the moment of the kill.
      const text = await readFile(db, 'utf8');
      expect(() => JSON.parse(text), `${context}: store.json parses`).not.toThrow();
      served = await serveCli(['--db', db]);
      const customers = await selectAll(served.url);
      const problems = model.verify(customers, seeded);
      expect(model.unexpected, `${context}: answers other than Success`).toEqual([]);
      expect(problems, context).toEqual([]);
      await expectFreshIds(served.url, model, customers);
    }
  } finally {
    await killServed(served);
    await temp.remove();
    console.log(
      `crash (${signal}): ${model.stats.sent} writes sent, ${model.stats.succeeded} answered Success, ${model.stats.unanswered} unanswered ` +
        `(unanswered adds: ${model.stats.inFlightLanded} landed whole, ${model.stats.inFlightLost} not at all); ` +
        `${model.tracked.size} customers tracked; ${Math.round(performance.now() - started)} ms`,
    );
  }
}

describe('crash safety', () => {
  it(
    `SIGKILL at random moments under concurrent writes, ${SIZES.crashCycles} cycles: every Success survives whole, nothing half-written appears`,
    () => runCycles({ signal: 'SIGKILL', cycles: SIZES.crashCycles, seedVariable: 'KAPTURE_CRASH_SEED' }),
    TEST_TIMEOUT_MS,
  );

  it(
    `SIGTERM at random moments under concurrent writes, ${SIZES.termCycles} cycles: exit 0 in time, every Success on disk, nothing half-written`,
    () => runCycles({ signal: 'SIGTERM', cycles: SIZES.termCycles, seedVariable: 'KAPTURE_TERM_SEED' }),
    TEST_TIMEOUT_MS,
  );
});
