import type { ContactRecord, CustomerRecord } from '../records.js';

/*
 * Typed inputs of the operations, built from values the spec's field rules have already accepted
 * (so the conversions below cannot meet a value of the wrong shape).
 */

export type CustomerFieldsInput = Partial<Omit<CustomerRecord, 'id' | 'cmId' | 'createdAt' | 'name' | 'contacts'>>;

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

/** Request field (snake_case, as the document names it) → record field. */
const CUSTOMER_FIELDS: Array<[string, keyof CustomerFieldsInput]> = [
  ['address', 'address'],
  ['city', 'city'],
  ['state', 'state'],
  ['country', 'country'],
  ['pin_code', 'pinCode'],
  ['customer_code', 'customerCode'],
  ['type', 'customerType'],
  ['classification', 'classification'],
  ['date_of_birth', 'dateOfBirth'],
  ['anniversary_date', 'anniversaryDate'],
];

export function customerFields(values: Values): CustomerFieldsInput {
  const input: CustomerFieldsInput = {};
  for (const [from, to] of CUSTOMER_FIELDS) {
    if (values[from] !== undefined) (input as Record<string, unknown>)[to] = String(values[from]);
  }
  if (values.zone !== undefined) input.zone = Number(values.zone);
  return input;
}

const optionalString = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

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
  const extras: Array<[string, 'additionalEmail' | 'additionalPhone' | 'designation' | 'gender' | 'maritalStatus']> = [
    ['additional_email', 'additionalEmail'],
    ['additional_phone', 'additionalPhone'],
    ['designation', 'designation'],
    ['gender', 'gender'],
    ['marital_status', 'maritalStatus'],
  ];
  for (const [from, to] of extras) {
    const value = optionalString(values[from]);
    if (value !== undefined) input[to] = value;
  }
  if (values.age !== undefined) input.age = Number(values.age);
  return input;
}
