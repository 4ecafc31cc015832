import type { Router } from 'express';
import type { FaultRuleInput } from '../faults/rules.js';
import type { ControlDeps } from './deps.js';
import { ControlError, validBody } from './errors.js';
import { scopedTenant, scopeOf } from './scope.js';

/** Fault rules: add, list, delete one, delete all; a scoped request sees and makes its tenant's only. */
export function faultRoutes(router: Router, deps: ControlDeps): void {
  const visible = (scope: number | undefined) => deps.rules.list().filter((rule) => scope === undefined || rule.tenant === scope);

  router.get('/faults', (req, res) => {
    res.json({ rules: visible(scopeOf(req)) });
  });

  router.post('/faults', (req, res) => {
    const rule = validBody<FaultRuleInput>('FaultRule', req.body, '{"operation": "searchCustomer", "error": "ServerFailure", "after": 2, "times": 1}');
    const tenant = scopedTenant(scopeOf(req), rule.tenant, 'the rule');
    res.status(201).json(deps.rules.add(tenant === undefined ? rule : { ...rule, tenant }));
  });

  router.delete('/faults', (req, res) => {
    res.json({ deleted: deps.rules.clear(scopeOf(req)) });
  });

  router.delete('/faults/:id', (req, res) => {
    const known = visible(scopeOf(req)).some((rule) => rule.id === req.params.id);
    if (!known || !deps.rules.remove(req.params.id)) {
      throw new ControlError(404, `no fault rule "${req.params.id}" (a rule with "times" removes itself once used up): list them with GET /__sandbox/faults`);
    }
    res.json({ deleted: req.params.id });
  });
}
