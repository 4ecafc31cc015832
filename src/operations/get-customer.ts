import { VendorError } from '../errors.js';
import type { CustomerRecord } from '../records.js';
import type { OperationContext, OperationResult } from './context.js';
import { findByKaptureId, findByReference } from './lookup.js';
import { firstOnly } from './read-customers.js';

/** Today's Get Customer: any one of these identifies the customer (`""` was dropped as not given). */
export type GetCustomerInput = { kaptureId?: string; customerRef?: string; email?: string; phone?: string };

type Values = Record<string, unknown>;
const text = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

export function toGetCustomerInput(values: Values): GetCustomerInput {
  const input: GetCustomerInput = {};
  const kaptureId = text(values.kapture_customer_id);
  const customerRef = text(values.customer_id);
  const email = text(values.email_id);
  const phone = text(values.phone);
  if (kaptureId !== undefined) input.kaptureId = kaptureId;
  if (customerRef !== undefined) input.customerRef = customerRef;
  if (email !== undefined) input.email = email;
  if (phone !== undefined) input.phone = phone;
  return input;
}

type Lookup = { field: string; value: string; find: () => readonly CustomerRecord[] };

/**
 * Finds one customer per item by the identifiers given, in this order: `kapture_customer_id`
 * (Kapture's id), `customer_id` (source id, then Kapture's id), `email_id`, `phone`. The first
 * identifier that finds someone decides; several customers sharing an email or phone answer the
 * oldest, with a warning, as do identifiers that name different customers.
 */
export function getCustomers(context: OperationContext, inputs: GetCustomerInput[]): OperationResult {
  const warnings = firstOnly(context, inputs);
  const asked = context.answers.batch === 'first' ? inputs.slice(0, 1) : inputs;
  const found = asked.map((input, index) => findOne(context, input, asked.length > 1 ? `[${index}].` : '', warnings));
  return { answer: { customers: found }, warnings, mutated: false };
}

/** The identifiers an item gives, in the order they decide; each looked up only when asked (most items give one). */
function lookups(context: OperationContext, input: GetCustomerInput): Lookup[] {
  const single = (customer: CustomerRecord | undefined) => (customer ? [customer] : []);
  const all: Lookup[] = [];
  const { kaptureId, customerRef, email, phone } = input;
  if (kaptureId !== undefined) all.push({ field: 'kapture_customer_id', value: kaptureId, find: () => single(findByKaptureId(context, kaptureId)) });
  if (customerRef !== undefined) all.push({ field: 'customer_id', value: customerRef, find: () => single(findByReference(context, customerRef)?.customer) });
  if (email !== undefined) all.push({ field: 'email_id', value: email, find: () => context.store.customersByEmail(context.tenant, email) });
  if (phone !== undefined) all.push({ field: 'phone', value: phone, find: () => context.store.customersByPhone(context.tenant, phone) });
  return all;
}

function findOne(context: OperationContext, input: GetCustomerInput, at: string, warnings: string[]): CustomerRecord {
  const given = lookups(context, input);
  let decided: { lookup: Lookup; found: readonly CustomerRecord[] } | undefined;
  for (const lookup of given) {
    const found = lookup.find();
    if (found.length > 0) {
      decided = { lookup, found };
      break;
    }
  }
  if (!decided) {
    const asked = given.map((lookup) => `${at}${lookup.field} ${JSON.stringify(lookup.value)}`).join(', ');
    throw new VendorError('CustomerNotFound', `Customer not found: no customer with ${asked} in this account`, `tenant ${context.tenant} has no customer with ${asked}`);
  }
  const customer = decided.found[0]!;
  const { field, value } = decided.lookup;
  if (decided.found.length > 1) {
    warnings.push(`${decided.found.length} customers of this account have ${at}${field} ${JSON.stringify(value)}: the oldest (${customer.id}) is answered`);
  }
  for (const other of given) {
    if (other === decided.lookup) continue;
    const found = other.find();
    if (found.length === 0 || found.includes(customer)) continue;
    warnings.push(`${at}${other.field} ${JSON.stringify(other.value)} names another customer (${found[0]!.id}) than ${field} (${customer.id}): ${field} decides`);
  }
  return customer;
}
