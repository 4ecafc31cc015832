import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { specValidator } from '../src/validation/ajv.js';
import { control, PATHS, testSandbox, vendor } from './helpers/sandbox-client.js';

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/** A request with headers fetch will not forge (Host), sent to the sandbox's own address. */
function raw(sandbox: Sandbox, method: string, path: string, headers: Record<string, string>, body?: string, address = '127.0.0.1'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: address, port: sandbox.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let sandbox: Sandbox;
let own: string;
beforeAll(async () => {
  sandbox = await testSandbox();
  own = `127.0.0.1:${sandbox.port}`;
});
afterAll(() => sandbox.close());

describe('the console files', () => {
  it('the page is HTML with a Content-Security-Policy that allows only the sandbox itself', async () => {
    const page = await fetch(`${sandbox.url}/__sandbox/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    for (const heading of ['Scenarios', 'Fault rules', 'Journal', 'Keys', 'Customers', 'Snapshots']) expect(html).toContain(`>${heading}</h2>`);
    // No inline script, nothing from another host.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/__sandbox\/console\/)[^>]*>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves its modules as JavaScript, and no file outside the console folder', async () => {
    const main = await fetch(`${sandbox.url}/__sandbox/console/main.js`);
    expect(main.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await main.text()).toContain('import');
    for (const path of ['/__sandbox/console/nope.js', '/__sandbox/console/..%2Fapp.ts', '/__sandbox/console/%2E%2E%2Fcontrol%2Fapp.ts']) {
      const missing = await fetch(`${sandbox.url}${path}`);
      expect(missing.status, path).toBe(404);
      expect(((await missing.json()) as { error: string }).error).toMatch(/no (console file|control endpoint)/);
    }
  });

  it('no module of the page sets innerHTML or builds markup from text', async () => {
    const page = await (await fetch(`${sandbox.url}/__sandbox/console`)).text();
    const modules = [...page.matchAll(/src="\/__sandbox\/console\/([a-z-]+\.js)"/g)].map((m) => m[1]!);
    expect(modules).toEqual(['main.js']);
    const main = await (await fetch(`${sandbox.url}/__sandbox/console/main.js`)).text();
    const imported = [...main.matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((m) => m[1]!);
    expect(imported.length).toBeGreaterThan(5);
    for (const name of ['main.js', ...imported]) {
      const text = await (await fetch(`${sandbox.url}/__sandbox/console/${name}`)).text();
      expect(text, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    }
  });
});

describe('the control surface refuses what another site could make a browser send', () => {
  it.each(['evil.example', `evil.example:${4010}`, 'rebind.attacker.test:PORT', '127.0.0.1:1', 'localhost'])('Host %s: 403, and the request does nothing', async (forged) => {
    const host = forged.replace('PORT', String(sandbox.port));
    const before = (await control(sandbox, 'GET', '/faults')).json;
    const write = await raw(sandbox, 'POST', '/__sandbox/faults', { Host: host, 'Content-Type': 'application/json' }, '{"error":"ServerFailure"}');
    expect(write.status).toBe(403);
    expect(JSON.parse(write.text).error).toContain('Host header');
    const read = await raw(sandbox, 'GET', '/__sandbox/keys', { Host: host });
    expect(read.status).toBe(403);
    const page = await raw(sandbox, 'GET', '/__sandbox/console', { Host: host });
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toContain('application/json');
    expect((await control(sandbox, 'GET', '/faults')).json).toEqual(before);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST'])('Host %s:PORT is the sandbox', async (name) => {
    const answer = await raw(sandbox, 'GET', '/__sandbox/health', { Host: `${name}:${sandbox.port}` });
    expect(answer.status).toBe(200);
  });

  it('vendor URLs answer whatever the Host and Origin', async () => {
    const answer = await raw(sandbox, 'POST', PATHS.search, { Host: 'evil.example', Origin: 'http://evil.example', Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' }, '{"customer_id":"272930"}');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).status).toBe('success');
  });

  it.each([
    ['POST', '/__sandbox/faults', '{"error":"ServerFailure"}'],
    ['POST', '/__sandbox/reset', '{}'],
    ['DELETE', '/__sandbox/keys/sandbox-key', undefined],
    ['DELETE', '/__sandbox/journal', undefined],
  ])('a cross-origin %s %s is a 403 and changes nothing', async (method, path, body) => {
    const before = [(await control(sandbox, 'GET', '/faults')).json, (await control(sandbox, 'GET', '/keys')).json];
    for (const origin of ['http://evil.example', 'null', `http://localhost:${sandbox.port}`, `https://${own}`]) {
      const answer = await raw(sandbox, method, path, { Host: own, Origin: origin, 'Content-Type': 'application/json' }, body);
      expect(answer.status, origin).toBe(403);
      expect(JSON.parse(answer.text).error).toContain('another origin');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect([(await control(sandbox, 'GET', '/faults')).json, (await control(sandbox, 'GET', '/keys')).json]).toEqual(before);
  });

  it('a write from the sandbox own origin, or with no Origin, works; cross-origin reads get no CORS headers', async () => {
    const same = await raw(sandbox, 'POST', '/__sandbox/faults', { Host: own, Origin: `http://${own}`, 'Content-Type': 'application/json' }, '{"error":"APIExpired","times":1}');
    expect(same.status).toBe(201);
    const plain = await raw(sandbox, 'DELETE', '/__sandbox/faults', { Host: own });
    expect(JSON.parse(plain.text)).toEqual({ deleted: 1 });
    const read = await raw(sandbox, 'GET', '/__sandbox/keys', { Host: own, Origin: 'http://evil.example' });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /__sandbox/customers', () => {
  it.each([
    ['a Kapture id', '272930', [272930]],
    ['a source id (customer_code)', 'SRC-42', 'added'],
    ['part of a phone', '98123', 'added'],
    ['an email, any case', 'QA.FIND@Example.in', 'added'],
  ])('finds a customer by %s, in the vendor shape', async (_what, q, expected) => {
    const added = await vendor(sandbox, PATHS.addOrUpdate, { name: 'Find Me', phone: '9812300001', email: 'qa.find@example.in', customer_code: 'SRC-42' });
    const id = Number(added.json['Kapture Customer Id']);
    const found = await control(sandbox, 'GET', `/customers?tenant=396&q=${encodeURIComponent(q)}`);
    expect(found.status).toBe(200);
    expect(specValidator('CustomerSearchResult')(found.json)).toBe(true);
    const ids = found.json.customers.map((c: { id: number }) => c.id);
    if (expected === 'added') expect(ids).toContain(id);
    else expect(ids).toEqual(expected);
    const searched = await vendor(sandbox, PATHS.search, { customer_id: String(ids[0]) });
    expect(found.json.customers[0]).toEqual(searched.json.message[0]);
  });

  it('without q: the newest customers first, limit honoured, total counts them all', async () => {
    const all = await control(sandbox, 'GET', '/customers?tenant=396&limit=2');
    expect(all.json.customers).toHaveLength(2);
    expect(all.json.total).toBeGreaterThan(2);
    expect(all.json.customers[0].id).toBeGreaterThan(all.json.customers[1].id);
    expect((await control(sandbox, 'GET', '/customers?tenant=999')).json).toEqual({ tenant: 999, total: 0, customers: [] });
  });

  it.each([
    ['', 'tenant is required'],
    ['?tenant=abc', 'tenant is required'],
    ['?tenant=396&limit=0', 'limit must be'],
    ['?tenant=396&name=x', 'unknown parameter name'],
    ['?tenant=396&tenant=397', 'given once'],
  ])('%s is a 400 saying what to send', async (query, message) => {
    const answer = await control(sandbox, 'GET', `/customers${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain(message);
  });
});

describe('with an admin token', () => {
  it('the page and its files load without it; data needs it', async () => {
    const locked = await testSandbox({ adminToken: 's3cret' });
    try {
      expect((await fetch(`${locked.url}/__sandbox/console`)).status).toBe(200);
      expect((await fetch(`${locked.url}/__sandbox/console/api.js`)).status).toBe(200);
      expect((await fetch(`${locked.url}/__sandbox/customers?tenant=396`)).status).toBe(401);
      expect((await fetch(`${locked.url}/__sandbox/customers?tenant=396`, { headers: { 'X-Sandbox-Admin-Token': 's3cret' } })).status).toBe(200);
    } finally {
      await locked.close();
    }
  });
});

describe('a sandbox listening on every interface', () => {
  const ip = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

  it.skipIf(ip === undefined)('answers control requests addressed to the IP a client reached, not to a name it cannot know', async () => {
    const open = await testSandbox({ host: '0.0.0.0', adminToken: 't0ken' });
    try {
      const token = { 'X-Sandbox-Admin-Token': 't0ken' };
      expect((await raw(open, 'GET', '/__sandbox/health', { ...token, Host: `${ip}:${open.port}` }, undefined, ip)).status).toBe(200);
      expect((await raw(open, 'GET', '/__sandbox/health', { ...token, Host: `0.0.0.0:${open.port}` }, undefined, ip)).status).toBe(200);
      expect((await raw(open, 'GET', '/__sandbox/health', { ...token, Host: `qa-box.internal:${open.port}` }, undefined, ip)).status).toBe(403);
    } finally {
      await open.close();
    }
  });
});
