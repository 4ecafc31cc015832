import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATHS, testSandbox, vendor } from '../helpers/sandbox-client.js';
import type { Presented } from './crash-model.js';
import { FULL, TEST_TIMEOUT_MS } from './sizes.js';
import { tempDir } from './support.js';

/*
 * A file-mode store whose last write is cut short at every byte that matters, as a kill in the
 * middle of a write leaves it: every request is whole or absent when the sandbox starts on it.
 */

describe('crash safety', () => {
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
