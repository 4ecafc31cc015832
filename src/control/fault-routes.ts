import type { Router } from 'express';
import type { FaultRuleInput } from '../faults/rules.js';
import type { ControlDeps } from './deps.js';
import { ControlError, validBody } from './errors.js';

/** Fault rules: add, list, delete one, delete all. */
export function faultRoutes(router: Router, deps: ControlDeps): void {
  router.get('/faults', (_req, res) => {
    res.json({ rules: deps.rules.list() });
  });

  router.post('/faults', (req, res) => {
    const rule = validBody<FaultRuleInput>('FaultRule', req.body, '{"operation": "searchCustomer", "error": "ServerFailure", "after": 2, "times": 1}');
    res.status(201).json(deps.rules.add(rule));
  });

  router.delete('/faults', (_req, res) => {
    res.json({ deleted: deps.rules.clear() });
  });

  router.delete('/faults/:id', (req, res) => {
    if (!deps.rules.remove(req.params.id)) {
      throw new ControlError(404, `no fault rule "${req.params.id}" (a rule with "times" removes itself once used up): list them with GET /__sandbox/faults`);
    }
    res.json({ deleted: req.params.id });
  });
}
