import { parseVendorDateTime } from '../vendor/dates.js';
import type { CustomerRecord } from '../records.js';
import type { OperationContext, OperationResult } from './context.js';
import type { SearchCustomerInput, SelectCustomersInput } from './inputs.js';
import { findByReference, requireCustomer } from './lookup.js';

/**
 * One customer per item, in order; CustomerNotFound for one this tenant does not have. A profile
 * whose account answers only the first item of a batch (`batch: "first"`) looks up only that one.
 */
export function searchCustomers(context: OperationContext, inputs: SearchCustomerInput[]): OperationResult {
  const warnings = firstOnly(context, inputs);
  const asked = context.answers.batch === 'first' ? inputs.slice(0, 1) : inputs;
  const found = asked.map((input) => requireCustomer(context, input.customerRef));
  return { answer: { customers: found }, warnings, mutated: false };
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
    if (input.customerRef === undefined) {
      // concat, not push(...): a range can hold more customers than a call has arguments.
      found = found.concat(context.store.customersBetween(context.tenant, from, to));
      continue;
    }
    const customer = findByReference(context, input.customerRef)?.customer;
    const created = customer ? Date.parse(customer.createdAt) : NaN;
    if (customer && created >= from && created <= to) found.push(customer);
  }
  return { answer: { customers: found }, warnings, mutated: false };
}

/** The warning of a batch whose items after the first are not answered (`batch: "first"`). */
export function firstOnly(context: OperationContext, inputs: readonly unknown[]): string[] {
  if (context.answers.batch !== 'first' || inputs.length < 2) return [];
  return [`only the first of the body's ${inputs.length} items is answered, as this account answers a batch; send one request per customer`];
}
