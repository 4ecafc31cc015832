import type { IncomingHttpHeaders } from 'node:http';
import { authorize, findKey, keyDigest, requestKey } from '../auth.js';
import { VendorError, type ErrorCode, type VendorReply } from '../errors.js';
import { combineFaults, type AppliedFault, type ConnectionFault, type FaultPlan } from '../faults/effects.js';
import { FaultHeaderError, parseFaultHeader } from '../faults/header.js';
import type { FaultRules } from '../faults/rules.js';
import { WRITES, type OperationId } from '../operations/ids.js';
import { pathShape, route, VENDOR_PATHS } from '../operations/registry.js';
import { upsertAdds } from '../operations/update-customer.js';
import type { Store } from '../store/store.js';
import { RawJson, StreamedJson, encodeBody } from '../raw-json.js';
import { failureReply, successBody } from '../vendor/answers.js';
import { profileOfKey } from '../vendor/key-profile.js';
import type { Profile, Shape, ShapeAnswers } from '../vendor/profile.js';
import { parseVendorBody } from './body.js';
import { AnswerCache, type CachedAnswer } from './answer-cache.js';
import { checkItems, warningHeaders } from './vendor-items.js';

/** A vendor request as the HTTP layer hands it over: no framework objects past this point. */
export type VendorRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, or `too-large` when it passed the size limit (the rest was discarded). */
  body: Buffer | 'too-large';
};

export type VendorDeps = {
  store: Store;
  now: () => Date;
  /** The largest body a vendor URL reads, in bytes. */
  bodyLimit: number;
  rules: FaultRules;
  /** false: X-Sandbox-Fault is ignored, as the vendor would ignore it. */
  headerFaults: boolean;
  /** How the sandbox answers, unless the key used names another profile. */
  profile: Profile;
  /** Answers to repeated reads; without one every request is worked out. */
  answerCache?: AnswerCache;
};

/** What to do with the request: the answer, or a connection fault; with what the journal records. */
export type VendorOutcome = {
  reply: VendorReply;
  connection?: ConnectionFault;
  latencyMs: number;
  operation?: OperationId;
  tenant?: number;
  key?: string;
  /** SHA-256 of `key`: the journal files entries under it, so the key is hashed once per request. */
  keyDigest?: Buffer;
  /** The failure answered (the reply's own code), for the journal. */
  error?: ErrorCode;
  /** The request's generation: the 2016 document's shapes, or today's. */
  shape: Shape;
  faults: readonly string[];
  warnings: readonly string[];
};

const NONE: readonly string[] = Object.freeze([]);
const NO_FAULTS: readonly AppliedFault[] = Object.freeze([]);
const NO_REPLY: VendorReply = Object.freeze({ status: 200, headers: {}, body: null });

export function isVendorPath(path: string): boolean {
  return Object.hasOwn(VENDOR_PATHS, path);
}

/**
 * One vendor request, start to end, as a straight line of early returns: refuse what never
 * reaches an operation, parse, pick the operation and shape, apply faults, authenticate,
 * validate, run, answer in the profile's words. Every failure leaves as a vendor-shaped answer;
 * an unexpected error is a ServerFailure, never a stack trace. A request that changed the store
 * answers once the change is durable (a promise then); any other answers at once, with no promise
 * to wait for: reads are the path clients load-test.
 */
