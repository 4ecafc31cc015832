import type { ParsedBody } from '../http/body.js';
import { compileItemRules, type ItemRules } from '../validation/request-fields.js';
import type { Shape } from '../vendor/profile.js';
import { addContacts } from './add-contacts.js';
import { addCustomers } from './add-customer.js';
import type { OperationContext, OperationResult } from './context.js';
import { getCustomers, toGetCustomerInput } from './get-customer.js';
import type { OperationId } from './ids.js';
import { msAddUpdate, msUpdates, toMsAddUpdateInput } from './ms-add-update.js';
import { pullCustomers, toPullCustomersInput } from './pull-customers.js';
import {
  toAddContactInput,
  toAddCustomerInput,
  toSearchCustomerInput,
  toSelectCustomersInput,
  toUpdateCustomerInput,
} from './inputs.js';
import { searchCustomers, selectCustomers } from './read-customers.js';
import { updateCustomers } from './update-customer.js';

/** How one request shape of an operation is handled: its item schema in the spec, and the work. */
export type Handler = {
  shape: Shape;
  rules: ItemRules;
  /** The profile's add requirements (`addRequires`) replace the item schema's `required`. */
  addRequires: boolean;
  execute(context: OperationContext, items: Array<Record<string, unknown>>): OperationResult;
};

function define<I>(
  shape: Shape,
  itemSchema: string,
  toInput: (values: Record<string, unknown>) => I,
  run: (context: OperationContext, inputs: I[]) => OperationResult,
  addRequires = false,
): Handler {
  return { shape, rules: compileItemRules(itemSchema), addRequires, execute: (context, items) => run(context, items.map(toInput)) };
}

/** The 2016 document's request shapes. */
const DOCUMENT: Record<OperationId, Handler> = {
  addCustomer: define('document', 'AddCustomerItem', toAddCustomerInput, addCustomers, true),
  updateCustomer: define('document', 'UpdateCustomerItem', toUpdateCustomerInput, updateCustomers),
  selectCustomers: define('document', 'SelectCustomersItem', toSelectCustomersInput, selectCustomers),
  searchCustomer: define('document', 'SearchCustomerItem', toSearchCustomerInput, searchCustomers),
  addContacts: define('document', 'AddContactsItem', toAddContactInput, addContacts),
};

/** Today's request shapes on the same URLs: the body decides, on every profile. */
const GET_CUSTOMER = define('current', 'GetCustomerItem', toGetCustomerInput, getCustomers);
const GET_CUSTOMER_KEYS = ['kapture_customer_id', 'email_id', 'phone'];
const PULL_CUSTOMERS = define('current', 'PullCustomersItem', toPullCustomersInput, pullCustomers);
const PULL_CUSTOMERS_KEYS = ['createStartDate', 'createEndDate'];

const MS_ADD_UPDATE = define('current', 'MsAddUpdateItem', toMsAddUpdateInput, msAddUpdate);
const MS_ADD_UPDATE_PATH = '/ms/customer/customer/api/v1/add-update';

/** The vendor URLs. Add and update share one; the body decides which (see `route`). */
export const VENDOR_PATHS: Record<string, OperationId> = {
  '/add-update-customer-from-other-source.html': 'addCustomer',
  [MS_ADD_UPDATE_PATH]: 'addCustomer',
  '/select-customer-between-start-and-end-dates.html': 'selectCustomers',
  '/search-customer-by-customer-id.html': 'searchCustomer',
  '/add-more-contacts-for-existing-customer.html': 'addContacts',
};

/** The request shape a URL implies before its body is read (a refused method or size is answered in it). */
export function pathShape(path: string): Shape {
  return path === MS_ADD_UPDATE_PATH ? 'current' : 'document';
}

export type Route = { readonly operation: OperationId; readonly handler: Handler };

/** Every route there is, made once: routing a request allocates nothing. */
const ROUTES = {
  add: { operation: 'addCustomer', handler: DOCUMENT.addCustomer },
  update: { operation: 'updateCustomer', handler: DOCUMENT.updateCustomer },
  select: { operation: 'selectCustomers', handler: DOCUMENT.selectCustomers },
  search: { operation: 'searchCustomer', handler: DOCUMENT.searchCustomer },
  addContacts: { operation: 'addContacts', handler: DOCUMENT.addContacts },
  getCustomer: { operation: 'searchCustomer', handler: GET_CUSTOMER },
  pull: { operation: 'selectCustomers', handler: PULL_CUSTOMERS },
  msAdd: { operation: 'addCustomer', handler: MS_ADD_UPDATE },
  msUpdate: { operation: 'updateCustomer', handler: MS_ADD_UPDATE },
} as const satisfies Record<string, Route>;

/**
 * The operation and request shape of a body sent to a vendor URL. On the add-update URL a body whose
 * object (or first item) has `customer_id` is an update (which may still add: see `upsertAdds`);
 * on the search URL, one with any of today's Get Customer keys is today's shape, and on the select
 * URL one with `createStartDate`/`createEndDate` (today's pull by date range); today's nested
 * add-update has a URL of its own. An unreadable body takes the document's shape (its failure is
 * worded so).
 */
export function route(path: string, body: ParsedBody): Route {
  const operation = VENDOR_PATHS[path]!;
  const first = body.ok ? body.items[0]! : undefined;
  if (path === MS_ADD_UPDATE_PATH) return first && msUpdates(first) ? ROUTES.msUpdate : ROUTES.msAdd;
  switch (operation) {
    case 'addCustomer':
      return first && Object.hasOwn(first, 'customer_id') ? ROUTES.update : ROUTES.add;
    case 'searchCustomer':
      return first && hasAny(first, GET_CUSTOMER_KEYS) ? ROUTES.getCustomer : ROUTES.search;
    case 'selectCustomers':
      return first && hasAny(first, PULL_CUSTOMERS_KEYS) ? ROUTES.pull : ROUTES.select;
    case 'addContacts':
      return ROUTES.addContacts;
    case 'updateCustomer':
      return ROUTES.update;
  }
}

function hasAny(item: Record<string, unknown>, keys: readonly string[]): boolean {
  for (let i = 0; i < keys.length; i++) if (Object.hasOwn(item, keys[i]!)) return true;
  return false;
}

