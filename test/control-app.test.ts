import type express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { controlApp } from './helpers/control-app.js';

// The control surface in-process: supertest drives the Express app object over fresh state per
// test, no sandbox started. Tables of requests: the status, and a JSON body every time, an
// `{"error"}` naming the problem on a refusal, never an HTML page.

type Case = {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** An object is sent as JSON; a string is sent as is, as application/json. */
  body?: object | string;
  headers?: Record<string, string>;
  status: number;
  /** What the `error` of a refusal says. */
  error?: RegExp;
  /** What the body holds, where it is not an `{"error"}`. */
  answer?: object;
};

function send(app: express.Express, { method, url, body, headers = {} }: Case): request.Test {
  let test = method === 'GET' ? request(app).get(url) : method === 'POST' ? request(app).post(url) : request(app).delete(url);
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  if (typeof body === 'string') return test.set('Content-Type', 'application/json').send(body);
  return body === undefined ? test : test.send(body);
}

async function expectAnswer(app: express.Express, sent: Case): Promise<request.Response> {
  const response = await send(app, sent);
  expect(response.status, response.text).toBe(sent.status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  if (sent.error) expect(response.body.error).toMatch(sent.error);
  if (sent.answer) expect(response.body).toMatchObject(sent.answer);
  else if (sent.status >= 400 && sent.url.startsWith('/__sandbox')) expect(response.body).toHaveProperty('error');
  return response;
}

const name = (c: Case) => `${c.method} ${c.url}${c.body === undefined ? '' : ` ${typeof c.body === 'string' ? c.body.slice(0, 40) : JSON.stringify(c.body)}`}${c.headers ? ` ${JSON.stringify(c.headers)}` : ''} -> ${c.status}`;

const ROUTES: Case[] = [
  { method: 'GET', url: '/__sandbox/health', status: 200 },
  { method: 'GET', url: '/__sandbox/openapi.json', status: 200 },
  { method: 'GET', url: '/__sandbox/profiles', status: 200 },
  { method: 'GET', url: '/__sandbox/profile.schema.json', status: 200 },
  { method: 'POST', url: '/__sandbox/reset', body: {}, status: 200 },
  { method: 'POST', url: '/__sandbox/reset', body: { tenant: 396 }, status: 200 },
  { method: 'POST', url: '/__sandbox/reset', body: { tenant: 0 }, status: 400, error: /tenant/ },
  { method: 'GET', url: '/__sandbox/keys', status: 200 },
  { method: 'POST', url: '/__sandbox/keys', body: { key: 'qa-key', tenant: 777 }, status: 201 },
  { method: 'POST', url: '/__sandbox/keys', body: { tenant: 1 }, status: 400, error: /must have required property/ },
  { method: 'POST', url: '/__sandbox/keys', body: { key: 'x', tenant: 1, profile: { name: 'broken' } }, status: 400, error: /not a valid answer profile/ },
  { method: 'POST', url: '/__sandbox/keys', body: '{oops', status: 400, error: /not valid JSON/ },
  { method: 'POST', url: '/__sandbox/keys', body: JSON.stringify({ key: 'big', tenant: 1, name: 'x'.repeat(1_100_000) }), status: 413, error: /larger than 1 MiB/ },
  { method: 'DELETE', url: '/__sandbox/keys/search-only-key', status: 200 },
  { method: 'DELETE', url: '/__sandbox/keys/nope', status: 404, error: /no key "nope"/ },
  { method: 'GET', url: '/__sandbox/faults', status: 200 },
  { method: 'POST', url: '/__sandbox/faults', body: { operation: 'searchCustomer', error: 'ServerFailure', times: 1 }, status: 201 },
  { method: 'POST', url: '/__sandbox/faults', body: { operation: 'searchCustomer' }, status: 400 },
  { method: 'DELETE', url: '/__sandbox/faults', status: 200 },
  { method: 'DELETE', url: '/__sandbox/faults/nope', status: 404, error: /no fault rule "nope"/ },
  { method: 'GET', url: '/__sandbox/journal', status: 200 },
  { method: 'GET', url: '/__sandbox/journal?operation=deleteEverything', status: 400, error: /unknown operation/ },
  { method: 'GET', url: '/__sandbox/journal?colour=red', status: 400, error: /unknown journal filter colour/ },
  { method: 'DELETE', url: '/__sandbox/journal', status: 200 },
  { method: 'GET', url: '/__sandbox/snapshots', status: 200 },
  { method: 'POST', url: '/__sandbox/snapshots', body: { name: 'before' }, status: 201 },
  { method: 'POST', url: '/__sandbox/snapshots', body: { name: 'no spaces' }, status: 400 },
  { method: 'POST', url: '/__sandbox/snapshots/nope/restore', status: 404, error: /no snapshot "nope"/ },
  { method: 'POST', url: '/__sandbox/snapshots/bad%20name/restore', status: 400, error: /is invalid/ },
  { method: 'DELETE', url: '/__sandbox/snapshots/nope', status: 404 },
  { method: 'GET', url: '/__sandbox/customers?tenant=396', status: 200 },
  { method: 'GET', url: '/__sandbox/customers?tenant=396&q=Rahul&limit=5', status: 200 },
  { method: 'GET', url: '/__sandbox/customers', status: 400, error: /tenant is required/ },
  { method: 'GET', url: '/__sandbox/customers?tenant=396&colour=red', status: 400, error: /unknown parameter colour/ },
  { method: 'GET', url: '/__sandbox/customers?tenant=396&limit=0', status: 400, error: /limit must be/ },
  { method: 'POST', url: '/__sandbox/tenants', body: {}, status: 201 },
  { method: 'POST', url: '/__sandbox/tenants', body: { seedCustomers: -1 }, status: 400 },
  { method: 'DELETE', url: '/__sandbox/tenants/abc', status: 400, error: /is not a tenant id/ },
  { method: 'DELETE', url: '/__sandbox/tenants/5555', status: 404, error: /nothing to delete/ },
  { method: 'DELETE', url: '/__sandbox/tenants/396', status: 200 },
  { method: 'POST', url: '/__sandbox/verify', body: { operation: 'searchCustomer', atLeast: 1, atMost: 0 }, status: 400, error: /no count can satisfy both/ },
  { method: 'POST', url: '/__sandbox/verify', body: { operation: 'searchCustomer', count: 0 }, status: 200, answer: { ok: true, matched: 0 } },
  // Not satisfied: a 409 with the verify result, not an error.
  { method: 'POST', url: '/__sandbox/verify', body: { operation: 'searchCustomer', atLeast: 1 }, status: 409, answer: { ok: false, matched: 0 } },
  { method: 'GET', url: '/__sandbox/coverage', status: 200 },
  { method: 'GET', url: '/__sandbox/coverage?tenant=x', status: 400 },
  { method: 'GET', url: '/__sandbox/nope', status: 404, error: /no control endpoint GET \/__sandbox\/nope/ },
  { method: 'DELETE', url: '/__sandbox/health', status: 404, error: /no control endpoint DELETE/ },
  { method: 'GET', url: '/__sandbox/console/nope.js', status: 404, error: /no console file/ },
  { method: 'GET', url: '/nope', status: 404 },
  // Scoped to one tenant by X-Sandbox-Tenant.
  { method: 'GET', url: '/__sandbox/keys', headers: { 'X-Sandbox-Tenant': 'abc' }, status: 400, error: /X-Sandbox-Tenant must be one tenant id/ },
  { method: 'POST', url: '/__sandbox/snapshots', body: { name: 'scoped' }, headers: { 'X-Sandbox-Tenant': '396' }, status: 400, error: /acts on the whole sandbox/ },
  { method: 'POST', url: '/__sandbox/tenants', body: {}, headers: { 'X-Sandbox-Tenant': '396' }, status: 400, error: /acts on the whole sandbox/ },
  { method: 'POST', url: '/__sandbox/keys', body: { key: 'k', tenant: 777 }, headers: { 'X-Sandbox-Tenant': '396' }, status: 400, error: /scoped to tenant 396/ },
  { method: 'DELETE', url: '/__sandbox/keys/sandbox-key', headers: { 'X-Sandbox-Tenant': '777' }, status: 404 },
];

describe('the control routes', () => {
  let app: express.Express;
  beforeEach(async () => {
    ({ app } = await controlApp());
  });

  it.each(ROUTES.map((c) => [name(c), c] as const))('%s', async (_name, sent) => {
    await expectAnswer(app, sent);
  });

  it('any other URL is the vendor-shaped JSON 404, naming the vendor URLs', async () => {
    const response = await expectAnswer(app, { method: 'POST', url: '/add-customer.html', status: 404 });
    expect(response.body).toEqual({ Message: expect.stringContaining('No such URL: POST /add-customer.html'), Status: 'Fail' });
  });

  it('a refused write changes nothing; an accepted one is what a read answers next', async () => {
    const before = (await request(app).get('/__sandbox/keys')).body;
    await expectAnswer(app, { method: 'POST', url: '/__sandbox/keys', body: { key: 'has space', tenant: 1 }, status: 400 });
    expect((await request(app).get('/__sandbox/keys')).body).toEqual(before);
    await expectAnswer(app, { method: 'POST', url: '/__sandbox/keys', body: { key: 'qa-key', tenant: 777 }, status: 201 });
    expect((await request(app).get('/__sandbox/health')).body.tenants).toEqual([396, 777]);
  });
});

describe('the admin token', () => {
  const TOKEN = 'secret-admin-token';
  let app: express.Express;
  beforeEach(async () => {
    ({ app } = await controlApp({ adminToken: TOKEN }));
  });

  const REFUSED = /requires its admin token: send it in the X-Sandbox-Admin-Token header/;
  const CASES: Case[] = [
    { method: 'GET', url: '/__sandbox/health', status: 401, error: REFUSED },
    { method: 'GET', url: '/__sandbox/keys', headers: { 'X-Sandbox-Admin-Token': 'wrong' }, status: 401, error: REFUSED },
    { method: 'GET', url: '/__sandbox/keys', headers: { 'X-Sandbox-Admin-Token': `${TOKEN}x` }, status: 401, error: REFUSED },
    { method: 'POST', url: '/__sandbox/reset', body: {}, status: 401, error: REFUSED },
    { method: 'DELETE', url: '/__sandbox/keys/sandbox-key', status: 401, error: REFUSED },
    // Refused before the body is read, and before an unknown endpoint is named.
    { method: 'POST', url: '/__sandbox/keys', body: '{oops', status: 401, error: REFUSED },
    { method: 'GET', url: '/__sandbox/nope', status: 401, error: REFUSED },
    { method: 'GET', url: '/__sandbox/health', headers: { 'X-Sandbox-Admin-Token': TOKEN }, status: 200 },
    { method: 'DELETE', url: '/__sandbox/keys/sandbox-key', headers: { 'X-Sandbox-Admin-Token': TOKEN }, status: 200 },
  ];

  it.each(CASES.map((c) => [name(c), c] as const))('%s', async (_name, sent) => {
    await expectAnswer(app, sent);
  });

  it('a refused write changes nothing', async () => {
    await expectAnswer(app, { method: 'DELETE', url: '/__sandbox/keys/sandbox-key', status: 401 });
    const keys = await request(app).get('/__sandbox/keys').set('X-Sandbox-Admin-Token', TOKEN);
    expect(keys.body.keys.map((k: { key: string }) => k.key)).toContain('sandbox-key');
  });

  it('the console page loads without it (a browser opening a page cannot send a header)', async () => {
    const page = await request(app).get('/__sandbox/console');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('same origin: requests not addressed to this sandbox are refused', () => {
  let app: express.Express;
  beforeEach(async () => {
    ({ app } = await controlApp());
  });

  const CASES: Case[] = [
    // DNS rebinding: another site's name resolving to 127.0.0.1.
    { method: 'GET', url: '/__sandbox/health', headers: { Host: 'attacker.example' }, status: 403, error: /the Host header "attacker.example" does not name this sandbox/ },
    { method: 'POST', url: '/__sandbox/reset', body: {}, headers: { Host: 'attacker.example:4010' }, status: 403, error: /does not name this sandbox/ },
    { method: 'GET', url: '/__sandbox/console', headers: { Host: 'attacker.example' }, status: 403 },
    // A page of another site posting here.
    { method: 'POST', url: '/__sandbox/reset', body: {}, headers: { Origin: 'http://attacker.example' }, status: 403, error: /a write from another origin \(http:\/\/attacker.example\)/ },
    { method: 'DELETE', url: '/__sandbox/keys/sandbox-key', headers: { Origin: 'null' }, status: 403, error: /another origin/ },
    // Reads from another origin change nothing: the browser keeps their answers from the page.
    { method: 'GET', url: '/__sandbox/health', headers: { Origin: 'http://attacker.example' }, status: 200 },
  ];

  it.each(CASES.map((c) => [name(c), c] as const))('%s', async (_name, sent) => {
    await expectAnswer(app, sent);
  });

  it('a refused write changes nothing', async () => {
    await expectAnswer(app, { method: 'DELETE', url: '/__sandbox/keys/sandbox-key', headers: { Origin: 'http://attacker.example' }, status: 403 });
    expect((await request(app).get('/__sandbox/keys')).body.keys.map((k: { key: string }) => k.key)).toContain('sandbox-key');
  });
});
