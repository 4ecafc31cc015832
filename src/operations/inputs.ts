import type { ContactRecord } from '../records.js';
import { CONTACT_FIELDS, CUSTOMER_FIELDS, fieldsOf, type CustomerFields } from '../vendor/fields.js';

/*
 * Typed inputs of the operations, built from values the spec's field rules have already accepted
 * (so the conversions below cannot meet a value of the wrong shape).
 */

export type CustomerFieldsInput = CustomerFields;

export type AddCustomerInput = CustomerFieldsInput & { name: string; email: string; phone: string };

/** `customerRef`: the `customer_id` sent, a source id or Kapture's id (see `findByReference`). */
export type UpdateCustomerInput = CustomerFieldsInput & {
  customerRef: string;
  name?: string;
  email?: string;
  phone?: string;
};

export type SelectCustomersInput = { startDate: string; endDate: string; customerRef?: string };

export type SearchCustomerInput = { customerRef: string };

export type AddContactInput = Omit<ContactRecord, 'id' | 'createdAt' | 'isPrimaryContact'> & { customerRef: string };

type Values = Record<string, unknown>;

/** The customer fields a request set, as records keep them (the table in vendor/fields.ts). */
export function customerFields(values: Values): CustomerFieldsInput {
  return fieldsOf(CUSTOMER_FIELDS, values);
}


export function toAddCustomerInput(values: Values): AddCustomerInput {
  return { ...customerFields(values), name: String(values.name), email: String(values.email), phone: String(values.phone) };
}

export function toUpdateCustomerInput(values: Values): UpdateCustomerInput {
  const input: UpdateCustomerInput = { ...customerFields(values), customerRef: String(values.customer_id) };
  if (values.name !== undefined) input.name = String(values.name);
  if (values.email !== undefined) input.email = String(values.email);
  if (values.phone !== undefined) input.phone = String(values.phone);
  return input;
}

export function toSelectCustomersInput(values: Values): SelectCustomersInput {
  const input: SelectCustomersInput = { startDate: String(values.start_date), endDate: String(values.end_date) };
  if (values.customer_id !== undefined) input.customerRef = String(values.customer_id);
  return input;
}

export function toSearchCustomerInput(values: Values): SearchCustomerInput {
  return { customerRef: String(values.customer_id) };
}

export function toAddContactInput(values: Values): AddContactInput {
  const input: AddContactInput = {
    customerRef: String(values.customer_id),
    contactPerson: String(values.contact_person),
    email: String(values.email),
    phone: String(values.phone),
  };
  Object.assign(input, fieldsOf(CONTACT_FIELDS, values));
  return input;
}
