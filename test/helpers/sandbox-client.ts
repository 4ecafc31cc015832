import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/index.js';
import { post, request, VENDOR, type Answer } from './http.js';

export type { Answer };

export const PATHS = {
  addOrUpdate: VENDOR.add,
  select: VENDOR.select,
  search: VENDOR.search,
  addContacts: VENDOR.contacts,
} as const;

/** A pinned clock: 2026-11-29 12:00:00 IST. */
export const FIXED_NOW = new Date('2026-11-29T06:30:00.000Z');

/** A throwaway in-memory sandbox on a free port, with a pinned clock unless told otherwise. */
export function testSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, inMemory: true, seed: 1, customers: 5, now: () => FIXED_NOW, ...options });
}

/** POSTs a vendor request; `body` is sent as is when a string, as JSON otherwise. */
export function vendor(
  sandbox: Sandbox,
  path: string,
  body: unknown,
  { key = 'sandbox-key', headers = {} }: { key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return post(sandbox.url, path, body, { key, headers, raw: typeof body === 'string' });
}

export function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<Answer> {
  return request(sandbox.url, `/__sandbox${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

/** Searches one customer and returns it (the first of `message`), or the failure body. */
export async function searchOne(sandbox: Sandbox, id: number | string, key = 'sandbox-key'): Promise<any> {
  const found = await vendor(sandbox, PATHS.search, { customer_id: String(id) }, { key });
  return found.json.message?.[0] ?? found.json;
}
