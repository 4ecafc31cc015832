import type { CustomerRecord, KeyRecord, StoreData } from '../records.js';
import type { LogLine, LogRecord } from './log-replay.js';
import type { Persistence } from './persistence.js';
import { DerivedCache } from './derived-cache.js';
import { IdentityIndex } from './identity-index.js';
import { TimeIndex } from './time-index.js';

/**
 * What the cache of customer JSON may hold: a one-day select over 1M customers reads 1.7 MB of it,
 * and repeated reads of a few weeks of days stay cached; reading every customer of a large store
 * cycles through it instead of growing the process by the store's whole JSON.
 */
const DERIVED_BUDGET_BYTES = 64 * 2 ** 20;
/**
 * A second way of presenting customers (today's, with `""` for unset fields, beside the document's)
 * gets a quarter of that: a sandbox serving both generations stays within 80 MiB of cached JSON.
 */
const OTHER_VIEW_BUDGET_BYTES = DERIVED_BUDGET_BYTES / 4;

/**
 * The sandbox's state, held in memory with the indexes the operations need (by id; per tenant by
 * creation time), and made durable through a `Persistence`. Changes are recorded as they happen
 * (`insert`, `changed`, `keysChanged`); `commit()` is the durability point: a Success answer is
 * sent only once it has resolved.
 */
export class Store {
  #byId = new Map<number, CustomerRecord>();
  #byTenant = new Map<number, TimeIndex>();
  #identity = new IdentityIndex();
  #dirty = new Set<CustomerRecord>();
  #keysDirty = false;
  #countersDirty = false;
  /** A reset or restore replaced the state: the next commit rewrites it whole. */
  #replaced = false;
  /**
   * Views derived from a customer (its vendor JSON bytes, one cache per way of presenting it:
   * unset fields omitted or `""`), dropped whenever it changes. A cache exists once its view is used.
   */
  #derived = new Map<(customer: CustomerRecord) => Buffer, DerivedCache<CustomerRecord>>();
  /** Moves with every change of a customer or a key: what was read at one version holds until it moves. */
  #version = 0;

  constructor(
    private state: StoreData,
    private readonly persistence: Persistence,
  ) {
    this.#reindex();
  }

  get data(): StoreData {
    return this.state;
  }

  /** The state's version: any change of a customer or a key moves it (answers to reads are cached by it). */
  get version(): number {
    return this.#version;
  }

  get storage(): 'file' | 'memory' {
    return this.persistence.kind;
  }

  /** The customer with that id if it belongs to `tenant`: another tenant's customer does not exist for this one. */
  customer(tenant: number, id: number): CustomerRecord | undefined {
    const found = this.#byId.get(id);
    return found && found.cmId === tenant ? found : undefined;
  }

  /** The tenant's customer whose source id (the integrating system's own `customer_id`) is `source`. */
  customerBySource(tenant: number, source: string): CustomerRecord | undefined {
    return this.#identity.bySource(tenant, source);
  }

  /** The tenant's customers with a contact of that phone (digits compared), oldest first. */
  customersByPhone(tenant: number, phone: string): CustomerRecord[] {
    return this.#identity.byPhone(tenant, phone);
  }

  /** The tenant's customers with a contact of that email (case ignored), oldest first. */
  customersByEmail(tenant: number, email: string): CustomerRecord[] {
    return this.#identity.byEmail(tenant, email);
  }

  /** The tenant's customers created between two instants (epoch ms, inclusive), oldest first. */
  customersBetween(tenant: number, from: number, to: number): CustomerRecord[] {
    return this.#byTenant.get(tenant)?.between(from, to) ?? [];
  }

  /** A page of the tenant's customers created from `from` (included) to `to` (excluded), oldest first. */
  customersPage(tenant: number, from: number, to: number, offset: number, limit: number): CustomerRecord[] {
    return this.#byTenant.get(tenant)?.page(from, to, offset, limit) ?? [];
  }

