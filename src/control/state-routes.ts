import type { Router } from 'express';
import { loadSpec } from '../spec.js';
import { VERSION } from '../version.js';
import type { ControlDeps } from './deps.js';
import { validBody } from './errors.js';
import { scopedTenant, scopeOf } from './scope.js';

/** health, openapi.json, reset. */
export function stateRoutes(router: Router, deps: ControlDeps): void {
  router.get('/health', (_req, res) => {
    const customers = deps.store.data.customers;
    const tenants = new Set([...deps.store.tenants(), ...deps.store.keys().map((k) => k.tenant)]);
    res.json({
      status: 'ok',
      sandbox: 'kapture-sandbox',
      version: VERSION,
      storage: deps.storage,
      tenants: [...tenants].sort((a, b) => a - b),
      customers: customers.length,
    });
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(loadSpec());
  });

  router.post('/reset', async (req, res) => {
    const body = validBody<{ tenant?: number }>('ResetRequest', req.body ?? {}, '{} or {"tenant": 777}');
    const scope = scopeOf(req);
    const tenant = scopedTenant(scope, body.tenant, 'the reset');
    const seeded = await deps.seed();
    if (tenant === undefined) {
      deps.store.replace(seeded);
      deps.rules.clear();
      deps.journal.clear();
      deps.coverage.clear();
      deps.tenancy.resetAll(Date.now());
    } else {
      deps.store.replaceTenant(tenant, deps.tenancy.initialCustomers(tenant) ?? seeded.customers.filter((c) => c.cmId === tenant));
    }
    if (scope !== undefined) {
      // Scoped: everything of the tenant but its keys, so the job's key keeps working.
      deps.rules.clear(scope);
      deps.journal.clearTenant(scope);
      deps.coverage.clear(scope);
      deps.tenancy.resetTenant(scope, Date.now());
    }
    await deps.store.commit();
    const customers = tenant === undefined ? deps.store.data.customers.length : deps.store.customerCount(tenant);
    res.json({ reset: tenant ?? 'all', customers });
  });
}
