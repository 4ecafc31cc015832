import type { Request, Router } from 'express';
import { presentCustomer } from '../vendor/present.js';
import type { ReadonlyCustomer } from '../records.js';
import type { ControlDeps } from './deps.js';
import { ControlError } from './errors.js';

const PARAMETERS = ['tenant', 'q', 'limit'];
const DEFAULT_LIMIT = 50;

/**
 * A tenant's customers, found by Kapture id, source id (the integrating system's `customer_id`, or
 * its `customer_code`), phone or email, in the
 * vendor's shape (what search answers). The vendor URLs cannot do this: search takes an id only,
 * and a key of the tenant would be needed.
 */
export function customerRoutes(router: Router, deps: ControlDeps): void {
  router.get('/customers', (req, res) => {
    const { tenant, q, limit } = parameters(req);
    const customers = deps.store.customersOf(tenant);
    const matching = q === undefined ? customers : customers.filter((customer) => matches(customer, q));
    // Newest first: the customer a tester just added is the one looked for.
    const newest = matching.slice(-limit).reverse();
    res.json({ tenant, total: matching.length, customers: newest.map(presentCustomer) });
  });
}

function matches(customer: ReadonlyCustomer, q: string): boolean {
  const text = q.toLowerCase();
  if (String(customer.id) === q || customer.sourceId === q || customer.customerCode === q) return true;
  return customer.contacts.some((contact) => contact.phone.includes(q) || contact.email.toLowerCase().includes(text));
}

function parameters(req: Request): { tenant: number; q: string | undefined; limit: number } {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).filter((name) => !PARAMETERS.includes(name));
  if (unknown.length > 0) throw new ControlError(400, `unknown parameter ${unknown.join(', ')}: use ${PARAMETERS.join(', ')}`);
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw new ControlError(400, `parameter ${name} must be given once, as text`);
  }
  const { tenant, q, limit } = query as Record<string, string | undefined>;
  if (tenant === undefined || !/^[1-9]\d{0,9}$/.test(tenant)) {
    throw new ControlError(400, `tenant is required, a whole number from 1 (the key's cmId), e.g. ?tenant=396; got ${tenant === undefined ? 'none' : `"${tenant}"`}`);
  }
  if (limit !== undefined && !/^[1-9]\d{0,3}$/.test(limit)) throw new ControlError(400, `limit must be a whole number from 1 to 9999, got "${limit}"`);
  const text = q?.trim();
  return { tenant: Number(tenant), q: text === '' ? undefined : text, limit: limit === undefined ? DEFAULT_LIMIT : Number(limit) };
}
