import type { CustomerRecord } from '../records.js';
import type { OperationContext, OperationResult } from './context.js';
import type { AddCustomerInput, CustomerFieldsInput } from './inputs.js';

/** Adds each customer with its primary contact; answers the new ids (joined by commas for a batch). */
export function addCustomers(context: OperationContext, inputs: AddCustomerInput[]): OperationResult {
  const ids = inputs.map((input) => createCustomer(context, input).id);
  return { answer: { customerIds: ids }, warnings: [], mutated: true };
}

/** `contactPerson`: the primary contact's name, when it is not the customer's. */
export type NewCustomer = CustomerFieldsInput & { name: string; email?: string; phone?: string; contactPerson?: string };

/**
 * A new customer in the store, with its primary contact (which holds the email and phone, as at
 * Kapture). `sourceId`: the integrating system's id, for an add-update that named an unknown one.
 */
export function createCustomer(context: OperationContext, input: NewCustomer, sourceId?: string): CustomerRecord {
  const createdAt = context.now.toISOString();
  const { name, email, phone, contactPerson, ...fields } = input;
  const customer: CustomerRecord = {
    id: context.store.nextCustomerId(),
    cmId: context.tenant,
    ...(sourceId === undefined ? {} : { sourceId }),
    createdAt,
    name,
    ...fields,
    contacts: [
      {
        id: context.store.nextContactId(),
        createdAt,
        contactPerson: contactPerson ?? name,
        phone: phone ?? '',
        email: email ?? '',
        isPrimaryContact: true,
      },
    ],
  };
  context.store.insert(customer);
  return customer;
}
