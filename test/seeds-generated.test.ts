import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVendorDateTime } from '../src/vendor/dates.js';
import type { CustomerRecord, StoreData } from '../src/records.js';
import { FIRST_GENERATED_CONTACT_ID, FIRST_GENERATED_CUSTOMER_ID, seedData } from '../seeds/generate.js';
import { defaultKeys } from '../seeds/keys.js';
import { sampleCustomers } from '../seeds/samples.js';
import { ISO_MS, SAMPLE_IDS } from './helpers/seeds.js';

/** The generated seed data: the same for the same options everywhere, and what it contains. */

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('seedData: determinism', () => {
  it('gives byte-identical JSON for the same options', () => {
    const a = JSON.stringify(seedData({ seed: 7, customers: 300 }));
    const b = JSON.stringify(seedData({ seed: 7, customers: 300 }));
    expect(a).toBe(b);
  });

  it('is not disturbed by other seedData calls in between', () => {
    const a = JSON.stringify(seedData({ seed: 7, customers: 50 }));
    seedData({ seed: 8, customers: 50 });
    expect(JSON.stringify(seedData({ seed: 7, customers: 50 }))).toBe(a);
  });

  it('differs for another seed (in the generated customers, not in the samples)', () => {
    const a = seedData({ seed: 7, customers: 300 });
    const b = seedData({ seed: 8, customers: 300 });
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(a.customers.slice(0, 3)).toStrictEqual(b.customers.slice(0, 3));
    expect(a.customers[3]!.name === b.customers[3]!.name && a.customers[3]!.createdAt === b.customers[3]!.createdAt).toBe(false);
  });

  it('gives the same bytes in another process, in another time zone', () => {
    const here = sha256(JSON.stringify(seedData({ seed: 11, customers: 200 })));
    const moduleUrl = new URL('../seeds/generate.ts', import.meta.url).href;
    const script =
      `const { seedData } = await import(${JSON.stringify(moduleUrl)});` +
      `const { createHash } = await import('node:crypto');` +
      `process.stdout.write(createHash('sha256').update(JSON.stringify(seedData({ seed: 11, customers: 200 }))).digest('hex'));`;
    const there = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      encoding: 'utf8',
    });
    expect(there).toBe(here);
  }, 30_000);
});

