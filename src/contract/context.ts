import type { ErrorCode } from '../errors.js';
import type { OperationId } from '../operations/ids.js';
import type { SuccessBody } from './answers.js';
import { ContractFailure, fail, skip } from './check.js';
import { FAILURE_SCHEMA, operationContract } from './operations.js';
import { schemaProblems } from './schema-check.js';
import type { Capability, Target } from './target.js';
import { sendVendor, type Exchange } from './vendor-client.js';
import { componentSchema } from '../spec.js';
import { specValidator } from '../validation/ajv.js';

/** What the whole run shares: the target, the run's id, its clock and limits, what it created. */
export type RunEnvironment = {
  target: Target;
  /** Tags every record the run creates (customer_code, names), so they can be found later. */
  runId: string;
  now: () => Date;
  requestTimeoutMs: number;
  /** How long reads after a write retry before failing (eventual consistency). */
  consistencyTimeoutMs: number;
  /** Customers the user named (--customer-id); empty: the checks find some themselves. */
  customerIds: string[];
  adminToken?: string | undefined;
  created: { customers: Set<string>; contacts: Set<string> };
};

/** A bounded wait for a read to show a write, as the report shows it. */
export type Wait = { what: string; ms: number; attempts: number; settled: boolean };

export type CallOptions = {
  /** Another key than the operation's own; null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
};

export type FailureExpectation = {
  code: ErrorCode;
  /** What was wrong with the request, as the failure message will say it: "the expired key". */
  situation: string;
};

/**
 * Kapture's failure texts differ per endpoint (see vendor/NOTES.md), but those the document shows
 * for keys all say so: a failure of another kind (a generic error, say) is not the right refusal.
 * The other codes have no documented text to check.
 */
const MESSAGE_HINTS: Partial<Record<ErrorCode, { pattern: RegExp; example: string }>> = {
  AuthKeyInvalid: { pattern: /auth key/i, example: 'Invalid Auth Key' },
  APIExpired: { pattern: /expired/i, example: 'Auth Key Expired' },
};

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 1_000;
const SNIPPET_LENGTH = 240;

/** What a check sees: the target, helpers that send and assert, and its own record of waits and notes. */
export class CheckContext {
  readonly waits: Wait[] = [];
  readonly notes: string[] = [];

  constructor(private readonly run: RunEnvironment) {}

  get target(): Target {
    return this.run.target;
  }

  get runId(): string {
    return this.run.runId;
  }

  get customerIds(): string[] {
    return this.run.customerIds;
  }

  now(): Date {
    return this.run.now();
  }

  has(capability: Capability): boolean {
    return this.run.target.capabilities.has(capability);
  }

  /** The key of an operation: its own, else the default; skips the check when the user gave neither. */
  keyFor(operation: OperationId): string {
    const keys = this.run.target.keys;
    const key = keys.byOperation?.[operation] ?? keys.default;
    if (key === undefined) {
      skip(`needs a key for ${operation}: pass --key KEY (or KAPTURE_AUTH_KEY), or --key-for ${operation}=KEY when the account has one key per API`);
    }
    return key;
  }

  /** The account's expired key; skips the check when the user gave none. */
  expiredKey(): string {
    const key = this.run.target.keys.expired;
    if (key === undefined) {
      skip('needs an expired key of this account to see APIExpired: pass --expired-key KEY (or KAPTURE_EXPIRED_KEY)');
    }
    return key;
  }

  /**
   * Sends a request as is and returns the answer unjudged. Refuses, whatever the check, to send
   * a write to a target this run may not write to: the last guard of "safe by default".
   */
  async send(operation: OperationId, body: unknown, options: CallOptions = {}): Promise<Exchange> {
    if (operationContract(operation).writes && !this.has('writes')) {
      throw new Error(`refusing to send ${operation} to ${this.target.baseUrl}: it is not a sandbox and --allow-writes was not given`);
    }
    const key = options.key === undefined ? this.keyFor(operation) : options.key;
    return sendVendor(this.target.baseUrl, operation, body, {
      key,
      timeoutMs: options.timeoutMs ?? this.run.requestTimeoutMs,
      ...(options.headers ? { headers: options.headers } : {}),
    });
  }

  /** Sends and asserts the operation's success answer: HTTP 200, its key casing, its schema. */
  async success<O extends OperationId>(operation: O, body: unknown, options: CallOptions = {}): Promise<SuccessBody<O>> {
    return this.expectSuccess(operation, await this.send(operation, body, options));
  }

  expectSuccess<O extends OperationId>(operation: O, exchange: Exchange): SuccessBody<O> {
    const { successSchema } = operationContract(operation);
    if (specValidator(FAILURE_SCHEMA)(exchange.json)) fail(`${operation} failed where it should succeed: ${this.summary(exchange)}`);
    if (exchange.status !== 200) fail(`${operation} answered HTTP ${exchange.status} where it should succeed with 200: ${this.summary(exchange)}`);
    if (exchange.json === undefined) fail(`${operation} answered something that is not JSON: ${this.summary(exchange)}`);
    const casing = casingProblem(successSchema, exchange.json);
    if (casing) fail(`${operation}: ${casing}: ${this.summary(exchange)}`);
    const problems = schemaProblems(successSchema, exchange.json);
    if (problems) fail(`${operation}: the answer does not match the spec's ${successSchema}: ${problems}`);
    return exchange.json as SuccessBody<O>;
  }

