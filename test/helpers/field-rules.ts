import { compileItemRules, type ItemVerdict } from '../../src/validation/request-fields.js';

/** The compiled rules, sample items and verdict helpers that test/field-rules-*.test.ts share. */

export const ADD = compileItemRules('AddCustomerItem');
export const UPDATE = compileItemRules('UpdateCustomerItem');
export const CONTACTS = compileItemRules('AddContactsItem');
export const SEARCH = compileItemRules('SearchCustomerItem');
export const SELECT = compileItemRules('SelectCustomersItem');

export const VALID = { name: 'Asha Rao', email: 'asha@example.com', phone: '9876543210' };
export const CONTACT = { customer_id: '272930', email: 'ravi@example.com', phone: '9876500000' };

export function ok(verdict: ItemVerdict): { values: Record<string, unknown>; warnings: string[] } {
  if (!verdict.ok) throw new Error(`expected the item to pass, got: ${verdict.message}`);
  return verdict;
}
export function failed(verdict: ItemVerdict): { field: string; message: string } {
  if (verdict.ok) throw new Error(`expected the item to fail, it passed with ${JSON.stringify({ ...verdict.values })}`);
  return verdict;
}
export const keysOf = (values: Record<string, unknown>) => Object.keys(values).sort();
