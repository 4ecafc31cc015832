import { expect } from 'vitest';
import { seedData } from '../../seeds/generate.js';
import { parseVendorBody } from '../../src/http/body.js';
import { checkItems } from '../../src/http/vendor-items.js';
import { VendorError } from '../../src/errors.js';
import type { OperationContext, OperationResult } from '../../src/operations/context.js';
import type { OperationId } from '../../src/operations/ids.js';
import { route } from '../../src/operations/registry.js';
import type { CustomerRecord, StoreData } from '../../src/records.js';
import { memoryPersistence } from '../../src/store/persistence.js';
import { Store } from '../../src/store/store.js';
import { presentCustomerBytes } from '../../src/vendor/present.js';
import { builtInProfile, type BuiltInProfile } from '../../src/vendor/profile.js';

/*
 * The operations in-process, over a Store on memory persistence: no HTTP, no journal, no faults;
 * a body is routed and its items checked as src/http/vendor.ts does, then handed to the handler's
 * execute function.
 */

/** The seeded state, built once; every test starts from a copy of it. */
const SEED: StoreData = seedData({ seed: 1, customers: 5 });
export const TENANT = 396;
/** 2026-11-29 12:00:00 IST. */
export const NOW = new Date('2026-11-29T06:30:00.000Z');

export const PATHS = {
  addOrUpdate: '/add-update-customer-from-other-source.html',
  select: '/select-customer-between-start-and-end-dates.html',
  search: '/search-customer-by-customer-id.html',
  addContacts: '/add-more-contacts-for-existing-customer.html',
  ms: '/ms/customer/customer/api/v1/add-update',
} as const;

/** A fresh store of the seeded state. */
export function freshStore(): Store {
  return new Store(structuredClone(SEED), memoryPersistence);
}

export type Run = OperationResult & { operation: OperationId };
export type RunOptions = { tenant?: number; profile?: BuiltInProfile; now?: Date };

/**
 * Runs one vendor body through its operation, as a key of `tenant` would. Throws what the operation
 * throws (a VendorError). Every customer's JSON is cached first, so a change that left it stale shows
 * in `expectConsistent`.
 */
export function run(store: Store, path: string, body: object, { tenant = TENANT, profile = 'document', now = NOW }: RunOptions = {}): Run {
  for (const customer of store.data.customers) store.derived(customer as CustomerRecord, presentCustomerBytes);
  const parsed = parseVendorBody(Buffer.from(JSON.stringify(body)), 'application/json');
  if (!parsed.ok) throw new Error(parsed.message);
  const { operation, handler } = route(path, parsed);
  const answers = builtInProfile(profile).shapes[handler.shape];
  // The vendor path's own item checks (src/http/vendor-items.ts): a refused item throws ReqFieldMissing.
  const items = checkItems(operation, handler, answers, parsed.items, parsed.isArray, undefined, []);
  const context: OperationContext = { store, tenant, now, answers };
  return { operation, ...handler.execute(context, items) };
}

/** The ids an operation answered as found (search, select, pull, get). */
export const foundIds = (result: OperationResult) => (result.answer.customers ?? []).map((customer) => customer.id);

export const idsByPhone = (store: Store, phone: string, tenant = TENANT) => store.customersByPhone(tenant, phone).map((c) => c.id);
export const idsByEmail = (store: Store, email: string, tenant = TENANT) => store.customersByEmail(tenant, email).map((c) => c.id);

/** The store's customer with this id, which the test knows is there. */
export function customerOf(store: Store, id: number, tenant = TENANT): CustomerRecord {
  const customer = store.customer(tenant, id);
  if (!customer) throw new Error(`no customer ${id} in tenant ${tenant}`);
  return customer;
}

/**
 * The store's indexes and cached JSON agree with a store built afresh from the same data: every
 * phone, email and source id finds the same customers, and every customer's cached JSON is what
 * presenting it now gives. What a change forgot to re-index or invalidate shows here.
 */
export function expectConsistent(store: Store): void {
  const rebuilt = new Store(structuredClone(store.data) as StoreData, memoryPersistence);
  const ids = (customers: readonly { id: number }[]) => customers.map((c) => c.id);
  for (const tenant of store.tenants()) {
    expect(ids(store.customersOf(tenant)), `customers of ${tenant}`).toEqual(ids(rebuilt.customersOf(tenant)));
    for (const customer of store.customersOf(tenant)) {
      const live = customer as CustomerRecord;
      if (customer.sourceId !== undefined) expect(store.customerBySource(tenant, customer.sourceId)?.id).toBe(customer.id);
      for (const contact of customer.contacts) {
        if (contact.phone !== '') expect(ids(store.customersByPhone(tenant, contact.phone)), `phone ${contact.phone}`).toEqual(ids(rebuilt.customersByPhone(tenant, contact.phone)));
        if (contact.email !== '') expect(ids(store.customersByEmail(tenant, contact.email)), `email ${contact.email}`).toEqual(ids(rebuilt.customersByEmail(tenant, contact.email)));
      }
      expect(store.derived(live, presentCustomerBytes).toString(), `cached JSON of ${customer.id}`).toBe(presentCustomerBytes(live).toString());
    }
  }
}

/** The code of the VendorError a call throws ('no error' when it returns). */
export function failureCode(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error instanceof VendorError ? error.code : error;
  }
  return 'no error';
}
