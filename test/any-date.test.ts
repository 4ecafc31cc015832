import { describe, expect, it } from 'vitest';
import { contractSuite } from '../contracts/index.js';
import { runContract } from '../src/contract/runner.js';
import { describeTarget, probeSandbox } from '../src/contract/target.js';
import { startSandbox } from '../src/index.js';
import { BROKEN, startProxy } from './helpers/broken-sandbox.js';
import { post, VENDOR } from './helpers/http.js';

// The date-sensitive parts of the product (creation times, Gson and Calendar dates, select ranges,
// the contract suite's "created today" checks) at the dates that broke or could break them: a
// December day (month 11, the last 0-based month), 23:55 IST on 31 December, one second before the
// new year in IST (the run crosses it), and 29 February. The clock runs from the pinned instant, as
// a real one would. `npm run test:any-date` runs the whole suite under a shifted system clock too.

const INSTANTS: Array<[string, string]> = [
  ['a December day', '2026-12-15T06:30:00.000Z'],
  ['23:55 IST on 31 December', '2026-12-31T18:25:00.000Z'],
  ['a second before the new year in IST', '2026-12-31T18:29:59.000Z'],
  ['29 February', '2028-02-29T06:30:00.000Z'],
];

function runningFrom(iso: string): () => Date {
  const start = Date.parse(iso);
  const origin = Date.now();
  return () => new Date(start + (Date.now() - origin));
}

describe.each(INSTANTS)('at %s (%s)', (_label, iso) => {
  it('the whole contract suite passes against the sandbox', async () => {
    const now = runningFrom(iso);
    const sandbox = await startSandbox({ port: 0, inMemory: true, customers: 10, now });
    try {
      const target = describeTarget({ baseUrl: sandbox.url, probe: await probeSandbox(sandbox.url), keys: {}, allowWrites: false, stateless: false });
      const report = await runContract({ suite: contractSuite, target, now, consistencyTimeoutMs: 1_000 });
      expect(report.results.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('a customer added now is found by a select of today, in IST, and its Calendar month is 0-based', async () => {
    const now = runningFrom(iso);
    const sandbox = await startSandbox({ port: 0, inMemory: true, customers: 0, now });
    try {
      const added = await post(sandbox.url, VENDOR.add, { name: 'Any Date', phone: '9876500009', email: 'any@example.in' });
      const at = now();
      const ist = new Date(at.getTime() + 5.5 * 3_600_000);
      const day = ist.toISOString().slice(0, 10);
      const found = await post(sandbox.url, VENDOR.select, { start_date: day, end_date: day });
      const customer = found.json.message.find((c: { id: number }) => String(c.id) === added.json['Kapture Customer Id']);
      // The add and the select may straddle midnight IST: then the add belongs to the day before.
      if (customer) expect(customer.contacts[0].generationDate.month).toBe(ist.getUTCMonth());
      else expect(ist.getUTCHours() * 60 + ist.getUTCMinutes()).toBeLessThan(1);
    } finally {
      await sandbox.close();
    }
  });

  it('a 1-based Calendar month still fails only the checks that cover it', async () => {
    const now = runningFrom(iso);
    const sandbox = await startSandbox({ port: 0, inMemory: true, customers: 5, now });
    const proxy = await startProxy(sandbox.url, BROKEN.oneBasedMonth);
    try {
      await post(sandbox.url, VENDOR.add, { name: 'Broken Month', phone: '9876500010', email: 'month@example.in' });
      const target = describeTarget({ baseUrl: proxy.url, probe: await probeSandbox(proxy.url), keys: {}, allowWrites: false, stateless: false });
      const report = await runContract({ suite: contractSuite, target, now, consistencyTimeoutMs: 300, skip: ['faults'] });
      const failed = report.results.filter((r) => r.status === 'failed');
      expect(failed.map((r) => r.id)).toContain('dates.calendar-month');
      for (const result of failed) expect(result.message, result.id).toMatch(/month is off by one|read 1-based|`month` is 0-based/);
    } finally {
      await proxy.close();
      await sandbox.close();
    }
  });
});
