import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/index.js';
import { exited, serveCli } from '../helpers/cli-process.js';
import { post, VENDOR } from '../helpers/http.js';
import { testSandbox } from '../helpers/sandbox-client.js';
import { SIZES, TEST_TIMEOUT_MS } from './sizes.js';
import { mapLimit, tempDir } from './support.js';

/*
 * Many requests at once against one file-backed sandbox: nothing lost, nothing
 * duplicated, nothing mixed, and everything still there after a restart.
 */

/** Sockets open at once: enough to interleave every step of the requests, few enough for the OS. */
const SOCKETS = 64;

let temp: Awaited<ReturnType<typeof tempDir>>;
let db: string;
let sandbox: Sandbox | undefined;

beforeEach(async () => {
  temp = await tempDir('kapture-concurrency-');
  db = join(temp.dir, 'store.json');
  sandbox = await testSandbox({ inMemory: false, db });
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await temp.remove();
});

/** Closes the sandbox and opens a new one on the same file: what it finds was persisted. */
async function restart(): Promise<Sandbox> {
  await sandbox!.close();
  sandbox = undefined;
  sandbox = await testSandbox({ inMemory: false, db, seed: 99 });
  return sandbox;
}

/** One search of many ids (a batch body): the customers, in the order asked. */
async function searchAll(url: string, ids: Array<number | string>): Promise<Array<Record<string, any>>> {
  const found = await post(url, VENDOR.search, ids.map((id) => ({ customer_id: String(id) })));
  expect(found.json?.status, found.text.slice(0, 300)).toBe('success');
  return found.json.message as Array<Record<string, any>>;
}

async function addCustomer(url: string, name: string): Promise<string> {
  const answer = await post(url, VENDOR.add, { name, email: `${name}@parallel.test`, phone: '9876543210', city: 'Mysuru' });
  expect(answer.json, `add ${name}: ${answer.status} ${answer.text.slice(0, 200)}`).toMatchObject({ Status: 'Success' });
  return answer.json['Kapture Customer Id'] as string;
}

