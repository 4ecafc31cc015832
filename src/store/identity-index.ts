import type { CustomerRecord } from '../records.js';

/** A phone as lookups compare it: its digits only (`+91 98765-43210` and `919876543210` are one phone). */
export function phoneKey(phone: string): string {
  // The same string when it is digits already (nearly every phone): one string fewer per contact.
  return NON_DIGIT.test(phone) ? phone.replace(NON_DIGITS, '') : phone;
}

/** An email as lookups compare it: case and surrounding spaces do not matter. */
export function emailKey(email: string): string {
  return LOWER_TRIMMED.test(email) ? email : email.trim().toLowerCase();
}

const NON_DIGIT = /\D/;
const NON_DIGITS = /\D/g;
const LOWER_TRIMMED = /^[^\sA-Z](?:[^A-Z]*[^\sA-Z])?$/;

/** One customer, or several sharing the key (oldest first): a lone customer is kept without an array around it. */
type Entry = CustomerRecord | CustomerRecord[];

/**
 * Per-tenant indexes of customers by source id (the integrating system's `customer_id`), by phone
 * and by email: today's Get Customer and the add-update URL's upsert look customers up by these, and
 * a scan of a large store per request would cost what an index lookup does not.
 *
 * Memory matters here (it is paid per customer): an entry holds the customer itself, or an array
 * when several share a key. A change made in place (an update, a new contact) adds the keys the
 * customer has now; keys it no longer has are not removed at once but dropped at lookup, where
 * every match is checked against the customer's current contacts (a customer's old phone then finds
 * nothing). A source id never changes once given.
 */
export class IdentityIndex {
  #source = new Map<number, Map<string, CustomerRecord>>();
  #phone = new Map<number, Map<string, Entry>>();
  #email = new Map<number, Map<string, Entry>>();

  bySource(tenant: number, source: string): CustomerRecord | undefined {
    return this.#source.get(tenant)?.get(source);
  }

  /** The tenant's customers with a contact of that phone, oldest first. */
  byPhone(tenant: number, phone: string): CustomerRecord[] {
    const key = phoneKey(phone);
    return current(this.#phone.get(tenant)?.get(key), (customer) => customer.contacts.some((c) => phoneKey(c.phone) === key));
  }

  /** The tenant's customers with a contact of that email, oldest first. */
  byEmail(tenant: number, email: string): CustomerRecord[] {
    const key = emailKey(email);
    return current(this.#email.get(tenant)?.get(key), (customer) => customer.contacts.some((c) => emailKey(c.email) === key));
  }

  /** Indexes a customer by what it has now: a new one, or one changed in place. */
  add(customer: CustomerRecord): void {
    const tenant = customer.cmId;
    if (customer.sourceId !== undefined) tenantMap(this.#source, tenant).set(customer.sourceId, customer);
    for (const contact of customer.contacts) {
      if (contact.phone !== '') insert(tenantMap(this.#phone, tenant), phoneKey(contact.phone), customer);
      if (contact.email !== '') insert(tenantMap(this.#email, tenant), emailKey(contact.email), customer);
    }
  }
}

function tenantMap<V>(maps: Map<number, Map<string, V>>, tenant: number): Map<string, V> {
  let map = maps.get(tenant);
  if (!map) maps.set(tenant, (map = new Map()));
  return map;
}

/**
 * Adds the customer under the key once, keeping customers sharing it oldest first (ids grow with
 * creation): a binary search by id finds its place, so a new customer (the newest) is an append,
 * and a changed one already there is found without a scan.
 */
function insert(map: Map<string, Entry>, key: string, customer: CustomerRecord): void {
  const entry = map.get(key);
  if (entry === undefined) {
    map.set(key, customer);
    return;
  }
  if (entry === customer) return;
  let list: CustomerRecord[];
  if (Array.isArray(entry)) list = entry;
  else map.set(key, (list = [entry]));
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]!.id < customer.id) low = mid + 1;
    else high = mid;
  }
  if (list[low] !== customer) list.splice(low, 0, customer);
}

/** The customers of an entry that still have the key (a change may have taken it from them). */
function current(entry: Entry | undefined, stillHas: (customer: CustomerRecord) => boolean): CustomerRecord[] {
  if (entry === undefined) return [];
  if (!Array.isArray(entry)) return stillHas(entry) ? [entry] : [];
  return entry.filter(stillHas);
}
