import type { Router } from 'express';
import { loadSpec } from '../spec.js';
import { VERSION } from '../version.js';
import type { ControlDeps } from './deps.js';
import { validBody } from './errors.js';

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
    const seeded = await deps.seed();
    if (body.tenant === undefined) {
      deps.store.replace(seeded);
      deps.rules.clear();
      deps.journal.clear();
    } else {
      const tenant = body.tenant;
      deps.store.replaceTenant(tenant, seeded.customers.filter((c) => c.cmId === tenant));
    }
    await deps.store.commit();
    const customers = body.tenant === undefined ? deps.store.data.customers.length : deps.store.customerCount(body.tenant);
    res.json({ reset: body.tenant ?? 'all', customers });
  });
}
