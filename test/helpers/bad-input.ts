import { afterAll, beforeAll, expect } from 'vitest';
import { startSandbox } from '../../src/index.js';
import { customerCount, post, searchText, VENDOR, type Answer } from './http.js';

/**
 * What the bad-input test files (test/bad-input-*.test.ts) share: each file calls
 * useBadInputSandbox() at its top level and gets its own sandbox on a free port, closed after the
 * file; `url` is that sandbox's address (an ES module live binding, set in beforeAll).
 */

export let url: string;

export function useBadInputSandbox(): void {
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, inMemory: true, seed: 1, customers: 5, now: () => new Date('2026-11-29T06:30:00.000Z') });
    url = sandbox.url;
  });
  afterAll(async () => {
    await sandbox?.close();
  });
}

export const VALID = { name: 'Asha Rao', email: 'asha@example.com', phone: '9876543210' };
export const CONTACT = { customer_id: '272930', name: 'Ravi', email: 'ravi@example.com', phone: '9876500000' };
/** Customers whose search answer must never change in a bad-input test file (no test updates them successfully). */
export const WATCHED = [272930, 286829];
export const MiB = 1024 * 1024;

let serial = 0;
export const unique = (prefix: string) => `${prefix} ${++serial}`;

/** The sandbox still answers a valid search with the right customer. */
export async function expectServing(): Promise<void> {
  const answer = await post(url, VENDOR.search, { customer_id: '287230' });
  expect(answer.status).toBe(200);
  expect(answer.json?.status).toBe('success');
  expect(answer.json.message[0].id).toBe(287230);
}

/**
 * Runs `act` and checks that nothing was stored: the customer count, and the search answers of the
 * watched customers byte for byte; then that the sandbox still serves.
 */
export async function expectNothingStored<T>(act: () => Promise<T>): Promise<T> {
  const count = await customerCount(url);
  const before = await Promise.all(WATCHED.map((id) => searchText(url, id)));
  const result = await act();
  expect(await customerCount(url), 'customer count changed').toBe(count);
  const after = await Promise.all(WATCHED.map((id) => searchText(url, id)));
  WATCHED.forEach((id, index) => expect(after[index], `search answer of ${id} changed`).toBe(before[index]));
  await expectServing();
  return result;
}

/** Runs `act` (a successful add) and checks exactly one customer more is stored. */
export async function expectOneStored(act: () => Promise<Answer>): Promise<Answer> {
  const count = await customerCount(url);
  const answer = await act();
  expect(await customerCount(url)).toBe(count + 1);
  return answer;
}

export const warningsOf = (answer: Answer) => answer.headers.get('x-sandbox-warnings') ?? '';

/** Every column with every row: `[column, ...row]`. */
export function cross<A extends unknown[], B>(rows: A[], columns: readonly B[]): Array<[B, ...A]> {
  return columns.flatMap((column) => rows.map((row): [B, ...A] => [column, ...row]));
}
