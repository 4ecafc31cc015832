import { PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { CoverageCounters } from '../src/coverage/counters.js';
import { Journal, type Recorded } from '../src/journal.js';

// Coverage is counted on every vendor request: it must not allocate. Millions of counts that
// allocated even 16 bytes each would fill the young generation several times over and show as
// garbage collections; counts that allocate nothing cause none.

function entries(): Recorded[] {
  const journal = new Journal(4);
  const base = { startedAt: Date.now(), method: 'POST', path: '/search-customer-by-customer-id.html', shape: 'document' as const, contentType: 'application/json', requestBody: Buffer.from('{}'), durationMs: 1 };
  journal.record({ ...base, operation: 'searchCustomer', tenant: 396, response: { status: 200, body: Buffer.from('{}') }, faults: [], warnings: [] }, 'sandbox-key');
  journal.record(
    { ...base, operation: 'addCustomer', tenant: 1001, response: { status: 200, body: Buffer.from('{}') }, error: 'APIExpired', faults: ['rule-1:APIExpired+latency=5'], warnings: ['unknown field "x" ignored'] },
    'other-key',
  );
  journal.record({ ...base, operation: 'addContacts', faults: ['header:connection=reset'], warnings: [] }, undefined);
  return journal.entries();
}

async function collectionsDuring(work: () => void): Promise<number> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  work();
  // gc entries are delivered after the synchronous work, on a later turn.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return collections;
}

describe('coverage counting on the vendor path', () => {
  it('allocates nothing per request: millions of counts cause no garbage collection', async () => {
    const counters = new CoverageCounters();
    const [plain, faulted, cut] = entries() as [Recorded, Recorded, Recorded];
    // Warm up (and allocate each tenant's counters once) before measuring.
    for (let i = 0; i < 100_000; i++) {
      counters.count(plain);
      counters.count(faulted);
      counters.count(cut);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rounds = 2_000_000;
    const collections = await collectionsDuring(() => {
      for (let i = 0; i < rounds; i++) {
        counters.count(plain);
        counters.count(faulted);
        counters.count(cut);
      }
    });
    expect(collections).toBeLessThanOrEqual(1);
    const read = counters.read();
    expect(read.searchCustomer.success).toBe(rounds + 100_000);
    expect(read.addCustomer.errors.APIExpired.injected).toBe(rounds + 100_000);
    expect(read.addContacts.connection.reset).toBe(rounds + 100_000);
  });

  it('the same loop with an allocation per count does collect (the measurement can fail)', async () => {
    const kept: unknown[] = [];
    const collections = await collectionsDuring(() => {
      for (let i = 0; i < 2_000_000; i++) kept[i % 8] = { i, label: `n${i}` };
    });
    expect(collections).toBeGreaterThan(1);
  });
});
