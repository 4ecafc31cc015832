import { VendorError } from '../errors.js';
import type { CustomerRecord } from '../records.js';
import type { OperationContext } from './context.js';

/** A customer found by a `customer_id`, and whether that value was its source id or Kapture's id. */
export type Found = { customer: CustomerRecord; by: 'source' | 'kapture' };

const KAPTURE_ID = /^[0-9]{1,15}$/;

/**
 * `customer_id` names the customer from the other source (the integrating system's own id, any
 * string): it is matched against source ids first, then against Kapture's id.
 */
export function findByReference({ store, tenant }: Pick<OperationContext, 'store' | 'tenant'>, reference: string): Found | undefined {
  const bySource = store.customerBySource(tenant, reference);
  if (bySource) return { customer: bySource, by: 'source' };
  const byId = KAPTURE_ID.test(reference) ? store.customer(tenant, Number(reference)) : undefined;
  return byId ? { customer: byId, by: 'kapture' } : undefined;
}

/** The tenant's customer with Kapture id `id`, if any. */
export function findByKaptureId({ store, tenant }: OperationContext, id: string): CustomerRecord | undefined {
  return KAPTURE_ID.test(id) ? store.customer(tenant, Number(id)) : undefined;
}

/** The tenant's customer named by `reference`, or CustomerNotFound: another tenant's customer does not exist for this key. */
export function requireCustomer(context: OperationContext, reference: string, field = 'customer_id'): CustomerRecord {
  const found = findByReference(context, reference);
  if (found) return found.customer;
  throw notFound(context, field, reference);
}

export function notFound({ tenant }: OperationContext, field: string, value: string): VendorError {
  return new VendorError(
    'CustomerNotFound',
    `Customer not found: no customer with ${field} ${value} in this account`,
    `no customer of tenant ${tenant} has ${field} ${JSON.stringify(value)}; use an id answered by add ("Kapture Customer Id"), by select, or the customer_id your system added it with`,
  );
}