  /** The tenants that have customers. */
  tenants(): number[] {
    return [...this.#byTenant.keys()];
  }

  customersOf(tenant: number): CustomerRecord[] {
    return this.#byTenant.get(tenant)?.all() ?? [];
  }

  /** How many customers the tenant has, without listing them. */
  customerCount(tenant: number): number {
    return this.#byTenant.get(tenant)?.size ?? 0;
  }

  insert(customer: CustomerRecord): void {
    this.#version++;
    this.state.customers.push(customer);
    this.#index(customer);
    this.#dirty.add(customer);
  }

  /** Records that a customer was changed in place (update, new contact). */
  changed(customer: CustomerRecord): void {
    this.#version++;
    this.#dirty.add(customer);
    this.#identity.add(customer);
    for (const cache of this.#derived.values()) cache.delete(customer);
  }

  /**
   * Bytes derived from a customer, computed once and kept until the customer changes, within a
   * budget of DERIVED_BUDGET_BYTES for the first view asked for (see DerivedCache), a smaller one
   * for another. Bytes, not text: answers are assembled by copying them, with no string to build
   * and encode. `keep: false` uses a cached value but does
   * not cache a new one (a streamed answer of a million customers would only flush the cache).
   */
  derived(customer: CustomerRecord, compute: (customer: CustomerRecord) => Buffer, keep = true): Buffer {
    let cache = this.#derived.get(compute);
    if (!cache) this.#derived.set(compute, (cache = new DerivedCache<CustomerRecord>(this.#derived.size === 0 ? DERIVED_BUDGET_BYTES : OTHER_VIEW_BUDGET_BYTES)));
    let bytes = cache.get(customer);
    if (bytes === undefined) {
      bytes = compute(customer);
      if (keep) cache.set(customer, bytes);
    }
    return bytes;
  }

  nextCustomerId(): number {
    this.#countersDirty = true;
    return this.state.counters.customerId++;
  }

  nextContactId(): number {
    this.#countersDirty = true;
    return this.state.counters.contactId++;
  }

  keys(): KeyRecord[] {
    return this.state.keys;
  }

  /** Records that the key list was changed in place. */
  keysChanged(): void {
    this.#version++;
    this.#keysDirty = true;
  }

  /** Replaces the whole state (reset, snapshot restore). */
  replace(data: StoreData): void {
    this.state = data;
    this.#reindex();
    this.#replaced = true;
  }

  /** Replaces one tenant's customers, keeping the others' in place. */
  replaceTenant(tenant: number, customers: CustomerRecord[]): void {
    this.state.customers = this.state.customers.filter((c) => c.cmId !== tenant).concat(customers);
    this.#reindex();
    this.#replaced = true;
  }

  /** Resolves once every change recorded so far is durable. Concurrent commits share one write. */
  commit(): Promise<void> {
    if (this.#replaced) {
      this.#replaced = false;
      this.#clearDirty();
      return this.persistence.rewrite(this.state, true);
    }
    const records: LogRecord[] = [];
    for (const customer of this.#dirty) records.push({ put: customer });
    if (this.#keysDirty) records.push({ keys: this.state.keys });
    if (this.#countersDirty) records.push({ counters: this.state.counters });
    this.#clearDirty();
    if (records.length === 0) return this.persistence.flush();
    // One line per commit: a crash that cuts a write short loses whole requests, never half a batch.
    return this.persistence.append(JSON.stringify({ commit: records } satisfies LogLine));
  }

  /** Resolves once everything committed is written. */
  flush(): Promise<void> {
    return this.persistence.flush();
  }

  /** Writes what is pending and releases the store's files (a graceful stop). */
  close(): Promise<void> {
    return this.persistence.close();
  }

  #clearDirty(): void {
    this.#dirty.clear();
    this.#keysDirty = false;
    this.#countersDirty = false;
  }

  #reindex(): void {
    this.#version++;
    this.#derived.clear();
    this.#identity = new IdentityIndex();
    this.#byId = new Map();
    this.#byTenant = new Map();
    for (const customer of this.state.customers) this.#index(customer);
  }

  #index(customer: CustomerRecord): void {
    this.#byId.set(customer.id, customer);
    this.#identity.add(customer);
    let index = this.#byTenant.get(customer.cmId);
    if (!index) this.#byTenant.set(customer.cmId, (index = new TimeIndex()));
    index.add(customer);
  }
}
