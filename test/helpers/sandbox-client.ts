import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/index.js';

export const PATHS = {
  addOrUpdate: '/add-update-customer-from-other-source.html',
  select: '/select-customer-between-start-and-end-dates.html',
  search: '/search-customer-by-customer-id.html',
  addContacts: '/add-more-contacts-for-existing-customer.html',
} as const;

/** A pinned clock: 2026-11-29 12:00:00 IST. */
export const FIXED_NOW = new Date('2026-11-29T06:30:00.000Z');

export type Answer = { status: number; headers: Headers; json: any; text: string };

/** A throwaway in-memory sandbox on a free port, with a pinned clock unless told otherwise. */
export function testSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, inMemory: true, seed: 1, customers: 5, now: () => FIXED_NOW, ...options });
}

/** POSTs a vendor request; `body` is sent as is when a string, as JSON otherwise. */
export async function vendor(
  sandbox: Sandbox,
  path: string,
  body: unknown,
  { key = 'sandbox-key', headers = {} }: { key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(sandbox.url + path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(key === null ? {} : { Authorization: `Basic ${key}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return answer(response);
}

export async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return answer(response);
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Searches one customer and returns it (the first of `message`), or the failure body. */
export async function searchOne(sandbox: Sandbox, id: number | string, key = 'sandbox-key'): Promise<any> {
  const found = await vendor(sandbox, PATHS.search, { customer_id: String(id) }, { key });
  return found.json.message?.[0] ?? found.json;
}