  /**
   * Sends and asserts a vendor failure: the code's HTTP status, the spec's VendorFailure body, the
   * code itself (X-Sandbox-Error, on a sandbox only: elsewhere that header is absent or invented),
   * and, for key failures, a message that says so.
   */
  async failure(operation: OperationId, body: unknown, expected: FailureExpectation, options: CallOptions = {}): Promise<Exchange> {
    return this.expectFailure(operation, await this.send(operation, body, options), expected);
  }

  expectFailure(operation: OperationId, exchange: Exchange, expected: FailureExpectation): Exchange {
    const { code, situation } = expected;
    const { successSchema } = operationContract(operation);
    const at = `${operation} with ${situation}`;
    if (specValidator(successSchema)(exchange.json)) {
      fail(`${at} answered success; it must fail with ${code}: ${this.summary(exchange)}`);
    }
    const status = code === 'ServerFailure' ? 500 : 200;
    if (exchange.status !== status) fail(`${at}: expected ${code} with HTTP ${status}, got ${this.summary(exchange)}`);
    const problems = schemaProblems(FAILURE_SCHEMA, exchange.json);
    if (problems) fail(`${at}: the failure does not match the spec's ${FAILURE_SCHEMA}: ${problems}`);
    if (this.has('control')) {
      const sent = exchange.headers.get('x-sandbox-error');
      if (sent !== code) fail(`${at}: expected ${code}, the sandbox answered ${sent ?? 'no X-Sandbox-Error header'}: ${this.summary(exchange)}`);
    }
    const hint = MESSAGE_HINTS[code];
    const message = (exchange.json as { Message: string }).Message;
    if (hint && !hint.pattern.test(message)) {
      fail(`${at}: the failure message ${JSON.stringify(message)} does not read as ${code} (Kapture says e.g. "${hint.example}")`);
    }
    return exchange;
  }

  /**
   * Retries a read until it passes or the run's consistency timeout is over: a real service may
   * show a write a moment later. The wait is recorded for the report either way.
   */
  async eventually<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const timeout = this.run.consistencyTimeoutMs;
    let delay = FIRST_RETRY_MS;
    for (let attempts = 1; ; attempts++) {
      try {
        const value = await attempt();
        this.waits.push({ what, ms: performance.now() - started, attempts, settled: true });
        return value;
      } catch (error) {
        if (!(error instanceof ContractFailure)) throw error;
        const elapsed = performance.now() - started;
        if (elapsed >= timeout) {
          this.waits.push({ what, ms: elapsed, attempts, settled: false });
          throw new ContractFailure(
            `${error.message} (still so after waiting ${seconds(elapsed)} s over ${attempts} attempts; reads after a write retry for up to ${seconds(timeout)} s: --wait SECONDS)`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(delay, timeout - elapsed)));
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  /** A control-surface request (sandbox only). */
  async control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    if (!this.has('control')) throw new Error(`control request ${method} /__sandbox${path} against a target without the control surface`);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.run.adminToken) headers['x-sandbox-admin-token'] = this.run.adminToken;
    const response = await fetch(`${this.target.baseUrl}/__sandbox${path}`, {
      method,
      headers,
      signal: AbortSignal.timeout(this.run.requestTimeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  /** Records a customer this run created, for the report's list (and for cleaning up later). */
  createdCustomers(ids: string): void {
    for (const id of ids.split(',')) if (id.trim()) this.run.created.customers.add(id.trim());
  }

  createdContact(id: string): void {
    this.run.created.contacts.add(id);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** `HTTP 200 {"Message":...}` (and the sandbox's error code), cut short, for failure messages. */
  summary(exchange: Exchange): string {
    const text = exchange.text.length > SNIPPET_LENGTH ? `${exchange.text.slice(0, SNIPPET_LENGTH)}...` : exchange.text;
    const code = this.has('control') ? exchange.headers.get('x-sandbox-error') : null;
    return `HTTP ${exchange.status} ${text || '(empty body)'}${code ? ` (X-Sandbox-Error: ${code})` : ''}`;
  }
}

/**
 * Kapture's key casing differs per operation (add answers `Message`/`Status`, update
 * `message`/`status`): a required key of the success schema present only in another casing is
 * named as such, rather than as a missing key.
 */
function casingProblem(schemaName: string, body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const required = (componentSchema(schemaName).required ?? []) as string[];
  const present = Object.keys(body);
  for (const key of required) {
    if (present.includes(key)) continue;
    const other = present.find((p) => p.toLowerCase() === key.toLowerCase());
    if (other !== undefined) {
      return `the answer says "${other}" where the spec's ${schemaName} says "${key}" (key casing differs per operation at Kapture; this one answers ${required.map((k) => `"${k}"`).join(', ')})`;
    }
  }
  return undefined;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
