import type { IncomingHttpHeaders } from 'node:http';
import { authorize, findKey, keyDigest, requestKey } from '../auth.js';
import { asciiHeader, VendorError, type ErrorCode, type VendorReply } from '../errors.js';
import { combineFaults, type ConnectionFault, type FaultPlan } from '../faults/effects.js';
import { FaultHeaderError, parseFaultHeader } from '../faults/header.js';
import type { FaultRules } from '../faults/rules.js';
import type { OperationId } from '../operations/ids.js';
import { pathShape, route, VENDOR_PATHS, WRITES, type Handler } from '../operations/registry.js';
import { upsertAdds } from '../operations/update-customer.js';
import type { KeyRecord } from '../records.js';
import type { Store } from '../store/store.js';
import { checkItem, type ItemOptions } from '../validation/request-fields.js';
import { failureReply, successBody } from '../vendor/answers.js';
import { profileOfKey } from '../vendor/key-profile.js';
import type { Profile, Shape, ShapeAnswers } from '../vendor/profile.js';
import { parseVendorBody, type ParsedBody } from './body.js';

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
  bodyLimit: number;
  rules: FaultRules;
  /** false: X-Sandbox-Fault is ignored, as the vendor would ignore it. */
  headerFaults: boolean;
  /** How the sandbox answers, unless the key used names another profile. */
  profile: Profile;
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
  error?: ErrorCode;
  /** The request's generation: the 2016 document's shapes, or today's. */
  shape: Shape;
  faults: string[];
  warnings: string[];
};

const MAX_WARNINGS_IN_HEADER = 20;
const MAX_WARNINGS_HEADER_LENGTH = 4096;
/** The plan of a request no fault touches (nearly all of them): shared, never changed. */
const NO_FAULTS: FaultPlan = Object.freeze({ latencyMs: 0, labels: Object.freeze([]) as unknown as string[] });

export function isVendorPath(path: string): boolean {
  return Object.hasOwn(VENDOR_PATHS, path);
}

/**
 * One vendor request, start to end: parse, pick the operation and shape, apply faults,
 * authenticate, validate, run, commit, answer in the profile's words. Every failure leaves as a
 * vendor-shaped answer; an unexpected error is a ServerFailure, never a stack trace.
 */
export async function handleVendorRequest(deps: VendorDeps, request: VendorRequest): Promise<VendorOutcome> {
  const outcome: VendorOutcome = { reply: { status: 200, headers: {}, body: null }, latencyMs: 0, shape: pathShape(request.path), faults: [], warnings: [] };
  let answers = deps.profile.shapes[outcome.shape];
  try {
    const early = refuseEarly(deps, request);
    if (early) return settle(outcome, early);
    let headerFaults;
    try {
      headerFaults = deps.headerFaults ? parseHeaderFaults(request.headers['x-sandbox-fault']) : [];
    } catch (error) {
      if (!(error instanceof FaultHeaderError)) throw error;
      outcome.reply = { status: 400, headers: {}, body: { error: error.message } };
      return outcome;
    }
    const contentType = request.headers['content-type'];
    const parsed = parseVendorBody(request.body as Buffer, contentType);
    const routed = route(request.path, parsed);
    const key = requestKey(request.headers);
    const digest = key === undefined ? undefined : keyDigest(key);
    const record = findKey(deps.store.keys(), digest);
    outcome.shape = routed.handler.shape;
    answers = (record ? profileOfKey(record, deps.profile) : deps.profile).shapes[outcome.shape];
    const operation = resolveOperation(deps, routed.operation, parsed, record, answers);
    outcome.operation = operation;
    if (key !== undefined && digest !== undefined) {
      outcome.key = key;
      outcome.keyDigest = digest;
    }
    if (record) outcome.tenant = record.tenant;

    const fired = deps.rules.evaluate({ operation, key, tenant: record?.tenant });
    const plan = headerFaults.length === 0 && fired.length === 0 ? NO_FAULTS : combineFaults([...headerFaults, ...fired]);
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

    const warnings = contentType === undefined ? ['no Content-Type header: send Content-Type: application/json'] : [];
    outcome.warnings = warnings;
    const call: Call = { operation, handler: routed.handler, answers, parsed, record, key, warnings };
    const reply = await runOperation(deps, call);
    if (plan.status !== undefined) reply.status = plan.status;
    return settle(outcome, reply);
  } catch (error) {
    const failure =
      error instanceof VendorError
        ? error
        : new VendorError('ServerFailure', undefined, `unexpected error inside the sandbox: ${(error as Error)?.message ?? String(error)}`);
    return settle(outcome, failureReply(answers, failure, outcome.operation));
  }
}

/** Answers that never reach an operation: a method other than POST, an oversized body. */
function refuseEarly(deps: VendorDeps, request: VendorRequest): VendorReply | undefined {
  const answers = deps.profile.shapes[pathShape(request.path)];
  if (request.method !== 'POST') {
    const reply = failureReply(answers, new VendorError('ReqFieldMissing', `Method ${request.method} is not allowed on this URL: use POST with a JSON body`), undefined, 405);
    reply.headers.Allow = 'POST';
    return reply;
  }
  if (request.body === 'too-large') {
    return failureReply(
      answers,
      new VendorError('ReqFieldMissing', `Request body is larger than ${deps.bodyLimit} bytes: send one customer per request or a smaller batch`),
      undefined,
      413,
    );
  }
  return undefined;
}

