import type { KeyRecord } from '../src/records.js';
import type { OperationId } from '../src/operations/ids.js';

/** The account (cmId) of every sample in the vendor document. */
export const DEFAULT_TENANT = 396;

/**
 * The keys a fresh sandbox accepts: one for everything, one already expired (to see APIExpired),
 * one granted only the search operation (to see a key used on an API it was not configured for).
 * A fresh array of fresh objects on every call.
 */
export function defaultKeys(): KeyRecord[] {
  const searchOnly: OperationId[] = ['searchCustomer'];
  return [
    { key: 'sandbox-key', tenant: DEFAULT_TENANT, name: 'Sandbox default key' },
    { key: 'expired-key', tenant: DEFAULT_TENANT, expiresAt: '2016-01-01T00:00:00.000Z', name: 'Expired key' },
    { key: 'search-only-key', tenant: DEFAULT_TENANT, operations: searchOnly, name: 'Search-only key' },
  ];
}
