import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { exited, serveCli, type Served } from '../helpers/cli-process.js';
import { VENDOR } from '../helpers/http.js';
import { PATHS, testSandbox, vendor } from '../helpers/sandbox-client.js';
import { CrashModel, type Presented } from './crash-model.js';
import { FULL, seedFrom, SIZES, TEST_TIMEOUT_MS } from './sizes.js';
import { call, isSuccess, randomFrom, tempDir } from './support.js';

/*
 * A file-mode sandbox process under concurrent adds, updates and add-contacts,
 * killed with SIGKILL at random (seeded) moments and restarted on the same file, cycle after
 * cycle; and stopped with SIGTERM while requests are in flight.
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

async function stop(served: Served | undefined): Promise<void> {
  if (!served || served.child.exitCode !== null || served.child.signalCode !== null) return;
  served.child.kill('SIGKILL');
  await exited(served.child);
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
    await stop(served);
    await temp.remove();
    console.log(
      `crash (${signal}): ${model.stats.sent} writes sent, ${model.stats.succeeded} answered Success, ${model.stats.unanswered} unanswered ` +
        `(unanswered adds: ${model.stats.inFlightLanded} landed whole, ${model.stats.inFlightLost} not at all); ` +
        `${model.tracked.size} customers tracked; ${Math.round(performance.now() - started)} ms`,
    );
  }
}

type RawAnswer = { status: number; json: any } | { status: undefined; error: string };

/**
 * A client that sends the headers and half the body, waits `holdMs`, then sends the rest: a
 * request that is in flight for that long. Resolves with the answer, or with why there was none.
 */
