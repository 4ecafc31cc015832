import { compileItemRules, type ItemRules } from '../validation/request-fields.js';
import { addContacts } from './add-contacts.js';
import { addCustomers } from './add-customer.js';
import type { OperationContext, OperationResult } from './context.js';
import type { OperationId } from './ids.js';
import {
  toAddContactInput,
  toAddCustomerInput,
  toSearchCustomerInput,
  toSelectCustomersInput,
  toUpdateCustomerInput,
} from './inputs.js';
import { searchCustomers, selectCustomers } from './read-customers.js';
import { updateCustomers } from './update-customer.js';

/** An operation: its request item schema in the spec, how validated values become input, and the work. */
export type Operation = {
  id: OperationId;
  rules: ItemRules;
  execute(context: OperationContext, items: Array<Record<string, unknown>>): OperationResult;
};

function define<I>(
  id: OperationId,
  itemSchema: string,
  toInput: (values: Record<string, unknown>) => I,
  run: (context: OperationContext, inputs: I[]) => OperationResult,
): Operation {
  return { id, rules: compileItemRules(itemSchema), execute: (context, items) => run(context, items.map(toInput)) };
}

export const OPERATIONS: Record<OperationId, Operation> = {
  addCustomer: define('addCustomer', 'AddCustomerItem', toAddCustomerInput, addCustomers),
  updateCustomer: define('updateCustomer', 'UpdateCustomerItem', toUpdateCustomerInput, updateCustomers),
  selectCustomers: define('selectCustomers', 'SelectCustomersItem', toSelectCustomersInput, selectCustomers),
  searchCustomer: define('searchCustomer', 'SearchCustomerItem', toSearchCustomerInput, searchCustomers),
  addContacts: define('addContacts', 'AddContactsItem', toAddContactInput, addContacts),
};

/** The vendor URLs. Add and update share one; the body decides which (see `resolveOperation`). */
export const VENDOR_PATHS: Record<string, OperationId> = {
  '/add-update-customer-from-other-source.html': 'addCustomer',
  '/select-customer-between-start-and-end-dates.html': 'selectCustomers',
  '/search-customer-by-customer-id.html': 'searchCustomer',
  '/add-more-contacts-for-existing-customer.html': 'addContacts',
};
