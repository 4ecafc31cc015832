import { VendorError } from '../errors.js';
import type { CustomerRecord } from '../records.js';
import type { OperationContext } from './context.js';

/** The tenant's customer, or CustomerNotFound: another tenant's customer does not exist for this key. */
export function requireCustomer({ store, tenant }: OperationContext, id: number): CustomerRecord {
  const customer = store.customer(tenant, id);
  if (customer) return customer;
  throw new VendorError(
    'CustomerNotFound',
    `Customer not found: no customer with customer_id ${id} in this account`,
    `customer ${id} does not exist in tenant ${tenant}; use an id answered by add ("Kapture Customer Id") or by select`,
  );
}
