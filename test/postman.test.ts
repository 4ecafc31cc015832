import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCollection, COLLECTION_PATH, collectionText } from '../postman/generate.js';
import { startSandbox, type Sandbox } from '../src/index.js';
import { loadSpec } from '../src/spec.js';

const run = promisify(execFile);
const NEWMAN = fileURLToPath(new URL('../node_modules/newman/bin/newman.js', import.meta.url));
const shipped = JSON.parse(readFileSync(COLLECTION_PATH, 'utf8'));

type NewmanReport = { run: { executions: { item: { name: string }; response: { code: number }; assertions: { assertion: string; error?: unknown }[] }[]; failures: unknown[] } };

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, inMemory: true });
  dir = mkdtempSync(join(tmpdir(), 'kapture-newman-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the shipped collection with newman, the base URL (and any other variable) overridden as environment variables. */
async function newman(variables: Record<string, string>): Promise<{ code: number; report: NewmanReport }> {
  const out = join(dir, `report-${Object.values(variables).join('-').replace(/\W/g, '_')}.json`);
  const args = [NEWMAN, 'run', COLLECTION_PATH, '--reporters', 'json', '--reporter-json-export', out, '--timeout-request', '10000'];
  for (const [name, value] of Object.entries(variables)) args.push('--env-var', `${name}=${value}`);
  const code = await run(process.execPath, args, { timeout: 60_000 }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  return { code, report: JSON.parse(readFileSync(out, 'utf8')) as NewmanReport };
}

/** The five operations on the document's shapes, then the examples of today's shapes. */
const NAMES = ['addCustomer', 'updateCustomer', 'selectCustomers', 'searchCustomer', 'addContacts', 'selectCustomers (pull)', 'searchCustomer (getByPhone)', 'addCustomer (add)'] as const;

describe('the Postman collection', () => {
  it('is what npm run postman generates from the spec (run it after changing the spec)', () => {
    expect(readFileSync(COLLECTION_PATH, 'utf8')).toBe(collectionText());
  });

  it('has one request per vendor operation, add and update apart, with the spec samples as bodies, then today\'s shapes', () => {
    expect(shipped.item.map((item: { name: string }) => item.name)).toEqual([...NAMES]);
    const spec = loadSpec() as unknown as { paths: Record<string, { post: { requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> } } }> };
    const examples = (path: string) => spec.paths[path]!.post.requestBody.content['application/json']!.examples;
    const bodies = shipped.item.map((item: { request: { body: { raw: string } } }) => JSON.parse(item.request.body.raw));
    const add = examples('/add-update-customer-from-other-source.html');
    expect(bodies).toEqual([
      add.add!.value,
      add.update!.value,
      examples('/select-customer-between-start-and-end-dates.html').sample!.value,
      examples('/search-customer-by-customer-id.html').sample!.value,
      examples('/add-more-contacts-for-existing-customer.html').sample!.value,
      examples('/select-customer-between-start-and-end-dates.html').pull!.value,
      examples('/search-customer-by-customer-id.html').getByPhone!.value,
      examples('/ms/customer/customer/api/v1/add-update').add!.value,
    ]);
  });

  it('sends Authorization: Basic {{apiKey}} with apiKey and baseUrl defined, and the fault header disabled', () => {
    expect(shipped.variable).toEqual([
      { key: 'baseUrl', value: 'http://127.0.0.1:4010' },
      { key: 'apiKey', value: 'sandbox-key' },
    ]);
    for (const item of shipped.item) {
      const headers = item.request.header as { key: string; value: string; disabled?: boolean }[];
      expect(headers.find((h) => h.key === 'Authorization')).toEqual({ key: 'Authorization', value: 'Basic {{apiKey}}' });
      expect(headers.find((h) => h.key === 'X-Sandbox-Fault')?.disabled).toBe(true);
      expect(item.request.url.raw).toMatch(/^\{\{baseUrl\}\}\/([a-z-]+\.html|ms\/customer\/customer\/api\/v1\/add-update)$/);
    }
  });

  it('refuses to build from a spec whose shared URL lacks an example for one of its operations', () => {
    const spec = structuredClone(loadSpec()) as any;
    delete spec.paths['/add-update-customer-from-other-source.html'].post.requestBody.content['application/json'].examples.update;
    expect(() => buildCollection(spec)).toThrow('no request example for updateCustomer');
  });
});

describe('newman run of the collection against a sandbox', () => {
  it('every request answers success', async () => {
    const { code, report } = await newman({ baseUrl: sandbox.url });
    const executions = report.run.executions.map((e) => ({ name: e.item.name, status: e.response.code, failed: e.assertions.filter((a) => a.error).map((a) => a.assertion) }));
    expect(executions).toEqual(NAMES.map((name) => ({ name, status: 200, failed: [] })));
    expect(report.run.executions.every((e) => e.assertions.length === 1)).toBe(true);
    expect(report.run.failures).toEqual([]);
    expect(code).toBe(0);
  }, 90_000);

  // The collection's own checks must be able to fail: with the expired key every answer is APIExpired.
  it('goes red when the answers are failures (the expired key)', async () => {
    const { code, report } = await newman({ baseUrl: sandbox.url, apiKey: 'expired-key' });
    expect(code).not.toBe(0);
    expect(report.run.executions.map((e) => e.assertions.filter((a) => a.error).length)).toEqual(NAMES.map(() => 1));
  }, 90_000);
});
