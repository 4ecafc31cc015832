import { createServer } from 'node:net';
import { sleep, spawnServer, type Child } from './children.js';
import { post } from './load.js';
import { BIN, PATHS } from './config.js';

/** The sandbox's CLI as a server under test, and the checks a part makes of a server before and after its loads (the peers: peers.ts). */

export function serveSandbox(args: string[], timeoutMs: number, nodeFlags: string[] = []): Promise<Child> {
  return spawnServer({ name: `kapture-sandbox serve ${args.join(' ')}`, args: [BIN, 'serve', '--port', '0', ...args], nodeFlags, timeoutMs });
}

/** ms from spawn until a search was answered with a success. */
export async function firstAnswer(server: Child, body: string): Promise<number> {
  await probeVendor(server.url, PATHS.search, body, 'list');
  return performance.now() - server.spawnedAt;
}

/** One request: the answer must be the success we mean to measure, not a vendor failure (which is HTTP 200 too). */
export async function probeVendor(url: string, path: string, body: string, expect: 'list' | 'added'): Promise<void> {
  const answer = await post(url, path, body, 60_000);
  const error = answer.headers.get('x-sandbox-error');
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    // reported below
  }
  const ok = expect === 'list' ? json.status === 'success' && Array.isArray(json.message) && json.message.length > 0 : json.Status === 'Success';
  if (answer.status !== 200 || error || !ok) {
    throw new Error(`probe ${path} ${body}: HTTP ${answer.status}${error ? `, X-Sandbox-Error ${error}` : ''}: ${answer.text.slice(0, 300)}`);
  }
}

/**
 * Waits until the server is idle again: the previous load's leftovers (requests autocannon sent
 * before it stopped, a major GC) can stall it for a few hundred ms, which would land in the next
 * measurement. Idle = three health answers in a row within 20 ms (at most 30 s). Any HTTP answer
 * counts, so it works for servers without the control surface (the baseline, Prism).
 */
export async function settle(url: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  let quick = 0;
  while (quick < 3 && performance.now() < deadline) {
    const t = performance.now();
    const answered = await fetch(`${url}/__sandbox/health`, { signal: AbortSignal.timeout(5_000) }).then(
      async (response) => {
        await response.body?.cancel();
        return true;
      },
      () => false,
    );
    quick = answered && performance.now() - t < 20 ? quick + 1 : 0;
    await sleep(100);
  }
}

/** The number of customers the sandbox holds (GET /__sandbox/health), or undefined if it does not say. */
export async function customerCount(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}/__sandbox/health`, { signal: AbortSignal.timeout(60_000) });
    const json = (await response.json()) as { customers?: unknown };
    return typeof json.customers === 'number' ? json.customers : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the work a load queued has run (the server may still process requests autocannon
 * sent before it stopped): the customer count is polled until it stays the same twice in a row.
 * Then checks that the store grew by at least the number of adds answered 2xx: a "Success" that
 * stored nothing would make the add figures meaningless.
 */
export async function drainAndVerify(url: string, before: number | undefined, added: number, label: string): Promise<number | undefined> {
  const deadline = performance.now() + 120_000;
  let last = await customerCount(url);
  for (;;) {
    await sleep(250);
    const now = await customerCount(url);
    if (now === last) break;
    last = now;
    if (performance.now() > deadline) throw new Error(`${label}: the store was still changing 120 s after the load`);
  }
  if (before !== undefined && last !== undefined && last - before < added) {
    throw new Error(`${label}: ${added} adds were answered 2xx but the store grew by ${last - before} customers`);
  }
  return last;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
