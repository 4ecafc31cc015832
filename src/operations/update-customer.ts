import type { OperationContext, OperationResult } from './context.js';
import type { UpdateCustomerInput } from './inputs.js';
import { requireCustomer } from './lookup.js';

/**
 * Updates the named customers. Every customer is looked up before anything changes, so a batch
 * naming one unknown customer changes nothing. `name` is the customer's; `email` and `phone`
 * live on the primary contact at Kapture, so they update that contact.
 */
export function updateCustomers(context: OperationContext, inputs: UpdateCustomerInput[]): OperationResult {
  const targets = inputs.map((input) => requireCustomer(context, input.customerId));
  inputs.forEach((input, index) => {
    const customer = targets[index]!;
    const { customerId: _id, email, phone, ...fields } = input;
    Object.assign(customer, fields);
    const primary = customer.contacts.find((contact) => contact.isPrimaryContact) ?? customer.contacts[0];
    if (primary && email !== undefined) primary.email = email;
    if (primary && phone !== undefined) primary.phone = phone;
    context.store.changed(customer);
  });
  return { body: { message: 'Customer Updated Successfully', status: 'success' }, warnings: [], mutated: true };
}
