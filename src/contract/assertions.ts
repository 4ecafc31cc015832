import type { ErrorCode } from '../errors.js';
import type { OperationId } from '../operations/ids.js';
import type { SuccessBody } from './answers.js';
import type { CheckSource } from './labels.js';
import { driftLines, templateDrift } from './drift.js';
import { answerTemplate, failureTemplate, type Expectation } from './expectation.js';
import { fail, ProfileDifference, type Drift } from './outcome.js';
import { contactIdsOf, customerIdsOf, customersOf, isFailureBody, messageOf, statusOf } from './reading.js';
import { schemaProblems } from './schema-check.js';
import type { Exchange } from './vendor-client.js';
import type { Shape } from '../vendor/profile.js';

/** What an assertion needs to know of the check that makes it. */
export type AssertionScope = {
  expectation: Expectation;
  /** Fact checks never look at key names or words; profile and decision checks compare them with the profile. */
  source: CheckSource;
  /** The target is a sandbox: its X-Sandbox-Error header is the code (elsewhere it is absent or invented). */
  sandbox: boolean;
  summary: (exchange: Exchange) => string;
};

export type FailureExpectation = {
  code: ErrorCode;
  /** What was wrong with the request, as the failure message will say it: "the expired key". */
  situation: string;
  /** The request's generation, for the profile's failure body (default: the document's). */
  shape?: Shape;
};

/**
 * What every account's refusals of a key say (the document's and today's texts alike): a refusal
 * of another kind (a generic error, say) is not the right one. Exact texts are the profile's.
 */
const MESSAGE_HINTS: Partial<Record<ErrorCode, { pattern: RegExp; example: string }>> = {
  AuthKeyInvalid: { pattern: /auth key/i, example: 'Invalid Auth Key' },
  APIExpired: { pattern: /expired|auth key/i, example: 'Auth Key Expired' },
};

/**
 * A success: HTTP 200, JSON, not a failure; for profile and decision checks, the keys and words of
 * the profile's answer; for lists, customers that match the spec. Answers normalised, so that
 * checks read `message` (the customers) and `"Kapture Customer Id"` whatever the account's keys.
 */
export function expectSuccess<O extends OperationId>(scope: AssertionScope, operation: O, exchange: Exchange, shape: Shape = 'document'): SuccessBody<O> {
  const json = exchange.json;
  if (isFailureBody(json)) fail(`${operation} failed where it should succeed: ${scope.summary(exchange)}`);
  if (exchange.status !== 200) fail(`${operation} answered HTTP ${exchange.status} where it should succeed with 200: ${scope.summary(exchange)}`);
  if (json === undefined) fail(`${operation} answered something that is not JSON: ${scope.summary(exchange)}`);
  if (scope.source !== 'fact') {
    const drift = templateDrift(operation, answerTemplate(scope.expectation, operation, shape), json);
    if (drift.length > 0) throw differs(scope.expectation, operation, drift);
  }
  const body = json as Record<string, unknown>;
  if (operation === 'searchCustomer' || operation === 'selectCustomers') {
    const customers = customersOf(json);
    if (!customers) fail(`${operation} did not answer a customer list: ${scope.summary(exchange)}`);
    // Validated as the spec's list, so that a problem is named by its place in the answer.
    const problems = schemaProblems('CustomerList', { message: customers, status: 'success' });
    if (problems) fail(`${operation}: the answer does not match the spec's CustomerList: ${problems}`);
    return { ...body, message: customers, status: statusOf(json) ?? '' } as unknown as SuccessBody<O>;
  }
  if (operation === 'addCustomer') {
    const ids = customerIdsOf(json);
    if (ids === undefined || !/^\d+(,\d+)*$/.test(ids)) fail(`addCustomer answered no "Kapture Customer Id" of digits: ${scope.summary(exchange)}`);
    return { ...body, 'Kapture Customer Id': ids } as unknown as SuccessBody<O>;
  }
  if (operation === 'addContacts') {
    const ids = contactIdsOf(json);
    return { ...body, ...(ids ? { 'Contact Ids': ids } : {}) } as unknown as SuccessBody<O>;
  }
  return body as unknown as SuccessBody<O>;
}

/**
 * A refusal: a failure body (its status word says so) with the code's HTTP status, the code itself
 * on a sandbox (X-Sandbox-Error), a text that reads as the code for key failures; for profile and
 * decision checks, the profile's failure body and text.
 */
export function expectFailure(scope: AssertionScope, operation: OperationId, exchange: Exchange, expected: FailureExpectation): Exchange {
  const { code, situation } = expected;
  const at = `${operation} with ${situation}`;
  const json = exchange.json;
  if (!isFailureBody(json)) {
    const succeeded = exchange.status === 200 && (/^success$/i.test(statusOf(json) ?? '') || customersOf(json) !== undefined);
    if (succeeded) fail(`${at} answered success; it must fail with ${code}: ${scope.summary(exchange)}`);
    fail(`${at}: expected ${code} (a failure, its status word "Fail" or "failed"), got ${scope.summary(exchange)}`);
  }
  const status = code === 'ServerFailure' ? 500 : 200;
  if (exchange.status !== status) fail(`${at}: expected ${code} with HTTP ${status}, got ${scope.summary(exchange)}`);
  if (scope.sandbox) {
    const sent = exchange.headers.get('x-sandbox-error');
    if (sent !== code) fail(`${at}: expected ${code}, the sandbox answered ${sent ?? 'no X-Sandbox-Error header'}: ${scope.summary(exchange)}`);
  }
  const hint = MESSAGE_HINTS[code];
  const message = messageOf(json) ?? '';
  if (hint && !hint.pattern.test(message)) {
    fail(`${at}: the failure message ${JSON.stringify(message)} does not read as ${code} (Kapture says e.g. "${hint.example}")`);
  }
  if (scope.source !== 'fact') {
    const { template, message: text } = failureTemplate(scope.expectation, operation, code, expected.shape);
    const drift = templateDrift(operation, template, json, text);
    if (drift.length > 0) throw differs(scope.expectation, `${operation} (${code})`, drift);
  }
  return exchange;
}

/** The difference as one message: a key in another casing said first, as clients break on exactly that. */
export function differs(expectation: Expectation, what: string, drift: Drift[]): ProfileDifference {
  const cased = drift.find((d) => d.seen.endsWith('(another casing)'));
  const head = cased
    ? `${what}: the answer says ${cased.seen.replace(/^the key /, '').replace(/ \(another casing\)$/, '')} where the profile "${expectation.label}" says ${cased.expected.replace(/^the key /, '')} (key casing differs per operation and per account)`
    : `${what}: the answer differs from the profile "${expectation.label}"`;
  return new ProfileDifference(`${head}:\n${driftLines(drift)}`, drift);
}