export function handleVendorRequest(deps: VendorDeps, request: VendorRequest): VendorOutcome | Promise<VendorOutcome> {
  const outcome: VendorOutcome = { reply: NO_REPLY, latencyMs: 0, shape: pathShape(request.path), faults: NONE, warnings: NONE };
  let answers = deps.profile.shapes[outcome.shape];
  try {
    if (request.method !== 'POST') {
      const refused = failureReply(answers, new VendorError('ReqFieldMissing', `Method ${request.method} is not allowed on this URL: use POST with a JSON body`), undefined, 405);
      refused.headers.Allow = 'POST';
      return settle(outcome, refused);
    }
    if (request.body === 'too-large') {
      const detail = `Request body is larger than ${deps.bodyLimit} bytes: send one customer per request or a smaller batch`;
      return settle(outcome, failureReply(answers, new VendorError('ReqFieldMissing', detail), undefined, 413));
    }
    const headerFaults = deps.headerFaults ? readFaultHeader(request.headers['x-sandbox-fault']) : NO_FAULTS;
    if (headerFaults instanceof FaultHeaderError) {
      // The sandbox's own header, not the vendor's: answered as a control error.
      outcome.reply = { status: 400, headers: {}, body: { error: headerFaults.message } };
      return outcome;
    }

    // Only the read URLs (search, select) can have a kept answer: an add or update builds no key.
    const cache = headerFaults.length === 0 && deps.rules.empty && !WRITES.has(VENDOR_PATHS[request.path]!) ? deps.answerCache : undefined;
    const cacheKey = cache?.keyOf(request.path, request.headers, request.body);
    if (cacheKey !== undefined) {
      const hit = cache!.get(deps.store.version, cacheKey);
      if (hit) return reused(outcome, hit);
    }

    const contentType = request.headers['content-type'];
    const parsed = parseVendorBody(request.body, contentType);
    const routed = route(request.path, parsed);
    const key = requestKey(request.headers);
    const digest = key === undefined ? undefined : keyDigest(key);
    const record = findKey(deps.store.keys(), digest);
    outcome.shape = routed.handler.shape;
    answers = (record ? profileOfKey(record, deps.profile) : deps.profile).shapes[outcome.shape];
    // An add-update naming a customer_id this tenant does not have, with the add fields present,
    // adds the customer (upsert): it is then addCustomer for grants, fault rules and the journal.
    const upserts = routed.operation === 'updateCustomer' && parsed.ok && record !== undefined && upsertAdds({ store: deps.store, tenant: record.tenant, answers }, parsed.items[0]!);
    const operation: OperationId = upserts ? 'addCustomer' : routed.operation;
    outcome.operation = operation;
    if (digest !== undefined) {
      outcome.key = key;
      outcome.keyDigest = digest;
    }
    if (record) outcome.tenant = record.tenant;

    const fired = deps.rules.evaluate({ operation, key, tenant: record?.tenant });
    if (headerFaults.length > 0 || fired.length > 0) {
      const plan = combineFaults([...headerFaults, ...fired]);
      outcome.faults = plan.labels;
      outcome.latencyMs = plan.latencyMs;
      if (plan.connection) {
        outcome.connection = plan.connection;
        return outcome;
      }
      if (plan.error) {
        const injected = new VendorError(plan.error, undefined, `injected by ${injectedBy(plan)}`);
        return settle(outcome, failureReply(answers, injected, operation, plan.status));
      }
      if (plan.status !== undefined) return withStatus(run(deps, outcome, operation, routed.handler, answers, parsed, record, key, contentType), plan.status);
    }
    const answered = run(deps, outcome, operation, routed.handler, answers, parsed, record, key, contentType);
    // A read whose answer the clock cannot change is kept for the same request (see AnswerCache).
    if (cacheKey !== undefined && !(answered instanceof Promise) && record?.expiresAt === undefined) remember(cache!, deps.store.version, cacheKey, answered);
    return answered;
  } catch (error) {
    return settle(outcome, failureOf(answers, error, outcome.operation));
  }
}

type Routed = ReturnType<typeof route>;

/** Authenticates, validates and runs the operation; the reply is its success answer. */
function run(
  deps: VendorDeps,
  outcome: VendorOutcome,
  operation: OperationId,
  handler: Routed['handler'],
  answers: ShapeAnswers,
  parsed: ReturnType<typeof parseVendorBody>,
  record: Parameters<typeof authorize>[0],
  key: string | undefined,
  contentType: string | undefined,
): VendorOutcome | Promise<VendorOutcome> {
  const warnings: string[] = contentType === undefined ? ['no Content-Type header: send Content-Type: application/json'] : [];
  outcome.warnings = warnings;
  const now = deps.now();
  const granted = authorize(record, key, operation, now);
  if (!parsed.ok) throw new VendorError('ReqFieldMissing', parsed.message);
  const values = checkItems(operation, handler, answers, parsed.items, parsed.isArray, granted.fields, warnings);
  const result = handler.execute({ store: deps.store, tenant: granted.tenant, now, answers }, values);
  for (let i = 0; i < result.warnings.length; i++) warnings.push(result.warnings[i]!);
  const reply: VendorReply = { status: 200, headers: warningHeaders(warnings), body: successBody(answers, operation, result.answer, deps.store) };
  if (!result.mutated) return settle(outcome, reply);
  return durable(deps, outcome, reply, answers);
}

