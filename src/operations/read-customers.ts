import { parseVendorDateTime } from '../dates.js';
import { presentCustomerBytes } from '../present.js';
import { RawJson, StreamedJson } from '../raw-json.js';
import type { CustomerRecord } from '../records.js';
import type { OperationContext, OperationResult } from './context.js';
import type { SearchCustomerInput, SelectCustomersInput } from './inputs.js';
import { requireCustomer } from './lookup.js';

/** One customer per item, in order; CustomerNotFound for an id this tenant does not have. */
export function searchCustomers(context: OperationContext, inputs: SearchCustomerInput[]): OperationResult {
  const found = inputs.map((input) => requireCustomer(context, input.customerId));
  return { body: listBody(context, found), warnings: [], mutated: false };
}

/** The tenant's customers created within each item's range (both ends inclusive), oldest first. */
export function selectCustomers(context: OperationContext, inputs: SelectCustomersInput[]): OperationResult {
  const warnings: string[] = [];
  let found: CustomerRecord[] = [];
  for (const input of inputs) {
    // The field rules accepted both dates, so they parse.
    const from = parseVendorDateTime(input.startDate, 'start')!;
    const to = parseVendorDateTime(input.endDate, 'end')!;
    if (from > to) {
      warnings.push(`start_date ${input.startDate} is after end_date ${input.endDate}: no customer can match`);
      continue;
    }
    if (input.customerId === undefined) {
      // concat, not push(...): a range can hold more customers than a call has arguments.
      found = found.concat(context.store.customersBetween(context.tenant, from, to));
      continue;
    }
    const customer = context.store.customer(context.tenant, input.customerId);
    const created = customer ? Date.parse(customer.createdAt) : NaN;
    if (customer && created >= from && created <= to) found.push(customer);
  }
  return { body: listBody(context, found), warnings, mutated: false };
}

const LIST_HEAD = Buffer.from('{"message":[');
const LIST_TAIL = Buffer.from('],"status":"success"}');
const COMMA = 0x2c;
/**
 * Past this many customers (about 10 MB of JSON) an answer is streamed rather than assembled: a
 * select over years of a large store would otherwise hold the whole answer, and every customer's
 * JSON, in memory at once (1.26 GB for 1M customers, 3.5 GB of RSS while it was built).
 */
export const STREAM_ABOVE_CUSTOMERS = 8_000;

/**
 * `{"message":[...],"status":"success"}` copied together from each customer's cached vendor JSON
 * bytes: one allocation and one copy per customer, where joining strings and encoding the result
 * cost most of a one-day select over a large store. A larger list is streamed (StreamedJson).
 */
function listBody({ store }: OperationContext, customers: CustomerRecord[]): RawJson | StreamedJson {
  if (customers.length > STREAM_ABOVE_CUSTOMERS) {
    return new StreamedJson(LIST_HEAD, customers.length, (i) => store.derived(customers[i]!, presentCustomerBytes, false), LIST_TAIL);
  }
  const parts = customers.map((customer) => store.derived(customer, presentCustomerBytes));
  let size = LIST_HEAD.length + LIST_TAIL.length + Math.max(0, parts.length - 1);
  for (const part of parts) size += part.length;
  const bytes = Buffer.allocUnsafe(size);
  bytes.set(LIST_HEAD, 0);
  let at = LIST_HEAD.length;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) bytes[at++] = COMMA;
    bytes.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  bytes.set(LIST_TAIL, at);
  return new RawJson(bytes);
}
