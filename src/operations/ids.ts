/** The five operations of the Customer API, as named in the OpenAPI document and in key grants. */
export const OPERATION_IDS = ['addCustomer', 'updateCustomer', 'selectCustomers', 'searchCustomer', 'addContacts'] as const;

export type OperationId = (typeof OPERATION_IDS)[number];

/** The operations that change data: a key's `fields` restrict what they write, the contract suite sends them only with --allow-writes. */
export const WRITES: ReadonlySet<OperationId> = new Set(['addCustomer', 'updateCustomer', 'addContacts']);

/**
 * The spec's operationId of the shared add-update URL. A fault rule may name it: it then matches
 * both operations of that URL, addCustomer and updateCustomer.
 */
export const ADD_OR_UPDATE = 'addOrUpdateCustomer';

/** What a fault rule's `operation` may name: one operation, or both of the add-update URL. */
export type OperationMatcher = OperationId | typeof ADD_OR_UPDATE;

export function matchesOperation(matcher: OperationMatcher, operation: OperationId): boolean {
  return matcher === operation || (matcher === ADD_OR_UPDATE && (operation === 'addCustomer' || operation === 'updateCustomer'));
}

export function isOperationId(s: unknown): s is OperationId {
  return typeof s === 'string' && (OPERATION_IDS as readonly string[]).includes(s);
}
