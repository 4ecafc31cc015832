import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/index.js';
import { post } from '../helpers/http.js';
import { testSandbox } from '../helpers/sandbox-client.js';
import { StateProbe } from './fuzz-runner.js';
import { FULL, seedFrom, SIZES, TEST_TIMEOUT_MS } from './sizes.js';

/*
 * Today's request shapes (Get Customer, the pull by date range, the nested add-update), fuzzed
 * with their own keys holding good, empty, mistyped and hostile values, plus stray keys. The
 * invariants: never a 5xx; always JSON in today's conventions (a success with "status":
 * "success", or a failure {"message", "status": "failed"} / the Get Customer miss) with the error
 * code in X-Sandbox-Error; a failure or a read changes nothing, byte for byte; no prototype pollution.
 */

const SEED = seedFrom('KAPTURE_FUZZ_SEED') + 100;
const RUNS = Math.max(100, Math.floor(SIZES.fuzzRunsPerOperation / 2));

const value = fc.oneof(
  fc.constantFrom('', ' ', '396', 396, '272930', 272930, '286829', '999999999', '9876543210', '999999911', 9876543210, 'help@kapturecrm.com', 'not-an-email'),
  fc.constantFrom('2016-03-31', '2016-04-01', '2016-03-31 10:00:00', '2016-02-30', 'YYYY-MM-DD', '2016-03-31T23:59:59', '100', '-1', 'abc'),
  fc.constantFrom(null, true, false, 0, -5, 1.5, [], {}, ['x'], { __proto__: { polluted: 1 } }),
  fc.string({ maxLength: 30 }),
);
const item = (keys: string[], maxKeys = keys.length + 2) =>
  fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.constantFrom('__proto__', 'constructor', 'extra', 'customer_id ')), value, { maxKeys });
/** A valid body with at most two of its keys changed (half the bodies), or its first key (which makes it this shape) and any mix of the others. */
const around = (valid: Record<string, unknown>, keys: string[]) =>
  fc.oneof(
    item(keys, 2).map((changes) => ({ ...valid, ...changes })),
    item(keys).map((i) => ({ ...Object.fromEntries(Object.entries(valid).slice(0, 1)), ...i })),
  );

const SHAPES = {
  'Get Customer': {
    path: '/search-customer-by-customer-id.html',
    body: fc.oneof(
      around({ kapture_customer_id: '', customer_id: '', email_id: '', phone: '999999911' }, ['kapture_customer_id', 'customer_id', 'email_id', 'phone']),
      fc.array(around({ kapture_customer_id: '272930' }, ['kapture_customer_id', 'email_id', 'phone']), { minLength: 1, maxLength: 3 }),
    ),
    writes: false,
  },
  'pull by date range': {
    path: '/select-customer-between-start-and-end-dates.html',
    body: around({ createStartDate: '2016-03-31', cm_id: 396, createEndDate: '2016-04-01', limit: '', offset: '' }, ['cm_id', 'createStartDate', 'createEndDate', 'limit', 'offset', 'name', 'phone', 'email', 'customer_id', 'customerCode']),
    writes: false,
  },
  'nested add-update': {
    path: '/ms/customer/customer/api/v1/add-update',
    body: fc.record(
      {
        customer_info: fc.oneof(
          { weight: 4, arbitrary: around({ customer_name: 'Fuzz', phone: '9876543210', email_id: '', customer_id: '' }, ['customer_name', 'name', 'phone', 'email_id', 'email', 'customer_id', 'city', 'zone', 'pincode']) },
          { weight: 1, arbitrary: value },
        ),
        contact_info: fc.oneof(
          { weight: 4, arbitrary: fc.array(around({ contact_id: '', contact_person_name: 'C', contact_person_phone: '9812345678' }, ['contact_id', 'contact_person_name', 'contact_person_phone', 'contact_person_email', 'update']), { maxLength: 3 }) },
          { weight: 1, arbitrary: value },
        ),
        enquiry_info: fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: value }),
      },
      { requiredKeys: ['customer_info'] },
    ),
    writes: true,
  },
} as const;

let sandbox: Sandbox;
let dir: string;
let probe: StateProbe;
beforeAll(async () => {
  console.log(`fuzz of today's shapes: seed ${SEED}, ${RUNS} bodies per shape (${FULL ? 'full' : 'small'} size); replay with KAPTURE_FUZZ_SEED=${SEED - 100}`);
  dir = await mkdtemp(join(tmpdir(), 'kapture-fuzz-today-'));
  const db = join(dir, 'store.json');
  sandbox = await testSandbox({ inMemory: false, db });
  probe = new StateProbe(sandbox, db);
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join();

describe("fuzzing today's request shapes", () => {
  it.each(Object.entries(SHAPES))('%s: no 5xx, today\'s answer shapes, a failure changes nothing', async (_name, shape) => {
    await sandbox.reset();
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(shape.body, async (body) => {
        const before = await probe.take();
        const answer = await post(sandbox.url, shape.path, body);
        const text = `${JSON.stringify(body).slice(0, 300)} -> HTTP ${answer.status} ${answer.text.slice(0, 300)}`;
        expect(answer.status, text).toBe(200);
        expect(answer.json, text).toBeTypeOf('object');
        const code = answer.headers.get('x-sandbox-error');
        outcomes.set(code ?? 'success', (outcomes.get(code ?? 'success') ?? 0) + 1);
        if (code === null) {
          expect(answer.json.status, text).toBe('success');
        } else {
          expect(answer.json.status, text).toBe('failed');
          const keys = Object.keys(answer.json).sort();
          expect([['message', 'status'], ['Customer Details', 'status']], text).toContainEqual(keys);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort().join(), 'Object.prototype was polluted').toBe(PROTOTYPE_NAMES);
        if (code !== null || !shape.writes) expect(await probe.take(), `a ${code ?? 'read'} changed the store: ${text}`).toBe(before);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`${_name}: ${[...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', ')}`);
    // Both sides reached: some bodies succeed, some fail.
    expect(outcomes.get('success') ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].filter((k) => k !== 'success').length).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);
});