function slowUpload(url: string, path: string, body: unknown, holdMs: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Basic sandbox-key\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${payload.length}\r\nConnection: close\r\n\r\n`,
      );
      socket.write(payload.subarray(0, half));
      setTimeout(() => socket.write(payload.subarray(half)), holdMs);
    });
    const finish = (error?: string) => {
      const match = /^HTTP\/1\.1 (\d{3})[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(data);
      if (!match) return resolve({ status: undefined, error: error ?? `no HTTP answer (${data.length} bytes)` });
      let json: unknown;
      try {
        json = JSON.parse(match[2]!);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(match[1]), json });
    };
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => finish());
    socket.on('error', (error) => finish(error.message));
    socket.setTimeout(20_000, () => socket.destroy(new Error('no answer within 20 s')));
  });
}

function customer(name: string) {
  return { name, email: `${name}@term.test`, phone: '9876543210', city: 'Pune' };
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

  it(
    'SIGTERM lets requests in flight finish (answers held by latency, a half-sent upload), flushes, and exits 0',
    async () => {
      const temp = await tempDir('kapture-term-');
      const db = join(temp.dir, 'store.json');
      let served: Served | undefined;
      try {
        served = await serveCli(['--db', db, '--customers', '5']);
        const url = served.url;
        // Warm: the first request loads the validators, which would hold the event loop for a while.
        expect(isSuccess(await call(url, VENDOR.search, { customer_id: '272930' }))).toBe(true);
        const slow = Array.from({ length: 10 }, (_, i) => call(url, VENDOR.add, customer(`term-slow-${i}`), { 'X-Sandbox-Fault': 'latency=400' }));
        const upload = slowUpload(url, VENDOR.add, customer('term-upload'), 400);
        const burst = Array.from({ length: 40 }, (_, i) => call(url, VENDOR.add, customer(`term-burst-${i}`)));
        await delay(150);
        const signalled = performance.now();
        served.child.kill('SIGTERM');
        const code = await exited(served.child);
        const stoppedMs = performance.now() - signalled;
        const slowResults = await Promise.all(slow);
        const uploadResult = await upload;
        const burstResults = await Promise.all(burst);

        for (const [i, result] of slowResults.entries()) {
          expect(isSuccess(result), `slow request ${i} (answer held 400 ms) after SIGTERM: ${result.answered ? result.text : result.error}`).toBe(true);
        }
        expect(uploadResult, 'the upload still being sent when SIGTERM came').toMatchObject({ status: 200, json: { Status: 'Success' } });
        for (const [i, result] of burstResults.entries()) {
          if (result.answered) expect(isSuccess(result), `burst request ${i}: ${result.text}`).toBe(true);
        }
        expect(code, `exit code after SIGTERM; output: ${served.output().slice(-500)}`).toBe(0);
        expect(stoppedMs).toBeLessThan(8_000);

        // Everything answered Success is on disk.
        const answered = [
          ...slowResults.map((r, i) => [r, `term-slow-${i}`] as const),
          ...burstResults.map((r, i) => [r, `term-burst-${i}`] as const),
        ].filter(([r]) => isSuccess(r));
        const uploadId = 'json' in uploadResult ? uploadResult.json?.['Kapture Customer Id'] : undefined;
        served = await serveCli(['--db', db]);
        for (const [result, name] of answered) {
          const id = (result as { json: any }).json['Kapture Customer Id'];
          const found = await call(served.url, VENDOR.search, { customer_id: id });
          expect(isSuccess(found) && (found as { json: any }).json.message[0].name, `customer ${id} (${name}) after the restart`).toBe(name);
        }
        if (uploadId !== undefined) {
          const found = await call(served.url, VENDOR.search, { customer_id: uploadId });
          expect(isSuccess(found) && (found as { json: any }).json.message[0].name).toBe('term-upload');
        }
        const unanswered = burstResults.flatMap((r, i) => (r.answered ? [] : [`burst ${i}: ${r.error}`]));
        console.log(`SIGTERM: stopped in ${Math.round(stoppedMs)} ms; ${answered.length} of 50 requests answered Success; upload answered ${uploadResult.status}; unanswered: ${unanswered.join(', ') || 'none'}`);
      } finally {
        await stop(served);
        await temp.remove();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a write torn at any byte (a kill in the middle of a write) leaves every request whole or absent',
    async () => {
      const temp = await tempDir('kapture-torn-');
      const db = join(temp.dir, 'store.json');
      try {
        let sandbox = await testSandbox({ inMemory: false, db });
        await sandbox.close();
        const before = await regularFiles(temp.dir);
        // Three requests that each write several records: a batch add, a batch update, a batch of contacts.
        sandbox = await testSandbox({ inMemory: false, db });
        const added = await vendor(sandbox, PATHS.addOrUpdate, [0, 1, 2].map((i) => ({ name: `torn-add-${i}`, email: `t${i}@torn.test`, phone: '9876543210' })));
        const updated = await vendor(sandbox, PATHS.addOrUpdate, ['272930', '286829'].map((id) => ({ customer_id: id, name: 'torn-update', city: 'Torn' })));
        const contacts = await vendor(sandbox, PATHS.addContacts, [0, 1].map((i) => ({ customer_id: '287230', contact_person: `torn-contact-${i}`, email: 'c@torn.test', phone: '9876543210' })));
        for (const answer of [added, updated, contacts]) expect(answer.headers.get('x-sandbox-error'), answer.text).toBeNull();
        await sandbox.close();
        const after = await regularFiles(temp.dir);

        const grown = [...after].filter(([name, bytes]) => !before.get(name)?.equals(bytes));
        expect(grown.length, 'the three requests changed some file').toBeGreaterThan(0);
        let checked = 0;
        const problems: string[] = [];
        for (const [name, bytes] of grown) {
          const old = before.get(name) ?? Buffer.alloc(0);
          // A file replaced whole (write to a temp file, rename) cannot be torn; an appended one can.
          if (!bytes.subarray(0, old.length).equals(old)) continue;
          for (const cut of cutPoints(bytes.subarray(old.length))) {
            await restore(temp.dir, before, name, bytes.subarray(0, old.length + cut));
            const torn = await testSandbox({ inMemory: false, db });
            try {
              const state = await tornState(torn);
              const where = `${name} cut ${cut} of ${bytes.length - old.length} appended bytes`;
              if (state.adds !== 0 && state.adds !== 3) problems.push(`${where}: ${state.adds} of the 3 customers of one batch add`);
              if (state.updates !== 0 && state.updates !== 2) problems.push(`${where}: ${state.updates} of the 2 customers of one batch update`);
              if (state.contacts !== 0 && state.contacts !== 2) problems.push(`${where}: ${state.contacts} of the 2 contacts of one batch`);
              // Requests land in order: a later one never without an earlier one.
              if (state.updates > 0 && state.adds !== 3) problems.push(`${where}: the update landed without the add before it`);
              if (state.contacts > 0 && state.updates !== 2) problems.push(`${where}: the contacts landed without the update before them`);
              checked++;
            } finally {
              await torn.close();
            }
          }
        }
        expect(checked, 'no appended file to tear').toBeGreaterThan(0);
        console.log(`torn writes: ${checked} cut points checked, ${problems.length} left a request half-applied`);
        expect(problems.slice(0, 12), `${problems.length} of ${checked} cut points left a request half-applied; the first ones`).toEqual([]);
      } finally {
        await temp.remove();
      }
    },
    TEST_TIMEOUT_MS,
  );
});

/** The top-level regular files of a directory (the store and whatever lies beside it), by name. */
async function regularFiles(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of await readdir(dir)) {
    if ((await stat(join(dir, name))).isFile()) files.set(name, await readFile(join(dir, name)));
  }
  return files;
}

/** The directory as it was before, except one file, cut short. */
async function restore(dir: string, before: Map<string, Buffer>, name: string, torn: Buffer): Promise<void> {
  for (const file of (await regularFiles(dir)).keys()) await rm(join(dir, file));
  for (const [file, bytes] of before) await writeFile(join(dir, file), bytes);
  await writeFile(join(dir, name), torn);
}

/** Where to cut appended bytes: at full size every byte; else around every line end and at even steps. */
function cutPoints(appended: Buffer): number[] {
  const length = appended.length;
  if (FULL) return Array.from({ length: length + 1 }, (_, i) => i);
  const cuts = new Set([0, length]);
  for (let i = 0; i < length; i++) {
    if (appended[i] === 0x0a) for (const near of [i - 1, i, i + 1, i + 2]) if (near >= 0 && near <= length) cuts.add(near);
  }
  for (let i = 0; i <= 12; i++) cuts.add(Math.round((length * i) / 12));
  return [...cuts].sort((a, b) => a - b);
}

async function tornState(sandbox: Awaited<ReturnType<typeof testSandbox>>): Promise<{ adds: number; updates: number; contacts: number }> {
  const all = await vendor(sandbox, PATHS.select, { start_date: '1900-01-01', end_date: '2199-12-31' });
  const customers = all.json.message as Presented[];
  return {
    adds: customers.filter((c) => c.name.startsWith('torn-add-')).length,
    updates: customers.filter((c) => c.name === 'torn-update').length,
    contacts: customers.flatMap((c) => c.contacts).filter((k) => k.contactPerson.startsWith('torn-contact-')).length,
  };
}