describe('concurrency', () => {
  it(
    `${SIZES.parallelAdds} parallel adds: distinct ids, each searchable at once and afterwards, all persisted`,
    async () => {
      const url = sandbox!.url;
      const before = (await sandbox!.health()).customers;
      const names = Array.from({ length: SIZES.parallelAdds }, (_, i) => `parallel-${i}`);
      const ids = await mapLimit(names, SOCKETS, async (name) => {
        const id = await addCustomer(url, name);
        // Visible to search the moment the add is answered, whatever else is going on.
        const [found] = await searchAll(url, [id]);
        expect(found!.name).toBe(name);
        return Number(id);
      });
      expect(new Set(ids).size, 'distinct ids').toBe(names.length);
      expect((await sandbox!.health()).customers).toBe(before + names.length);
      const expectAll = async (at: string) => {
        const customers = await searchAll(at, ids);
        expect(customers.map((c) => c.name)).toEqual(names);
        expect(customers.map((c) => c.contacts.length)).toEqual(names.map(() => 1));
      };
      await expectAll(url);

      const reopened = await restart();
      await expectAll(reopened.url);
      expect((await reopened.health()).customers).toBe(before + names.length);
      // The id counter survived: the next id is above all of them.
      expect(Number(await addCustomer(reopened.url, 'after-restart'))).toBeGreaterThan(Math.max(...ids));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `${SIZES.parallelAdds} parallel adds to a sandbox process killed with SIGKILL at the last answer: all ${SIZES.parallelAdds} are there after the restart`,
    async () => {
      const file = join(temp.dir, 'process-store.json');
      let served = await serveCli(['--db', file, '--customers', '0']);
      try {
        const names = Array.from({ length: SIZES.parallelAdds }, (_, i) => `killed-${i}`);
        const url = served.url;
        const ids = await mapLimit(names, SOCKETS, (name) => addCustomer(url, name));
        // No graceful stop: an answered Success must already be on disk.
        served.child.kill('SIGKILL');
        await exited(served.child);
        expect(new Set(ids).size, 'distinct ids').toBe(names.length);
        served = await serveCli(['--db', file]);
        expect((await searchAll(served.url, ids)).map((c) => c.name)).toEqual(names);
      } finally {
        served.child.kill('SIGKILL');
        await exited(served.child);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `${SIZES.parallelContacts} parallel add-contacts on one customer lose no contact, and all are persisted`,
    async () => {
      const url = sandbox!.url;
      const id = await addCustomer(url, 'many-contacts');
      const people = Array.from({ length: SIZES.parallelContacts }, (_, i) => `contact-${i}`);
      const contactIds = await mapLimit(people, SOCKETS, async (person, i) => {
        const answer = await post(url, VENDOR.contacts, { customer_id: id, contact_person: person, email: `c${i}@parallel.test`, phone: String(9_100_000_000 + i) });
        expect(answer.json, answer.text.slice(0, 200)).toMatchObject({ Status: 'Success' });
        return Number(answer.json['Contact Ids'][0]);
      });
      expect(new Set(contactIds).size, 'distinct contact ids').toBe(people.length);

      const expectAll = async (at: string) => {
        const [customer] = await searchAll(at, [id]);
        const contacts = customer!.contacts as Array<{ id: number; contactPerson: string; email: string; phone: string; isPrimaryContact: boolean }>;
        expect(contacts).toHaveLength(people.length + 1);
        const byPerson = new Map(contacts.map((c) => [c.contactPerson, c]));
        people.forEach((person, i) => {
          expect(byPerson.get(person), person).toMatchObject({ id: contactIds[i], email: `c${i}@parallel.test`, phone: String(9_100_000_000 + i), isPrimaryContact: false });
        });
      };
      await expectAll(url);
      await expectAll((await restart()).url);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `${SIZES.parallelUpdates} parallel updates of one customer end in exactly one of the written states, never a mix, and it is persisted`,
    async () => {
      const url = sandbox!.url;
      const id = await addCustomer(url, 'contended');
      const states = Array.from({ length: SIZES.parallelUpdates }, (_, i) => ({
        name: `state-${i}`,
        email: `s${i}@parallel.test`,
        phone: String(9_200_000_000 + i),
        city: `city-${i}`,
        state: `region-${i}`,
      }));
      await mapLimit(states, SOCKETS, async (state) => {
        const answer = await post(url, VENDOR.add, { customer_id: id, ...state });
        expect(answer.json, answer.text.slice(0, 200)).toMatchObject({ status: 'success' });
      });
      const observe = async (at: string) => {
        const [customer] = await searchAll(at, [id]);
        const primary = customer!.contacts.find((c: { isPrimaryContact: boolean }) => c.isPrimaryContact);
        return { name: customer!.name, email: primary.email, phone: primary.phone, city: customer!.city, state: customer!.state };
      };
      const final = await observe(url);
      expect(states, `the final state ${JSON.stringify(final)} is a mix of the written ones`).toContainEqual(final);
      expect(await observe((await restart()).url), 'after a restart: the same state').toEqual(final);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `${SIZES.parallelUpdates} parallel batch updates of two customers leave both at the same batch (a batch applies whole)`,
    async () => {
      const url = sandbox!.url;
      const pair = [await addCustomer(url, 'pair-a'), await addCustomer(url, 'pair-b')];
      const rounds = Array.from({ length: SIZES.parallelUpdates }, (_, i) => i);
      await mapLimit(rounds, SOCKETS, async (i) => {
        const answer = await post(url, VENDOR.add, pair.map((id) => ({ customer_id: id, name: `round-${i}`, city: `city-${i}` })));
        expect(answer.json, answer.text.slice(0, 200)).toMatchObject({ status: 'success' });
      });
      const observe = async (at: string) => (await searchAll(at, pair)).map((c) => `${c.name}/${c.city}`);
      const [a, b] = await observe(url);
      expect(a, 'both customers carry the same batch').toBe(b);
      expect(a).toMatch(/^round-(\d+)\/city-\1$/);
      expect(await observe((await restart()).url)).toEqual([a, b]);
    },
    TEST_TIMEOUT_MS,
  );
});
