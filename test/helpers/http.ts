import { connect } from 'node:net';
import { expect } from 'vitest';

/** The four vendor URLs. */
export const VENDOR = {
  add: '/add-update-customer-from-other-source.html',
  select: '/select-customer-between-start-and-end-dates.html',
  search: '/search-customer-by-customer-id.html',
  contacts: '/add-more-contacts-for-existing-customer.html',
} as const;

export const VENDOR_PATHS = Object.values(VENDOR);

/** An answer, read once: status, headers, raw bytes, text, and the JSON (undefined when the body is not JSON). */
export type Answer = {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
  json: any;
};

export type PostOptions = {
  /** The key sent as `Authorization: Basic <key>`; default `sandbox-key`; null sends none. */
  key?: string | null;
  /** Extra headers; a null value removes a default (`'content-type': null` sends no Content-Type). */
  headers?: Record<string, string | null>;
  /** Send `body` as is (string, bytes or a stream) instead of JSON.stringify(body). */
  raw?: boolean;
  /** Default POST. */
  method?: string;
};

/** Sends a request to a sandbox URL and reads the whole answer. */
export async function post(url: string, path: string, body: unknown, options: PostOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = options.key === undefined ? 'sandbox-key' : options.key;
  if (key !== null) headers.authorization = `Basic ${key}`;
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  let payload = (options.raw ? body : JSON.stringify(body)) as string | Uint8Array | ReadableStream | undefined;
  // fetch labels a string body text/plain: bytes go out without any Content-Type.
  if (typeof payload === 'string' && headers['content-type'] === undefined) payload = new TextEncoder().encode(payload);
  const init: RequestInit & { duplex?: 'half' } = { method: options.method ?? 'POST', headers, body: payload ?? null };
  if (payload instanceof ReadableStream) init.duplex = 'half';
  return read(await fetch(url + path, init));
}

/** Any request (control surface, unknown URLs). */
export async function request(url: string, path: string, init: RequestInit = {}): Promise<Answer> {
  return read(await fetch(url + path, init));
}

async function read(response: Response): Promise<Answer> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, text, json };
}

/** How many customers the sandbox holds (every tenant), from `GET /__sandbox/health`. */
export async function customerCount(url: string): Promise<number> {
  const answer = await request(url, '/__sandbox/health');
  expect(answer.status).toBe(200);
  return answer.json.customers as number;
}

/** The raw text of the search answer for one customer (to compare byte for byte). */
export async function searchText(url: string, id: number | string, key = 'sandbox-key'): Promise<string> {
  return (await post(url, VENDOR.search, { customer_id: String(id) }, { key })).text;
}

/** The customer object the search answers; fails the test when the search fails. */
export async function searchCustomer(url: string, id: number | string): Promise<Record<string, unknown>> {
  const answer = await post(url, VENDOR.search, { customer_id: String(id) });
  expect(answer.json, answer.text.slice(0, 300)).toMatchObject({ status: 'success' });
  return answer.json.message[0] as Record<string, unknown>;
}

/** Asserts a vendor failure: the status, `{"Message", "Status": "Fail"}` and nothing else, X-Sandbox-Error, JSON. */
export function expectVendorFailure(answer: Answer, code: string, status = 200): string {
  expect(answer.status, answer.text.slice(0, 300)).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/i);
  expect(answer.headers.get('x-sandbox-error')).toBe(code);
  expect(Object.keys(answer.json ?? {}).sort()).toEqual(['Message', 'Status']);
  expect(answer.json.Status).toBe('Fail');
  expect(typeof answer.json.Message).toBe('string');
  return answer.json.Message as string;
}

/** The id of a successful add; fails the test otherwise. */
export function addedId(answer: Answer): string {
  expect(answer.json, `${answer.status} ${answer.text.slice(0, 300)}`).toMatchObject({ Status: 'Success' });
  expect(answer.headers.get('x-sandbox-error')).toBeNull();
  return answer.json['Kapture Customer Id'] as string;
}

/**
 * Writes raw bytes to the sandbox over a plain socket (what fetch cannot send: a wrong
 * Content-Length, an odd method) and collects whatever comes back until the server closes or
 * `waitMs` passes. `end`: half-close after writing (default); `destroy`: drop the connection.
 */
export function rawHttp(url: string, data: string | Buffer, options: { end?: boolean; destroyAfterMs?: number; waitMs?: number } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let out = '';
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    const socket = connect(Number(port), hostname, () => {
      socket.write(data);
      if (options.destroyAfterMs !== undefined) setTimeout(done, options.destroyAfterMs);
      else if (options.end !== false) socket.end();
    });
    const timer = setTimeout(done, options.waitMs ?? 2000);
    socket.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    socket.on('close', done);
    socket.on('error', done);
  });
}
