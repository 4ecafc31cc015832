import type { Counters, CustomerRecord, KeyRecord, ReadonlyCustomer, ReadonlyStoreData, StoreData } from '../records.js';
import type { LogLine, LogRecord } from './log-replay.js';
import type { Persistence } from './persistence.js';
import { DerivedViews } from './derived-cache.js';
import { IdentityIndex } from './identity-index.js';
import { TimeIndex } from './time-index.js';

/**
 * A customer as `Store.update` hands it to a change: everything may change but what the store files
 * it under for good (its id, its tenant, its creation time, its source id once given).
 */
export type CustomerDraft = Omit<CustomerRecord, 'id' | 'cmId' | 'createdAt' | 'sourceId'> & Readonly<Pick<CustomerRecord, 'id' | 'cmId' | 'createdAt' | 'sourceId'>>;

/**
 * The sandbox's state, held in memory with the indexes the operations need (by id; per tenant by
 * creation time), and made durable through a `Persistence`. Every change goes through a method
 * that does the bookkeeping itself (`insert`, `update`, `updateKeys`, `reserveIds`, `replace`,
 * `replaceTenant`): the indexes, the cached JSON and what the next commit writes follow from it.
 * `commit()` is the durability point: a Success answer is sent only once it has resolved.
 *
 * Readers get the store's own customer objects (no copy per read) and arrays of their own; what
 * goes to the control surface is typed read-only (`ReadonlyCustomer`, `ReadonlyStoreData`), and
 * the key list is frozen, so a route cannot change the state by editing what it was given.
 */
export class Store {
  #byId = new Map<number, CustomerRecord>();
  #byTenant = new Map<number, TimeIndex>();
  #identity = new IdentityIndex();
  #dirty = new Set<CustomerRecord>();
  /** A change is running: one inside another would re-index the customer before the outer one is done. */
  #updating = false;
  #keysDirty = false;
  #countersDirty = false;
  /** A reset or restore replaced the state: the next commit rewrites it whole. */
  #replaced = false;
  /** The JSON bytes derived from customers, dropped whenever one changes. */
  #derived = new DerivedViews<CustomerRecord>();
  /** Moves with every change of a customer or a key: what was read at one version holds until it moves. */
  #version = 0;

  constructor(
    private state: StoreData,
    private readonly persistence: Persistence,
  ) {
    this.#adopt(state);
  }

  /** The whole state, to read (a snapshot, a count): change it through the methods below. */
  get data(): ReadonlyStoreData {
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

  /** Every customer of the tenant, oldest first: for the control surface, which only reads them. */
  customersOf(tenant: number): ReadonlyCustomer[] {
    return this.#byTenant.get(tenant)?.all() ?? [];
  }

  /** How many customers the tenant has, without listing them. */
  customerCount(tenant: number): number {
    return this.#byTenant.get(tenant)?.size ?? 0;
  }

  /** Adds a new customer (its id from `nextCustomerId`); the store owns the object from here on. */
  insert(customer: CustomerRecord): void {
    this.#version++;
    this.state.customers.push(customer);
    this.#index(customer);
    this.#dirty.add(customer);
  }

  /**
   * Changes one of the store's customers in place (no copy is made) and then does what a change
   * needs: re-indexes it by phone, email and source id (a contact it no longer has finds nothing),
   * drops the JSON derived from it, and records it for the next commit. That happens even when
   * `change` throws, so check what may fail before changing anything. Answers what `change` answered.
   *
   * @example
   * store.update(customer, (draft) => {
   *   draft.city = 'Pune';
   *   draft.contacts[0]!.phone = '9811111111';
   * });
   */
  update<T>(customer: CustomerRecord, change: (draft: CustomerDraft) => T): T {
    if (this.#byId.get(customer.id) !== customer) throw new Error(`Store.update: customer ${customer.id} is not this store's (pass the object a lookup answered)`);
    if (this.#updating) throw new Error(`Store.update: customer ${customer.id} was changed inside another change; make the changes one after another`);
    const { id, cmId, createdAt } = customer;
    this.#updating = true;
    this.#identity.remove(customer);
    this.#version++;
    try {
      return change(customer);
    } finally {
      this.#updating = false;
      this.#identity.add(customer);
      this.#derived.drop(customer);
      this.#dirty.add(customer);
      // The indexes file it by id, tenant and creation time: a change of one would lose it there.
      if (customer.id !== id || customer.cmId !== cmId || customer.createdAt !== createdAt) throw new Error(`Store.update: customer ${id} changed its id, tenant or creation time, which never change`);
    }
  }

  /**
   * Bytes derived from a customer (its vendor JSON), computed once and kept until the customer
   * changes (see DerivedViews). `keep: false` uses a cached value but does not cache a new one (a
   * streamed answer of a million customers would only flush the cache).
   */
  derived(customer: CustomerRecord, compute: (customer: CustomerRecord) => Buffer, keep = true): Buffer {
    return this.#derived.get(customer, compute, keep);
  }

  nextCustomerId(): number {
    this.#countersDirty = true;
    return this.state.counters.customerId++;
  }

  nextContactId(): number {
    this.#countersDirty = true;
    return this.state.counters.contactId++;
  }

  /** Takes a block of ids at once (customers generated for a tenant): answers the first of each. */
  reserveIds(customers: number, contacts: number): Counters {
    const counters = this.state.counters;
    const first = { customerId: counters.customerId, contactId: counters.contactId };
    counters.customerId += customers;
    counters.contactId += contacts;
    this.#countersDirty = true;
    return first;
  }

  /**
   * The API keys: a frozen array of frozen records, the store's own (no copy: the vendor URLs look a
   * key up on every request). It is replaced, never edited, so a reader may keep it.
   */
  keys(): readonly Readonly<KeyRecord>[] {
    return this.state.keys;
  }

  /**
   * Changes the key list: `change` edits a copy of it (push, splice; a record is replaced, never
   * edited: caches in src/auth.ts and src/vendor/key-profile.ts are keyed by record), which then
   * becomes the list, recorded for the next commit. When `change` throws, nothing changes.
   *
   * @example
   * store.updateKeys((keys) => keys.push({ key: 'qa-key', tenant: 777 }));
   */
  updateKeys<T>(change: (keys: Array<Readonly<KeyRecord>>) => T): T {
    const keys = this.state.keys.slice();
    const answer = change(keys);
    this.state.keys = frozenKeys(keys);
    this.#version++;
    this.#keysDirty = true;
    return answer;
  }

  /** Replaces the whole state (reset, snapshot restore). */
  replace(data: StoreData): void {
    this.#adopt(data);
    this.#replaced = true;
  }

  /** Replaces one tenant's customers, keeping the others' in place; the store owns `customers` from here on. */
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

  /** Takes `data` as the state: the store owns it from here on. */
  #adopt(data: StoreData): void {
    data.keys = frozenKeys(data.keys);
    this.state = data;
    this.#reindex();
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

/** Freezes a key list the store takes over, and its records: a record once read stays what the caches hold. */
function frozenKeys(keys: Array<Readonly<KeyRecord>>): KeyRecord[] {
  for (const key of keys) {
    if (Object.isFrozen(key)) continue;
    if (key.operations) Object.freeze(key.operations);
    if (key.fields) Object.freeze(key.fields);
    Object.freeze(key);
  }
  // Typed as the state's list (StoreData is what persistence reads and writes): only updateKeys replaces it.
  return Object.freeze(keys) as KeyRecord[];
}
