import type { CustomerRecord } from '../records.js';

/** What a customer is found by, besides Kapture's id: its source id, and its contacts' phones and emails. */
type Identity = { tenant: number; source?: string; phones: string[]; emails: string[] };

/** A phone as lookups compare it: its digits only (`+91 98765-43210` and `919876543210` are one phone). */
export function phoneKey(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** An email as lookups compare it: case does not matter. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Per-tenant indexes of customers by source id (the integrating system's `customer_id`), by phone
 * and by email: today's Get Customer and the add-update URL's upsert look customers up by these, and
 * a scan of a large store per request would cost what an index lookup does not. A customer's
 * entries are remembered, so that a change made in place (an update, a new contact) can move them.
 */
export class IdentityIndex {
  #source = new Map<number, Map<string, CustomerRecord>>();
  #phone = new Map<number, Map<string, CustomerRecord[]>>();
  #email = new Map<number, Map<string, CustomerRecord[]>>();
  #indexed = new WeakMap<CustomerRecord, Identity>();

  bySource(tenant: number, source: string): CustomerRecord | undefined {
    return this.#source.get(tenant)?.get(source);
  }

  /** The tenant's customers with a contact of that phone, oldest first. */
  byPhone(tenant: number, phone: string): readonly CustomerRecord[] {
    return this.#phone.get(tenant)?.get(phoneKey(phone)) ?? [];
  }

  /** The tenant's customers with a contact of that email, oldest first. */
  byEmail(tenant: number, email: string): readonly CustomerRecord[] {
    return this.#email.get(tenant)?.get(emailKey(email)) ?? [];
  }

  add(customer: CustomerRecord): void {
    const identity: Identity = {
      tenant: customer.cmId,
      ...(customer.sourceId === undefined ? {} : { source: customer.sourceId }),
      phones: unique(customer.contacts.map((c) => phoneKey(c.phone)).filter((p) => p !== '')),
      emails: unique(customer.contacts.map((c) => emailKey(c.email)).filter((e) => e !== '')),
    };
    this.#indexed.set(customer, identity);
    if (identity.source !== undefined) tenantMap(this.#source, identity.tenant).set(identity.source, customer);
    for (const phone of identity.phones) insertSorted(tenantMap(this.#phone, identity.tenant), phone, customer);
    for (const email of identity.emails) insertSorted(tenantMap(this.#email, identity.tenant), email, customer);
  }

  /** A customer changed in place: its entries follow its current phones, emails and source id. */
  update(customer: CustomerRecord): void {
    this.remove(customer);
    this.add(customer);
  }

  remove(customer: CustomerRecord): void {
    const identity = this.#indexed.get(customer);
    if (!identity) return;
    this.#indexed.delete(customer);
    const sources = this.#source.get(identity.tenant);
    if (identity.source !== undefined && sources?.get(identity.source) === customer) sources.delete(identity.source);
    for (const phone of identity.phones) removeFrom(this.#phone.get(identity.tenant), phone, customer);
    for (const email of identity.emails) removeFrom(this.#email.get(identity.tenant), email, customer);
  }
}

function unique(values: string[]): string[] {
  return values.length < 2 ? values : [...new Set(values)];
}

function tenantMap<V>(maps: Map<number, Map<string, V>>, tenant: number): Map<string, V> {
  let map = maps.get(tenant);
  if (!map) maps.set(tenant, (map = new Map()));
  return map;
}

/** Customers sharing a phone or email are kept oldest first (by id: ids grow with creation). */
function insertSorted(map: Map<string, CustomerRecord[]>, key: string, customer: CustomerRecord): void {
  const list = map.get(key);
  if (!list) {
    map.set(key, [customer]);
    return;
  }
  let at = list.length;
  while (at > 0 && list[at - 1]!.id > customer.id) at--;
  list.splice(at, 0, customer);
}

function removeFrom(map: Map<string, CustomerRecord[]> | undefined, key: string, customer: CustomerRecord): void {
  const list = map?.get(key);
  if (!list) return;
  const at = list.indexOf(customer);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) map!.delete(key);
}
