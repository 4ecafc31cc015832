import { randomBytes } from 'node:crypto';
import type { Router } from 'express';
import type { KeyRecord } from '../records.js';
import type { ControlDeps } from './deps.js';
import { ControlError, validBody } from './errors.js';
import { checkProfile, seedTenant } from './key-routes.js';
import { MAX_TENANT, refuseScoped, scopedTenant, scopeOf } from './scope.js';

type TenantRequest = { seedCustomers?: number; name?: string; profile?: KeyRecord['profile'] };

/**
 * Tenants for one test run or CI job: a fresh account with its own key granted every operation,
 * and its removal with everything it left behind.
 */
export function tenantRoutes(router: Router, deps: ControlDeps): void {
  router.post('/tenants', refuseScoped('POST /__sandbox/tenants'), async (req, res) => {
    const body = validBody<TenantRequest>('TenantRequest', req.body ?? {}, '{} or {"seedCustomers": 20, "name": "ci job 42"}');
    checkProfile(body.profile);
    // Chosen before the first await: parallel requests never get the same tenant.
    const tenant = deps.tenancy.issue([...deps.store.tenants(), ...deps.store.keys().map((k) => k.tenant), ...deps.rules.list().flatMap((r) => r.tenant ?? [])]);
    const key: KeyRecord = { key: `kst-${tenant}-${randomBytes(18).toString('base64url')}`, tenant, name: body.name ?? `tenant ${tenant}`, ...(body.profile === undefined ? {} : { profile: body.profile }) };
    deps.store.updateKeys((keys) => keys.push(key));
    deps.tenancy.resetTenant(tenant, Date.now());
    if (body.seedCustomers) await seedTenant(deps, tenant, body.seedCustomers);
    deps.tenancy.rememberInitial(tenant, deps.store.customersOf(tenant));
    await deps.store.commit();
    res.status(201).json({ tenant, key: key.key, name: key.name, customers: deps.store.customerCount(tenant) });
  });

  router.delete('/tenants/:tenant', async (req, res) => {
    const text = req.params.tenant;
    if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > MAX_TENANT) throw new ControlError(400, `"${text}" is not a tenant id: use the number POST /__sandbox/tenants answered`);
    const tenant = scopedTenant(scopeOf(req), Number(text), 'DELETE /__sandbox/tenants')!;
    const ownKeys = deps.store.keys().filter((k) => k.tenant === tenant).length;
    const customers = deps.store.customerCount(tenant);
    if (ownKeys === 0 && customers === 0 && !deps.rules.list().some((r) => r.tenant === tenant)) {
      throw new ControlError(404, `tenant ${tenant} has no keys, customers or rules: nothing to delete (GET /__sandbox/health lists the tenants)`);
    }
    deps.store.replaceTenant(tenant, []);
    deps.store.updateKeys((keys) => {
      for (let i = keys.length - 1; i >= 0; i--) if (keys[i]!.tenant === tenant) keys.splice(i, 1);
    });
    const rules = deps.rules.clear(tenant);
    const entries = deps.journal.clearTenant(tenant);
    deps.coverage.clear(tenant);
    deps.tenancy.forget(tenant);
    await deps.store.commit();
    res.json({ deleted: tenant, customers, keys: ownKeys, rules, entries });
  });
}
