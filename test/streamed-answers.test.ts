import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { STREAM_ABOVE_CUSTOMERS } from '../src/vendor/answers.js';
import { specValidator } from '../src/validation/ajv.js';
import { PATHS, searchOne, testSandbox, vendor } from './helpers/sandbox-client.js';

// More customers than an assembled answer may hold: a select of everything is streamed.
const CUSTOMERS = 3 * STREAM_ABOVE_CUSTOMERS;
const EVERYTHING = { start_date: '2000-01-01', end_date: '2030-12-31' };

let sandbox: Sandbox;
let total: number;
beforeAll(async () => {
  sandbox = await testSandbox({ customers: CUSTOMERS });
  total = (await sandbox.health()).customers;
});
afterAll(() => sandbox.close());

describe('answers too large to assemble are streamed', () => {
  it('a select of every customer answers all of them, in creation order, as chunked JSON', async () => {
    const answer = await vendor(sandbox, PATHS.select, EVERYTHING);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-length')).toBeNull();
    expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const { message, status } = answer.json as { message: Array<{ id: number; createdDate: unknown }>; status: string };
    expect(status).toBe('success');
    expect(message).toHaveLength(total);
    expect(new Set(message.map((c) => c.id)).size).toBe(total);
    // Each item is the customer as search answers it, byte for byte in its JSON.
    for (const index of [0, 1, STREAM_ABOVE_CUSTOMERS, total - 1]) {
      const customer = message[index]!;
      expect(specValidator('Customer')(customer)).toBe(true);
      expect(JSON.stringify(customer)).toBe(JSON.stringify(await searchOne(sandbox, customer.id)));
    }
  });

  it('a list at the threshold is still one assembled answer with a Content-Length', async () => {
    const all = (await vendor(sandbox, PATHS.select, EVERYTHING)).json.message as Array<{ id: number }>;
    const ids = all.slice(0, STREAM_ABOVE_CUSTOMERS).map((c) => ({ customer_id: String(c.id) }));
    const answer = await vendor(sandbox, PATHS.search, ids);
    expect(answer.status).toBe(200);
    expect(Number(answer.headers.get('content-length'))).toBe(answer.bytes.length);
    expect(answer.json.message).toHaveLength(STREAM_ABOVE_CUSTOMERS);
  });

  it('the journal keeps a preview of a streamed answer and its size', async () => {
    const answer = await vendor(sandbox, PATHS.select, EVERYTHING);
    const [entry] = await sandbox.journal.list({ limit: 1 });
    expect(entry!.response).toEqual({ status: 200, body: { truncated: true, bytes: answer.bytes.length, preview: expect.stringMatching(/^\{"message":\[\{"id":/) } });
  });

  it('a client that goes away mid-answer stops the stream; the sandbox goes on answering', async () => {
    const full = (await vendor(sandbox, PATHS.select, EVERYTHING)).bytes.length;
    const before = (await sandbox.journal.list({ limit: 1 }))[0]!.id;
    const body = JSON.stringify(EVERYTHING);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        `${sandbox.url}${PATHS.select}`,
        { method: 'POST', headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error) => (error.message.includes('socket hang up') || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error)));
      req.end(body);
    });
    // The journal entry is written once the stream stopped.
    let entry;
    for (let i = 0; i < 250 && !entry; i++) {
      entry = (await sandbox.journal.list({ operation: 'selectCustomers' })).find((e) => e.id > before);
      if (!entry) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(entry, 'a journal entry for the abandoned select, with fewer bytes than the whole answer').toBeDefined();
    expect((entry!.response!.body as { bytes: number }).bytes).toBeLessThan(full);
    expect((await searchOne(sandbox, 272930)).id).toBe(272930);
  });
});
