import { controlClient, type ControlClient } from '../client.js';
import type { OperationId } from '../operations/ids.js';
import type { Shape } from '../vendor/profile.js';
import type { SuccessBody } from './answers.js';
import { expectFailure, expectSuccess, type AssertionScope, type FailureExpectation } from './assertions.js';
import type { CheckSource } from './labels.js';
import type { Expectation } from './expectation.js';
import { operationContract } from './operations.js';
import { skip } from './outcome.js';
import { retryUntil, type Wait } from './retry.js';
import type { Capability, Target } from './target.js';
import { sendVendor, type Exchange } from './vendor-client.js';

export type { FailureExpectation } from './assertions.js';
export type { Wait } from './retry.js';

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
  expectation: Expectation;
  created: { customers: Set<string>; contacts: Set<string> };
};

export type CallOptions = {
  /** Another key than the operation's own; null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Another URL than the document's (today's add-update URL, say). */
  path?: string;
};

const SNIPPET_LENGTH = 240;

/** What a check sees: the target, helpers that send and assert, and its own record of waits and notes. */
export class CheckContext {
  readonly waits: Wait[] = [];
  readonly notes: string[] = [];
  private control: ControlClient | undefined;

  constructor(
    private readonly run: RunEnvironment,
    readonly source: CheckSource = 'fact',
  ) {}

  get target(): Target {
    return this.run.target;
  }

  get runId(): string {
    return this.run.runId;
  }

  get customerIds(): string[] {
    return this.run.customerIds;
  }

  /** The profile profile and decision checks compare with, and whether a difference fails. */
  get expectation(): Expectation {
    return this.run.expectation;
  }

  now(): Date {
    return this.run.now();
  }

  has(capability: Capability): boolean {
    return this.run.target.capabilities.has(capability);
  }

  /** The sandbox's control surface, typed (sandbox only). */
  get sandbox(): ControlClient {
    if (!this.has('control')) throw new Error(`the control surface of ${this.target.baseUrl} was asked for, but it is not a sandbox`);
    this.control ??= controlClient(this.target.baseUrl, this.run.adminToken ? { adminToken: this.run.adminToken } : {});
    return this.control;
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
      ...(options.path ? { path: options.path } : {}),
    });
  }

  /** Sends and asserts a success (assertions.ts: facts always, the profile's answer in profile and decision checks). */
  async success<O extends OperationId>(operation: O, body: unknown, options: CallOptions = {}, shape: Shape = 'document'): Promise<SuccessBody<O>> {
    return this.expectSuccess(operation, await this.send(operation, body, options), shape);
  }

  expectSuccess<O extends OperationId>(operation: O, exchange: Exchange, shape: Shape = 'document'): SuccessBody<O> {
    return expectSuccess(this.scope(), operation, exchange, shape);
  }

  /** Sends and asserts a vendor failure (assertions.ts). */
  async failure(operation: OperationId, body: unknown, expected: FailureExpectation, options: CallOptions = {}): Promise<Exchange> {
    return this.expectFailure(operation, await this.send(operation, body, options), expected);
  }

  expectFailure(operation: OperationId, exchange: Exchange, expected: FailureExpectation): Exchange {
    return expectFailure(this.scope(), operation, exchange, expected);
  }

  /**
   * Retries a read until it passes or the run's consistency timeout is over: a real service may
   * show a write a moment later. The wait is recorded for the report either way.
   */
  eventually<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    return retryUntil(what, this.run.consistencyTimeoutMs, this.waits, attempt);
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

  private scope(): AssertionScope {
    return { expectation: this.run.expectation, source: this.source, sandbox: this.has('control'), summary: (exchange) => this.summary(exchange) };
  }
}
