import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ControlDeps } from './deps.js';
import { consoleRoutes } from './console-routes.js';
import { customerRoutes } from './customer-routes.js';
import { coverageRoutes } from './coverage-routes.js';
import { ControlError, controlErrorHandler } from './errors.js';
import { faultRoutes } from './fault-routes.js';
import { journalRoutes } from './journal-routes.js';
import { keyRoutes } from './key-routes.js';
import { sameOrigin } from './same-origin.js';
import { checkScopeHeader, refuseScoped } from './scope.js';
import { snapshotRoutes } from './snapshot-routes.js';
import { stateRoutes } from './state-routes.js';
import { tenantRoutes } from './tenant-routes.js';
import { verifyRoutes } from './verify-routes.js';
import { VENDOR_PATHS } from '../operations/registry.js';

const VENDOR_URLS = ((paths) => `${paths.slice(0, -1).join(', ')} and ${paths.at(-1)}`)(Object.keys(VENDOR_PATHS));

/**
 * The `/__sandbox` control surface (Express: it is not the hot path), plus the JSON 404 for any
 * URL that is neither vendor nor control. Never an HTML error page (the QA console is the one page).
 */
export function createControlApp(deps: ControlDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const control = express.Router();
  control.use(sameOrigin(deps.host));
  // The console's files before the token check: a browser opening the page cannot send the header.
  consoleRoutes(control);
  control.use(requireAdminToken(deps.adminToken));
  control.use(express.json({ limit: '1mb', strict: false }));
  control.use(checkScopeHeader);
  // Snapshots hold every tenant's data: a job scoped to one tenant may list them, not change them.
  control.use('/snapshots', (req, res, next) => (req.method === 'GET' ? next() : refuseScoped('saving, restoring or deleting a snapshot')(req, res, next)));
  stateRoutes(control, deps);
  keyRoutes(control, deps);
  faultRoutes(control, deps);
  journalRoutes(control, deps);
  snapshotRoutes(control, deps);
  customerRoutes(control, deps);
  tenantRoutes(control, deps);
  verifyRoutes(control, deps);
  coverageRoutes(control, deps);
  control.use((req, _res, next) => {
    next(new ControlError(404, `no control endpoint ${req.method} /__sandbox${req.path}: see GET /__sandbox/openapi.json`));
  });

  app.use('/__sandbox', control);
  app.use((req, res) => {
    res.status(404).json({
      Message: `No such URL: ${req.method} ${req.path}. The vendor URLs are ${VENDOR_URLS} (POST); the control surface is under /__sandbox`,
      Status: 'Fail',
    });
  });
  app.use(controlErrorHandler);
  return app;
}

function requireAdminToken(token: string | undefined) {
  const wanted = token === undefined ? undefined : createHash('sha256').update(token).digest();
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!wanted) return next();
    const sent = req.get('x-sandbox-admin-token');
    const matches = sent !== undefined && timingSafeEqual(createHash('sha256').update(sent).digest(), wanted);
    next(matches ? undefined : new ControlError(401, 'this sandbox requires its admin token: send it in the X-Sandbox-Admin-Token header'));
  };
}
