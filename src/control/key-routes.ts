import type { Router } from 'express';
import type { KeyRecord } from '../records.js';
import type { ControlDeps } from './deps.js';
import { BUILT_IN_PROFILES, builtInProfile, profileSchema, validateProfile } from '../vendor/profile.js';
import { ControlError, validBody } from './errors.js';
import { scopedTenant, scopeOf } from './scope.js';

/** API keys: Kapture's API configurations; a scoped request sees and changes its tenant's only. */
export function keyRoutes(router: Router, deps: ControlDeps): void {
  router.get('/keys', (req, res) => {
    const scope = scopeOf(req);
    res.json({ keys: deps.store.keys().filter((k) => scope === undefined || k.tenant === scope) });
  });

  router.post('/keys', async (req, res) => {
    const { seedCustomers, ...key } = validBody<KeyRecord & { seedCustomers?: number }>('ApiKey', req.body, '{"key": "qa-key", "tenant": 777}');
    const scope = scopeOf(req);
    scopedTenant(scope, key.tenant, 'the key');
    // A job must not take over (replace) another tenant's key either.
    if (scope !== undefined && deps.store.keys().some((k) => k.key === key.key && k.tenant !== scope)) {
      throw new ControlError(409, 'this key belongs to another tenant: pick another key');
    }
    if (key.expiresAt !== undefined) key.expiresAt = new Date(key.expiresAt).toISOString();
    checkProfile(key.profile);
    if (seedCustomers !== undefined) await seedTenant(deps, key.tenant, seedCustomers);
    deps.store.updateKeys((keys) => {
      const existing = keys.findIndex((k) => k.key === key.key);
      if (existing >= 0) keys.splice(existing, 1, key);
      else keys.push(key);
    });
    await deps.store.commit();
    res.status(201).json(key);
  });

  router.get('/profiles', (_req, res) => {
    res.json({ default: deps.profile.name, profiles: BUILT_IN_PROFILES.map((name) => ({ name, description: builtInProfile(name).description ?? '' })) });
  });

  router.get('/profile.schema.json', (_req, res) => {
    res.json(profileSchema());
  });

  router.delete('/keys/:key', async (req, res) => {
    const scope = scopeOf(req);
    const index = deps.store.keys().findIndex((k) => k.key === req.params.key && (scope === undefined || k.tenant === scope));
    if (index < 0) throw new ControlError(404, `no key "${req.params.key}": list the keys with GET /__sandbox/keys`);
    deps.store.updateKeys((keys) => keys.splice(index, 1));
    await deps.store.commit();
    res.json({ deleted: req.params.key });
  });
}

/** Replaces a tenant's customers with `count` generated ones, ids from the shared counters. */
export async function seedTenant(deps: ControlDeps, tenant: number, count: number): Promise<void> {
  const { generateCustomers } = await import('../../seeds/generate.js');
  // One contact per generated customer.
  const first = deps.store.reserveIds(count, count);
  const customers = generateCustomers({
    seed: deps.seedNumber + tenant,
    count,
    tenant,
    firstCustomerId: first.customerId,
    firstContactId: first.contactId,
  });
  deps.store.replaceTenant(tenant, customers);
}

/** A profile object sent with a key or tenant must follow the profile schema (names were checked by the spec). */
export function checkProfile(profile: KeyRecord['profile']): void {
  if (typeof profile !== 'object') return;
  try {
    validateProfile(profile, 'profile');
  } catch (error) {
    throw new ControlError(400, (error as Error).message);
  }
}
