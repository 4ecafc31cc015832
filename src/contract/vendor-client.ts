import type { OperationId } from '../operations/ids.js';
import { operationContract } from './operations.js';

/** One request and its answer, read whole. */
export type Exchange = {
  operation: OperationId;
  /** What was sent, for failure messages (never the key: that travels in a header only). */
  sent: unknown;
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when the body is not JSON. */
  json: unknown;
  elapsedMs: number;
};

export type SendOptions = {
  /** The key, sent as `Authorization: Basic <key>`; null sends none. */
  key: string | null;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Another URL than the operation's document URL (today's add-update URL). */
  path?: string;
};

/** The target did not answer: the connection failed, or no answer came before the timeout. */
export class NoAnswer extends Error {
  constructor(
    readonly operation: OperationId,
    readonly reason: 'timeout' | 'connection',
    detail: string,
  ) {
    super(`${operation}: no answer (${detail})`);
    this.name = 'NoAnswer';
  }
}

/** POSTs a JSON body to the operation's vendor URL and reads the whole answer. */
export async function sendVendor(baseUrl: string, operation: OperationId, body: unknown, options: SendOptions): Promise<Exchange> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.key !== null) headers.authorization = `Basic ${options.key}`;
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await fetch(baseUrl + (options.path ?? operationContract(operation).path), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw noAnswer(operation, error, options.timeoutMs);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { operation, sent: body, status: response.status, headers: response.headers, text, json, elapsedMs: performance.now() - started };
}

function noAnswer(operation: OperationId, error: unknown, timeoutMs: number): NoAnswer {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
    return new NoAnswer(operation, 'timeout', `nothing within ${timeoutMs} ms`);
  }
  const cause = failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error);
  return new NoAnswer(operation, 'connection', `connection failed: ${cause}`);
}
