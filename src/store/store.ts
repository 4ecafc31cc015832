import type { Low } from 'lowdb';
import type { CustomerRecord, KeyRecord, StoreData } from '../records.js';

/**
 * The sandbox's state over one lowdb instance (file-backed or in memory: the caller decides, so
 * tests run the same code as the CLI). Lookups go through an id index; `commit()` is the
 * durability point: a Success answer is only sent once it has resolved.
 */
export class Store {
  #byId = new Map<number, CustomerRecord>();

  constructor(private readonly db: Low<StoreData>) {
    this.#reindex();
  }

  get data(): StoreData {
    return this.db.data;
  }

  /** The customer with that id if it belongs to `tenant`: another tenant's customer does not exist for this one. */
  customer(tenant: number, id: number): CustomerRecord | undefined {
    const found = this.#byId.get(id);
    return found && found.cmId === tenant ? found : undefined;
  }

  customersOf(tenant: number): CustomerRecord[] {
    return this.db.data.customers.filter((customer) => customer.cmId === tenant);
  }

  insert(customer: CustomerRecord): void {
    this.db.data.customers.push(customer);
    this.#byId.set(customer.id, customer);
  }

  nextCustomerId(): number {
    return this.db.data.counters.customerId++;
  }

  nextContactId(): number {
    return this.db.data.counters.contactId++;
  }

  keys(): KeyRecord[] {
    return this.db.data.keys;
  }

  /** Replaces the whole state (reset, snapshot restore). */
  replace(data: StoreData): void {
    this.db.data = data;
    this.#reindex();
  }

  /** Replaces one tenant's customers, keeping the others' in place. */
  replaceTenant(tenant: number, customers: CustomerRecord[]): void {
    this.db.data.customers = this.db.data.customers.filter((c) => c.cmId !== tenant).concat(customers);
    this.#reindex();
  }

  /** Resolves once the current state is on disk (at once in memory). Concurrent commits share one write. */
  commit(): Promise<void> {
    return this.db.write();
  }

  #reindex(): void {
    this.#byId = new Map(this.db.data.customers.map((customer) => [customer.id, customer]));
  }
}
