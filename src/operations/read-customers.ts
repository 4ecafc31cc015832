import { parseVendorDateTime } from '../dates.js';
import { presentCustomerJson } from '../present.js';
import { RawJson } from '../raw-json.js';
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

/** `{"message":[...],"status":"success"}` assembled from each customer's cached vendor JSON. */
function listBody({ store }: OperationContext, customers: CustomerRecord[]): RawJson {
  const parts = customers.map((customer) => store.derived(customer, presentCustomerJson));
  return new RawJson(`{"message":[${parts.join(',')}],"status":"success"}`);
}
