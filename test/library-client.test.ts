import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlClient, startSandbox, type Sandbox } from '../src/index.js';

// A stand-in for the code a consumer tests: a Kapture client that retries ServerFailure.
async function searchWithRetry(baseUrl: string, customerId: string, attempts = 3): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${baseUrl}/search-customer-by-customer-id.html`, {
      method: 'POST',
      headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer_id: customerId }),
    });
    const body = (await response.json()) as { Status?: string };
    if (response.status !== 500 || attempt === attempts) return body;
  }
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true });
});
afterAll(() => sandbox.close());

describe('the library: a typed control client on the sandbox object', () => {
  it('"my client retried twice after ServerFailure", in a few lines', async () => {
    await sandbox.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', times: 2 });
    const result = await searchWithRetry(sandbox.url, '272930');
    expect(result).toMatchObject({ status: 'success' });
    const searches = await sandbox.journal.list({ operation: 'searchCustomer' });
    expect(searches.map((e) => e.error ?? 'ok')).toEqual(['ServerFailure', 'ServerFailure', 'ok']);
  });

  it('reports a control error as an exception saying what failed', async () => {
    await expect(sandbox.faults.remove('rule-404')).rejects.toThrow(/DELETE \/faults\/rule-404 failed with HTTP 404: no fault rule "rule-404"/);
    await expect(sandbox.snapshots.save('bad name')).rejects.toThrow(/HTTP 400/);
  });

  it('controlClient() drives any sandbox by URL, with its admin token', async () => {
    const locked = await startSandbox({ port: 0, inMemory: true, adminToken: 'tok' });
    try {
      await expect(controlClient(locked.url).health()).rejects.toThrow(/HTTP 401/);
      const client = controlClient(locked.url, { adminToken: 'tok' });
      expect((await client.health()).status).toBe('ok');
      // The sandbox object carries the token it was started with.
      expect((await locked.keys.list()).length).toBe(3);
    } finally {
      await locked.close();
    }
  });
});
