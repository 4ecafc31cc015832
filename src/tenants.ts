import type { CustomerRecord, ReadonlyCustomer } from './records.js';

/**
 * What the sandbox knows of tenants beyond the store: when each was last reset (where a verify's
 * window begins) and the ids it handed out, so that a new tenant never reuses one.
 */
export class Tenancy {
  #resetAt = new Map<number, number>();
  /** The customers a tenant made by POST /tenants started with: what its reset returns to. */
  #initial = new Map<number, CustomerRecord[]>();
  #allResetAt: number;
  #lastIssued = 0;

  /** `startedAt`: epoch ms when the sandbox started, the window of a tenant never reset. */
  constructor(startedAt: number) {
    this.#allResetAt = startedAt;
  }

  resetAll(now: number): void {
    this.#resetAt.clear();
    this.#initial.clear();
    this.#allResetAt = now;
  }

  resetTenant(tenant: number, now: number): void {
    this.#resetAt.set(tenant, now);
  }

  forget(tenant: number): void {
    this.#resetAt.delete(tenant);
    this.#initial.delete(tenant);
  }

  rememberInitial(tenant: number, customers: readonly ReadonlyCustomer[]): void {
    // A copy is the tenancy's own, free to hand out (as copies again) and change.
    this.#initial.set(tenant, structuredClone(customers) as CustomerRecord[]);
  }

  /** A fresh copy of the customers the tenant started with, if it was made by POST /tenants. */
  initialCustomers(tenant: number): CustomerRecord[] | undefined {
    const initial = this.#initial.get(tenant);
    return initial === undefined ? undefined : structuredClone(initial);
  }

  /** Epoch ms where the journal window of a tenant (or of the whole sandbox) begins. */
  windowStart(tenant?: number): number {
    const own = tenant === undefined ? undefined : this.#resetAt.get(tenant);
    return own !== undefined && own > this.#allResetAt ? own : this.#allResetAt;
  }

  /**
   * A tenant id above every one in use or handed out before. Ids start at 1001, clear of the
   * seeded 396 and of the small ids people pick by hand.
   */
  issue(inUse: Iterable<number>): number {
    let highest = Math.max(this.#lastIssued, 1000);
    for (const tenant of inUse) if (tenant > highest) highest = tenant;
    this.#lastIssued = highest + 1;
    return this.#lastIssued;
  }
}
