import type { ContactRecord } from '../records.js';
import type { OperationContext, OperationResult } from './context.js';
import type { AddContactInput } from './inputs.js';
import { requireCustomer } from './lookup.js';

/**
 * Adds one contact per item to the named customer. Every customer is looked up first, so a batch
 * naming an unknown one adds nothing. Added contacts are not primary: the customer's primary
 * contact is the one add created.
 */
export function addContacts(context: OperationContext, inputs: AddContactInput[]): OperationResult {
  const targets = inputs.map((input) => requireCustomer(context, input.customerRef));
  const createdAt = context.now.toISOString();
  const ids = inputs.map((input, index) => {
    const { customerRef: _ref, ...fields } = input;
    const contact: ContactRecord = { id: context.store.nextContactId(), createdAt, ...fields, isPrimaryContact: false };
    context.store.update(targets[index]!, (customer) => customer.contacts.push(contact));
    return contact.id;
  });
  return { answer: { customerIds: targets.map((customer) => customer.id), contactIds: ids }, warnings: [], mutated: true };
}
