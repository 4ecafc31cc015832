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
 * when several share a key. A change is bracketed by `remove` (while the customer still has its old
 * keys) and `add` (once it has its new ones): `Store.update` does both, so a lookup answers what the
 * index holds with no check per read, and a phone a customer no longer has finds nothing.
 */
export class IdentityIndex {
  #source = new Map<number, Map<string, CustomerRecord>>();
  #phone = new Map<number, Map<string, Entry>>();
  #email = new Map<number, Map<string, Entry>>();

  bySource(tenant: number, source: string): CustomerRecord | undefined {
    return this.#source.get(tenant)?.get(source);
  }

  /** The tenant's customers with a contact of that phone, oldest first (an array of the caller's own). */
  byPhone(tenant: number, phone: string): CustomerRecord[] {
    return listed(this.#phone.get(tenant)?.get(phoneKey(phone)));
  }

  /** The tenant's customers with a contact of that email, oldest first (an array of the caller's own). */
  byEmail(tenant: number, email: string): CustomerRecord[] {
    return listed(this.#email.get(tenant)?.get(emailKey(email)));
  }

  /** Indexes a customer by what it has now: a new one, or one whose change is done. */
  add(customer: CustomerRecord): void {
    const tenant = customer.cmId;
    if (customer.sourceId !== undefined) tenantMap(this.#source, tenant).set(customer.sourceId, customer);
    for (const contact of customer.contacts) {
      if (contact.phone !== '') insert(tenantMap(this.#phone, tenant), phoneKey(contact.phone), customer);
      if (contact.email !== '') insert(tenantMap(this.#email, tenant), emailKey(contact.email), customer);
    }
  }

  /** Takes a customer out of every key it has now: before a change, which may take some of them away. */
  remove(customer: CustomerRecord): void {
    const tenant = customer.cmId;
    const sources = this.#source.get(tenant);
    if (customer.sourceId !== undefined && sources?.get(customer.sourceId) === customer) sources.delete(customer.sourceId);
    const phones = this.#phone.get(tenant);
    const emails = this.#email.get(tenant);
    for (const contact of customer.contacts) {
      if (phones && contact.phone !== '') drop(phones, phoneKey(contact.phone), customer);
      if (emails && contact.email !== '') drop(emails, emailKey(contact.email), customer);
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
 * and one already there is found without a scan.
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
  const at = position(list, customer.id);
  if (list[at] !== customer) list.splice(at, 0, customer);
}

/** Takes the customer from under the key, if it is there; a key left with one customer holds it alone again. */
function drop(map: Map<string, Entry>, key: string, customer: CustomerRecord): void {
  const entry = map.get(key);
  if (entry === customer) {
    map.delete(key);
    return;
  }
  if (!Array.isArray(entry)) return;
  const at = position(entry, customer.id);
  if (entry[at] !== customer) return;
  entry.splice(at, 1);
  if (entry.length === 1) map.set(key, entry[0]!);
}

/** Where a customer with this id is, or goes, in a list ordered by id. */
function position(list: readonly CustomerRecord[], id: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]!.id < id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** An entry as a list the caller may keep: the index's own arrays change with later updates. */
function listed(entry: Entry | undefined): CustomerRecord[] {
  if (entry === undefined) return [];
  return Array.isArray(entry) ? entry.slice() : [entry];
}
