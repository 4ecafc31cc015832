/** The five operations of the Customer API, as named in the OpenAPI document and in key grants. */
export const OPERATION_IDS = ['addCustomer', 'updateCustomer', 'selectCustomers', 'searchCustomer', 'addContacts'] as const;

export type OperationId = (typeof OPERATION_IDS)[number];

export function isOperationId(s: unknown): s is OperationId {
  return typeof s === 'string' && (OPERATION_IDS as readonly string[]).includes(s);
}
