import type { Router } from 'express';
import { coverageReport } from '../coverage/report.js';
import type { ControlDeps } from './deps.js';
import { ControlError } from './errors.js';
import { MAX_TENANT, scopedTenant, scopeOf } from './scope.js';

/** Which Kapture behaviours the traffic exercised, per operation, against the catalogue. */
export function coverageRoutes(router: Router, deps: ControlDeps): void {
  router.get('/coverage', (req, res) => {
    const query = req.query as Record<string, unknown>;
    const unknown = Object.keys(query).filter((name) => name !== 'tenant');
    if (unknown.length > 0) throw new ControlError(400, `unknown coverage parameter ${unknown.join(', ')}: the only one is tenant`);
    const named = query.tenant;
    if (named !== undefined && !(typeof named === 'string' && /^[1-9]\d{0,9}$/.test(named) && Number(named) <= MAX_TENANT)) {
      throw new ControlError(400, `tenant must be one tenant id, a whole number from 1, got ${JSON.stringify(named)}`);
    }
    const tenant = scopedTenant(scopeOf(req), named === undefined ? undefined : Number(named), 'the coverage query');
    res.json(coverageReport(deps.coverage.read(tenant), tenant, deps.tenancy.windowStart(tenant)));
  });
}
