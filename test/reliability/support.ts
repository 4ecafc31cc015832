import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small seeded PRNG (the fault rules' own): the same seed gives the same kill moments and workload. */
export { seededRandom as randomFrom } from '../../src/faults/random.js';

/** Runs `task` over every item with at most `limit` running at once; answers in item order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A temp directory under os.tmpdir(), removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export type CallResult =
  | { answered: true; status: number; json: any; text: string; detail?: string }
  | { answered: false; error: string };

/** One vendor request with the default key; a request the server never answered is a result, not an exception. */
export async function call(url: string, path: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<CallResult> {
  try {
    const response = await fetch(url + path, {
      method: 'POST',
      headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    // The developer's detail of a failure (X-Sandbox-Error-Detail): what a report needs to say why.
    const detail = response.headers.get('x-sandbox-error-detail') ?? undefined;
    return { answered: true, status: response.status, json, text, ...(detail === undefined ? {} : { detail }) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { answered: false, error: `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}` };
  }
}

/** True for a vendor Success (add and add-contacts say `Status`, update says `status`). */
export function isSuccess(result: CallResult): boolean {
  return result.answered && result.status === 200 && (result.json?.Status === 'Success' || result.json?.status === 'success');
}
