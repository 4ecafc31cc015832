import type { IncomingHttpHeaders } from 'node:http';
import { authenticate, requestKey } from '../auth.js';
import { asciiHeader, failureReply, VendorError, type VendorReply } from '../errors.js';
import type { OperationId } from '../operations/ids.js';
import { OPERATIONS, VENDOR_PATHS } from '../operations/registry.js';
import type { Store } from '../store/store.js';
import { checkItem } from '../validation/request-fields.js';
import { parseVendorBody, type ParsedBody } from './body.js';

/** A vendor request as the HTTP layer hands it over: no framework objects past this point. */
export type VendorRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, or `too-large` when it passed the size limit (the rest was discarded). */
  body: Buffer | 'too-large';
};

export type VendorDeps = { store: Store; now: () => Date; bodyLimit: number };

const MAX_WARNINGS_IN_HEADER = 20;
const MAX_WARNINGS_HEADER_LENGTH = 4096;

export function isVendorPath(path: string): boolean {
  return Object.hasOwn(VENDOR_PATHS, path);
}

/**
 * One vendor request, start to end: parse, pick the operation, authenticate, validate, run,
 * commit, answer. Every failure leaves as a vendor-shaped answer; an unexpected error is a
 * ServerFailure, never a stack trace.
 */
export async function handleVendorRequest(deps: VendorDeps, request: VendorRequest): Promise<VendorReply> {
  let operation: OperationId | undefined;
  try {
    if (request.method !== 'POST') {
      const reply = failureReply(new VendorError('ReqFieldMissing', `Method ${request.method} is not allowed on this URL: use POST with a JSON body`), undefined, 405);
      reply.headers.Allow = 'POST';
      return reply;
    }
    if (request.body === 'too-large') {
      return failureReply(
        new VendorError('ReqFieldMissing', `Request body is larger than ${deps.bodyLimit} bytes: send one customer per request or a smaller batch`),
        undefined,
        413,
      );
    }
    const contentType = request.headers['content-type'];
    const parsed = parseVendorBody(request.body, contentType);
    operation = resolveOperation(request.path, parsed);
    const now = deps.now();
    const key = authenticate(deps.store.keys(), requestKey(request.headers), operation, now);
    if (!parsed.ok) throw new VendorError('ReqFieldMissing', parsed.message);
    const warnings: string[] = contentType === undefined ? ['no Content-Type header: send Content-Type: application/json'] : [];
    const values = validateItems(operation, parsed, key.fields, warnings);
    const result = OPERATIONS[operation].execute({ store: deps.store, tenant: key.tenant, now }, values);
    if (result.mutated) await deps.store.commit();
    warnings.push(...result.warnings);
    return { status: 200, headers: warningHeaders(warnings), body: result.body };
  } catch (error) {
    if (error instanceof VendorError) return failureReply(error, operation);
    return failureReply(new VendorError('ServerFailure', undefined, `unexpected error inside the sandbox: ${(error as Error)?.message ?? String(error)}`), operation);
  }
}

/** Add and update share a URL: a body whose object (or first item) has `customer_id` is an update. */
function resolveOperation(path: string, body: ParsedBody): OperationId {
  const operation = VENDOR_PATHS[path]!;
  if (operation !== 'addCustomer' || !body.ok) return operation;
  return Object.hasOwn(body.items[0]!, 'customer_id') ? 'updateCustomer' : 'addCustomer';
}

function validateItems(
  operation: OperationId,
  body: Extract<ParsedBody, { ok: true }>,
  mapped: string[] | undefined,
  warnings: string[],
): Array<Record<string, unknown>> {
  const rules = OPERATIONS[operation].rules;
  // A key's `fields` are the customer data its API was configured to write: they restrict what
  // add, update and add-contacts store, never the lookup parameters of select and search.
  const writes = operation === 'addCustomer' || operation === 'updateCustomer' || operation === 'addContacts';
  const mappedSet = mapped && writes ? new Set(mapped) : undefined;
  return body.items.map((item, index) => {
    const at = body.isArray ? `[${index}].` : '';
    if ((operation === 'addCustomer' || operation === 'updateCustomer') && index > 0) {
      const isUpdate = Object.hasOwn(item, 'customer_id');
      if (isUpdate !== (operation === 'updateCustomer')) {
        throw new VendorError(
          'ReqFieldMissing',
          `Mandatory field missing: the body mixes adds and updates (item [${index}] ${isUpdate ? 'has' : 'lacks'} customer_id, item [0] ${isUpdate ? 'lacks' : 'has'} it): send them in separate requests`,
        );
      }
    }
    const verdict = checkItem(rules, item, at, mappedSet);
    if (!verdict.ok) throw new VendorError('ReqFieldMissing', verdict.message);
    warnings.push(...verdict.warnings);
    return verdict.values;
  });
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
