import { asciiHeader, type VendorError, type VendorReply } from '../errors.js';
import type { OperationId } from '../operations/ids.js';
import { presentCustomerBytes, presentCustomerBytesEmpty } from './present.js';
import { RawJson, StreamedJson } from '../raw-json.js';
import type { CustomerRecord } from '../records.js';
import type { Store } from '../store/store.js';
import type { ShapeAnswers, Template } from './profile.js';

/**
 * Vendor answers built from a profile's templates: the one place a success or failure body gets
 * its keys, casing and status words. Operations hand over what they did (`Answer`), never a body.
 */

/** What an operation did, for its answer: ids it added or updated, contacts it added, customers it found. */
export type Answer = { customerIds?: number[]; contactIds?: number[]; customers?: CustomerRecord[] };

/**
 * Past this many customers (about 10 MB of JSON) a list answer is streamed rather than assembled: a
 * select over years of a large store would otherwise hold the whole answer, and every customer's
 * JSON, in memory at once (1.26 GB for 1M customers, 3.5 GB of RSS while it was built).
 */
export const STREAM_ABOVE_CUSTOMERS = 8_000;

export function successBody(answers: ShapeAnswers, operation: OperationId, answer: Answer, store: Store): unknown {
  const template = answers.answers[operation];
  const listed = listFrame(template);
  if (listed) return customerBody(listed, answer.customers ?? [], store, answers.unsetFields === 'empty' ? presentCustomerBytesEmpty : presentCustomerBytes);
  return fill(template, {
    $customerIds: (answer.customerIds ?? []).join(','),
    $contactIds: (answer.contactIds ?? []).map(String),
  });
}

/** The failure answer of `error` as the profile words it, with the code in `X-Sandbox-Error`. */
export function failureReply(answers: ShapeAnswers, error: VendorError, operation?: OperationId, status?: number): VendorReply {
  const entry = answers.errors[error.code];
  const own = operation ? entry.bodyByOperation?.[operation] : undefined;
  const fixed = (operation && entry.byOperation?.[operation]) ?? entry.message;
  const message = entry.specific && error.vendorMessage !== undefined ? error.vendorMessage : fixed;
  const headers: Record<string, string> = { 'X-Sandbox-Error': error.code };
  if (error.detail) headers['X-Sandbox-Error-Detail'] = asciiHeader(error.detail);
  else if (error.vendorMessage !== undefined && message !== error.vendorMessage) headers['X-Sandbox-Error-Detail'] = asciiHeader(error.vendorMessage);
  return { status: status ?? entry.status ?? 200, headers, body: fill(own ?? answers.failure, { $message: message }), error: error.code };
}

function fill(template: Template, values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    body[key] = typeof value === 'string' && Object.hasOwn(values, value) ? values[value] : value;
  }
  return body;
}

/** A list template cut around its customers: the bytes before and after, and whether it holds one customer or a list. */
type ListFrame = { head: Buffer; tail: Buffer; single: boolean };
const frames = new WeakMap<Template, ListFrame | null>();
const SENTINEL = '\u0000customers\u0000';

function listFrame(template: Template): ListFrame | undefined {
  let frame = frames.get(template);
  if (frame === undefined) {
    const key = Object.keys(template).find((k) => template[k] === '$customers' || template[k] === '$customer');
    if (key === undefined) {
      frame = null;
    } else {
      const single = template[key] === '$customer';
      const text = JSON.stringify({ ...template, [key]: SENTINEL });
      const [before, after] = text.split(JSON.stringify(SENTINEL)) as [string, string];
      frame = { head: Buffer.from(single ? before : `${before}[`), tail: Buffer.from(single ? after : `]${after}`), single };
    }
    frames.set(template, frame);
  }
  return frame ?? undefined;
}

const COMMA = 0x2c;

/**
 * The list answer copied together from each customer's cached vendor JSON bytes: one allocation
 * and one copy per customer, where joining strings and encoding the result cost most of a one-day
 * select over a large store. A larger list is streamed (StreamedJson).
 */
function customerBody(frame: ListFrame, found: CustomerRecord[], store: Store, present: (customer: CustomerRecord) => Buffer): RawJson | StreamedJson {
  const customers = frame.single ? found.slice(0, 1) : found;
  if (customers.length > STREAM_ABOVE_CUSTOMERS) {
    return new StreamedJson(frame.head, customers.length, (i) => store.derived(customers[i]!, present, false), frame.tail);
  }
  const parts = customers.map((customer) => store.derived(customer, present));
  let size = frame.head.length + frame.tail.length + Math.max(0, parts.length - 1);
  for (const part of parts) size += part.length;
  const bytes = Buffer.allocUnsafe(size);
  bytes.set(frame.head, 0);
  let at = frame.head.length;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) bytes[at++] = COMMA;
    bytes.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  bytes.set(frame.tail, at);
  return new RawJson(bytes);
}
