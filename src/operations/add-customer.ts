import type { CustomerRecord } from '../records.js';
import type { OperationContext, OperationResult } from './context.js';
import type { AddCustomerInput } from './inputs.js';

/** Adds each customer with its primary contact; answers the new id (ids joined by commas for a batch). */
export function addCustomers(context: OperationContext, inputs: AddCustomerInput[]): OperationResult {
  const createdAt = context.now.toISOString();
  const ids = inputs.map((input) => {
    const { name, email, phone, ...fields } = input;
    const customer: CustomerRecord = {
      id: context.store.nextCustomerId(),
      cmId: context.tenant,
      createdAt,
      name,
      ...fields,
      contacts: [
        {
          id: context.store.nextContactId(),
          createdAt,
          contactPerson: name,
          phone,
          email,
          isPrimaryContact: true,
        },
      ],
    };
    context.store.insert(customer);
    return customer.id;
  });
  return {
    body: { Message: 'Customer Added Successfully', 'Kapture Customer Id': ids.join(','), Status: 'Success' },
    warnings: [],
    mutated: true,
  };
}