/** A change is answered Success only once it is durable; a failed write answers ServerFailure. */
async function durable(deps: VendorDeps, outcome: VendorOutcome, reply: VendorReply, answers: ShapeAnswers): Promise<VendorOutcome> {
  try {
    await deps.store.commit();
    return settle(outcome, reply);
  } catch (error) {
    return settle(outcome, failureOf(answers, error, outcome.operation));
  }
}

/** `status=NNN` from a fault: the HTTP status of the operation's answer (a failure keeps its own). */
function withStatus(answered: VendorOutcome | Promise<VendorOutcome>, status: number): VendorOutcome | Promise<VendorOutcome> {
  const apply = (outcome: VendorOutcome) => {
    if (outcome.error === undefined) outcome.reply.status = status;
    return outcome;
  };
  return answered instanceof Promise ? answered.then(apply) : apply(answered);
}

/** The outcome of an earlier, identical read, for this request. */
function reused(outcome: VendorOutcome, hit: CachedAnswer): VendorOutcome {
  outcome.reply = { status: hit.status, headers: hit.headers, body: new RawJson(hit.bytes) };
  outcome.operation = hit.operation;
  outcome.shape = hit.shape;
  if (hit.tenant !== undefined) outcome.tenant = hit.tenant;
  if (hit.key !== undefined) {
    outcome.key = hit.key;
    outcome.keyDigest = hit.keyDigest;
  }
  outcome.warnings = hit.warnings;
  return outcome;
}

/** Keeps the success answer of a read, encoded once for every later request (failures are thrown, and worked out each time). */
function remember(cache: AnswerCache, version: number, key: string, outcome: VendorOutcome): void {
  const { operation, reply } = outcome;
  if ((operation !== 'searchCustomer' && operation !== 'selectCustomers') || reply.body instanceof StreamedJson) return;
  const bytes = encodeBody(reply.body);
  reply.body = new RawJson(bytes);
  cache.set(version, key, {
    status: reply.status,
    headers: reply.headers,
    bytes,
    operation,
    shape: outcome.shape,
    tenant: outcome.tenant,
    warnings: outcome.warnings,
    key: outcome.key,
    keyDigest: outcome.keyDigest,
  });
}

/** The outcome with its reply, and the error code the journal files it under. */
function settle(outcome: VendorOutcome, reply: VendorReply): VendorOutcome {
  outcome.reply = reply;
  if (reply.error !== undefined) outcome.error = reply.error;
  return outcome;
}

function failureOf(answers: ShapeAnswers, error: unknown, operation: OperationId | undefined): VendorReply {
  const failure =
    error instanceof VendorError
      ? error
      : new VendorError('ServerFailure', undefined, `unexpected error inside the sandbox: ${(error as Error)?.message ?? String(error)}`);
  return failureReply(answers, failure, operation);
}

/** The faults `X-Sandbox-Fault` asks for, or the error that says why it is malformed. */
function readFaultHeader(value: string | string[] | undefined): readonly AppliedFault[] | FaultHeaderError {
  if (value === undefined) return NO_FAULTS;
  try {
    return parseFaultHeader(Array.isArray(value) ? value.join(',') : value);
  } catch (error) {
    if (error instanceof FaultHeaderError) return error;
    throw error;
  }
}

function injectedBy(plan: FaultPlan): string {
  const label = plan.decidedBy ?? '';
  return label.startsWith('header:') ? 'X-Sandbox-Fault' : `fault ${label.split(':')[0]}`;
}