describe('seedData: contents', () => {
  const N = 2000;
  const data: StoreData = seedData({ seed: 20160429, customers: N });
  const generated = data.customers.slice(SAMPLE_IDS.length);

  it('has version 1, the default keys, the samples first, then N generated customers', () => {
    expect(data.version).toBe(1);
    expect(data.keys).toStrictEqual(defaultKeys());
    expect(data.customers.slice(0, 3)).toStrictEqual(sampleCustomers());
    expect(generated).toHaveLength(N);
  });

  it('survives a JSON round trip unchanged (no undefined values, no Dates)', () => {
    expect(JSON.parse(JSON.stringify(data))).toStrictEqual(data);
  });

  it('gives unique customer and contact ids', () => {
    const ids = data.customers.map((c) => c.id);
    const contactIds = data.customers.flatMap((c) => c.contacts.map((k) => k.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(contactIds).size).toBe(contactIds.length);
  });

  it('numbers generated customers and contacts consecutively from 287231 and 365800', () => {
    expect(FIRST_GENERATED_CUSTOMER_ID).toBe(287231);
    expect(FIRST_GENERATED_CONTACT_ID).toBe(365800);
    generated.forEach((c, i) => {
      expect(c.id).toBe(287231 + i);
      expect(c.contacts.map((k) => k.id)).toEqual([365800 + i]);
    });
  });

  it('makes generated ids grow with createdAt', () => {
    for (let i = 1; i < generated.length; i++) {
      const prev = generated[i - 1]!;
      const cur = generated[i]!;
      expect(cur.id).toBeGreaterThan(prev.id);
      expect(Date.parse(cur.createdAt)).toBeGreaterThanOrEqual(Date.parse(prev.createdAt));
    }
  });

  it('creates generated customers between 2024-01-01 and 2025-12-31 IST, with milliseconds', () => {
    const from = parseVendorDateTime('2024-01-01', 'start')!;
    const to = parseVendorDateTime('2025-12-31', 'end')!;
    for (const c of generated) {
      expect(c.createdAt).toMatch(ISO_MS);
      const t = Date.parse(c.createdAt);
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThanOrEqual(to);
    }
    // Milliseconds are drawn, not always .000; the range is used, not a single day.
    expect(generated.some((c) => !c.createdAt.endsWith('.000Z'))).toBe(true);
    expect(generated[0]!.createdAt.slice(0, 4)).not.toBe(generated.at(-1)!.createdAt.slice(0, 4));
  });

  it('sets counters to the next free ids, above every used one', () => {
    const maxCustomer = Math.max(...data.customers.map((c) => c.id));
    const maxContact = Math.max(...data.customers.flatMap((c) => c.contacts.map((k) => k.id)));
    expect(data.counters).toStrictEqual({ customerId: maxCustomer + 1, contactId: maxContact + 1 });
    expect(data.counters).toStrictEqual({ customerId: 287231 + N, contactId: 365800 + N });
  });

  it('sets counters above the samples when no customer is generated', () => {
    const empty = seedData({ seed: 1, customers: 0 });
    expect(empty.customers.map((c) => c.id)).toEqual(SAMPLE_IDS);
    expect(empty.counters).toStrictEqual({ customerId: 287231, contactId: 365800 });
  });

  it('gives each generated customer Indian address fields and one primary contact like it', () => {
    for (const c of generated) {
      expect(c.cmId).toBe(396);
      expect(c.name).toMatch(/^\S+( \S+)+$/);
      expect(c.country).toBe('India');
      expect(c.pinCode).toMatch(/^[1-9]\d{5}$/);
      for (const f of [c.address, c.city, c.state]) expect(f).toMatch(/\S/);
      expect([undefined, 't', 'c']).toContain(c.customerType);
      expect(c.contacts).toHaveLength(1);
      const k = c.contacts[0]!;
      expect(k.isPrimaryContact).toBe(true);
      expect(k.contactPerson).toBe(c.name);
      expect(k.createdAt).toBe(c.createdAt);
      expect([' ', 'Male', 'Female']).toContain(k.gender);
      expect(k.maritalStatus).toBe(' ');
    }
  });

  it('gives 10-digit Indian mobiles starting with 6-9', () => {
    for (const c of generated) expect(c.contacts[0]!.phone).toMatch(/^[6-9]\d{9}$/);
    const firstDigits = new Set(generated.map((c) => c.contacts[0]!.phone[0]));
    expect([...firstDigits].sort()).toEqual(['6', '7', '8', '9']);
  });

  it('gives lower-case ASCII emails made from the name', () => {
    for (const c of generated) {
      const email = c.contacts[0]!.email;
      expect(email).toMatch(/^[a-z0-9](?:[a-z0-9._+-]*[a-z0-9])?@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/);
      const local = email.split('@')[0]!;
      const words = c.name.toLowerCase().split(' ').map((w) => w.replace(/[^a-z0-9]/g, ''));
      expect(words.some((w) => w.length > 0 && local.includes(w))).toBe(true);
    }
  });

  it('varies what it draws', () => {
    const distinct = (f: (c: CustomerRecord) => unknown) => new Set(generated.map(f)).size;
    expect(distinct((c) => c.name)).toBeGreaterThan(N / 2);
    expect(distinct((c) => c.contacts[0]!.phone)).toBe(N);
    expect(distinct((c) => c.state)).toBeGreaterThan(10);
    expect(distinct((c) => c.customerType)).toBe(3); // 't', 'c' and absent
    expect(distinct((c) => c.contacts[0]!.gender)).toBe(3);
  });

  it('puts generated customers on the requested tenant, leaving samples and keys on 396', () => {
    const other = seedData({ seed: 20160429, customers: 20, tenant: 1234 });
    expect(other.customers.slice(0, 3).map((c) => c.cmId)).toEqual([396, 396, 396]);
    expect(other.customers.slice(3).every((c) => c.cmId === 1234)).toBe(true);
    expect(other.keys.every((k) => k.tenant === 396)).toBe(true);
    // The tenant changes nothing else.
    const strip = (d: StoreData) => d.customers.slice(3).map(({ cmId: _cmId, ...rest }) => rest);
    expect(strip(other)).toStrictEqual(strip(seedData({ seed: 20160429, customers: 20 })));
  });

  it.each([
    [{ seed: 1.5, customers: 1 }],
    [{ seed: Number.NaN, customers: 1 }],
    [{ seed: 1, customers: -1 }],
    [{ seed: 1, customers: 2.5 }],
    [{ seed: 1, customers: 1, tenant: 0 }],
  ])('rejects %j', (options) => {
    expect(() => seedData(options)).toThrow(RangeError);
  });

  // Seeding speed is a benchmark figure (npm run bench), never a timed unit test.
  it('generates 100,000 customers with distinct ids', () => {
    const big = seedData({ seed: 42, customers: 100_000 });
    expect(big.customers).toHaveLength(100_003);
    expect(new Set(big.customers.map((c) => c.id)).size).toBe(100_003);
  }, 60_000);
});