/** One request on its way to its operation. */
type Call = {
  operation: OperationId;
  handler: Handler;
  answers: ShapeAnswers;
  parsed: ParsedBody;
  record: KeyRecord | undefined;
  key: string | undefined;
  warnings: string[];
};

async function runOperation(deps: VendorDeps, call: Call): Promise<VendorReply> {
  const now = deps.now();
  const granted = authorize(call.record, call.key, call.operation, now);
  if (!call.parsed.ok) throw new VendorError('ReqFieldMissing', call.parsed.message);
  const values = validateItems(call, call.parsed, granted.fields);
  const context = { store: deps.store, tenant: granted.tenant, now, answers: call.answers };
  const result = call.handler.execute(context, values);
  if (result.mutated) await deps.store.commit();
  call.warnings.push(...result.warnings);
  return { status: 200, headers: warningHeaders(call.warnings), body: successBody(call.answers, call.operation, result.answer, deps.store) };
}

/** The outcome with its reply, and the error code the journal files it under. */
function settle(outcome: VendorOutcome, reply: VendorReply): VendorOutcome {
  outcome.reply = reply;
  const code = reply.headers['X-Sandbox-Error'] as ErrorCode | undefined;
  if (code !== undefined) outcome.error = code;
  return outcome;
}

function parseHeaderFaults(value: string | string[] | undefined) {
  if (value === undefined) return [];
  return parseFaultHeader(Array.isArray(value) ? value.join(',') : value);
}

function injectedBy(plan: FaultPlan): string {
  const label = plan.decidedBy ?? '';
  return label.startsWith('header:') ? 'X-Sandbox-Fault' : `fault ${label.split(':')[0]}`;
}

/**
 * An add-update naming a `customer_id` this tenant does not have, with the add fields present,
 * adds the customer (upsert): it is then addCustomer for grants, fault rules and the journal.
 */
function resolveOperation(deps: VendorDeps, operation: OperationId, body: ParsedBody, record: KeyRecord | undefined, answers: ShapeAnswers): OperationId {
  if (operation !== 'updateCustomer' || !body.ok || !record) return operation;
  return upsertAdds({ store: deps.store, tenant: record.tenant, answers }, body.items[0]!) ? 'addCustomer' : operation;
}

function validateItems(call: Call, body: Extract<ParsedBody, { ok: true }>, mapped: string[] | undefined): Array<Record<string, unknown>> {
  const { operation, handler, answers } = call;
  // A key's `fields` are the customer data its API was configured to write: they restrict what
  // add, update and add-contacts store, never the lookup parameters of select and search.
  const mappedSet = mapped && WRITES.has(operation) ? new Set(mapped) : undefined;
  const options: ItemOptions = {
    ...(mappedSet ? { mapped: mappedSet } : {}),
    ...(handler.addRequires ? requiresOf(answers) : {}),
    emptyMeansAbsent: !answers.emptyMeansAbsent ? false : handler.shape === 'document' ? 'warn' : 'silent',
  };
  const updates = handler.rules.known.includes('customer_id') && (operation === 'addCustomer' || operation === 'updateCustomer');
  return body.items.map((item, index) => {
    const at = body.isArray ? `[${index}].` : '';
    if ((operation === 'addCustomer' || operation === 'updateCustomer') && index > 0) {
      const isUpdate = Object.hasOwn(item, 'customer_id');
      if (isUpdate !== updates) {
        throw new VendorError(
          'ReqFieldMissing',
          `Mandatory field missing: the body mixes adds and updates (item [${index}] ${isUpdate ? 'has' : 'lacks'} customer_id, item [0] ${isUpdate ? 'lacks' : 'has'} it): send them in separate requests`,
        );
      }
    }
    const verdict = checkItem(handler.rules, item, at, options);
    if (!verdict.ok) throw new VendorError('ReqFieldMissing', verdict.message);
    call.warnings.push(...verdict.warnings);
    return verdict.values;
  });
}

/** The profile's add requirements, when they differ from the spec's (name, email and phone). */
function requiresOf(answers: ShapeAnswers): { requires?: string[][] } {
  const groups = answers.addRequires;
  const asSpec = groups.length === 3 && groups.every((group) => group.length === 1) && ['name', 'email', 'phone'].every((f) => groups.some((g) => g[0] === f));
  return asSpec ? {} : { requires: groups };
}

/**
 * `X-Sandbox-Warnings`: short ASCII messages joined by `; `, bounded so that the header stays
 * far below what HTTP clients accept (undici refuses answers with more than 16 KiB of headers).
 */
function warningHeaders(warnings: string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  let header = '';
  let shown = 0;
  for (const warning of warnings) {
    const next = (header ? '; ' : '') + asciiHeader(warning);
    if (shown === MAX_WARNINGS_IN_HEADER || header.length + next.length > MAX_WARNINGS_HEADER_LENGTH) break;
    header += next;
    shown++;
  }
  if (shown < warnings.length) header += `; ${warnings.length - shown} more warnings not shown`;
  return { 'X-Sandbox-Warnings': header };
}
