import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { KeyRecord, StoreData } from '../records.js';
import { loadSpec } from '../spec.js';
import type { Store } from '../store/store.js';
import { describeErrors, specValidator } from '../validation/ajv.js';
import { VERSION } from '../version.js';

export type ControlDeps = {
  store: Store;
  storage: 'file' | 'memory';
  /** The seeded state, rebuilt on demand (deterministic), for reset. */
  seed: () => StoreData;
  /** When set, every control request must carry it in X-Sandbox-Admin-Token. */
  adminToken?: string | undefined;
};

/** A control request that cannot be carried out: a 4xx with `{"error"}` and nothing changed. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The `/__sandbox` control surface (Express: it is not the hot path), plus the JSON 404 for any
 * URL that is neither vendor nor control. Never an HTML page.
 */
export function createControlApp(deps: ControlDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const control = express.Router();
  control.use(requireAdminToken(deps.adminToken));
  control.use(express.json({ limit: '1mb', strict: false }));

  control.get('/health', (_req, res) => {
    const customers = deps.store.data.customers;
    const tenants = new Set([...customers.map((c) => c.cmId), ...deps.store.keys().map((k) => k.tenant)]);
    res.json({
      status: 'ok',
      sandbox: 'kapture-sandbox',
      version: VERSION,
      storage: deps.storage,
      tenants: [...tenants].sort((a, b) => a - b),
      customers: customers.length,
    });
  });

  control.get('/openapi.json', (_req, res) => {
    res.json(loadSpec());
  });

  control.post('/reset', async (req, res) => {
    const body = validBody<{ tenant?: number }>('ResetRequest', req.body ?? {}, '{} or {"tenant": 777}');
    const seeded = deps.seed();
    if (body.tenant === undefined) {
      deps.store.replace(seeded);
    } else {
      const tenant = body.tenant;
      deps.store.replaceTenant(tenant, seeded.customers.filter((c) => c.cmId === tenant));
    }
    await deps.store.commit();
    const scope = body.tenant === undefined ? deps.store.data.customers : deps.store.customersOf(body.tenant);
    res.json({ reset: body.tenant ?? 'all', customers: scope.length });
  });

  control.get('/keys', (_req, res) => {
    res.json({ keys: deps.store.keys() });
  });

  control.post('/keys', async (req, res) => {
    const key = validBody<KeyRecord>('ApiKey', req.body, '{"key": "qa-key", "tenant": 777}');
    if (key.expiresAt !== undefined) key.expiresAt = new Date(key.expiresAt).toISOString();
    const keys = deps.store.keys();
    const existing = keys.findIndex((k) => k.key === key.key);
    if (existing >= 0) keys.splice(existing, 1, key);
    else keys.push(key);
    await deps.store.commit();
    res.status(201).json(key);
  });

  control.delete('/keys/:key', async (req, res) => {
    const keys = deps.store.keys();
    const index = keys.findIndex((k) => k.key === req.params.key);
    if (index < 0) throw new ControlError(404, `no key "${req.params.key}": list the keys with GET /__sandbox/keys`);
    keys.splice(index, 1);
    await deps.store.commit();
    res.json({ deleted: req.params.key });
  });

  control.use((req, _res, next) => {
    next(new ControlError(404, `no control endpoint ${req.method} /__sandbox${req.path}: see GET /__sandbox/openapi.json`));
  });

  app.use('/__sandbox', control);
  app.use((req, res) => {
    res.status(404).json({
      Message: `No such URL: ${req.method} ${req.path}. The vendor URLs are /add-update-customer-from-other-source.html, /select-customer-between-start-and-end-dates.html, /search-customer-by-customer-id.html and /add-more-contacts-for-existing-customer.html (POST); the control surface is under /__sandbox`,
      Status: 'Fail',
    });
  });
  app.use(controlErrorHandler);
  return app;
}

function validBody<T>(schema: string, body: unknown, example: string): T {
  const validate = specValidator(schema);
  if (!validate(body)) throw new ControlError(400, `invalid body for this control endpoint: ${describeErrors(validate)}. Example: ${example}`);
  return structuredClone(body) as T;
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

// Express recognises an error handler by its four parameters.
function controlErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const failure = error as { status?: number; type?: string; message?: string };
  if (error instanceof ControlError) {
    res.status(error.status).json({ error: error.message });
  } else if (failure.type === 'entity.parse.failed') {
    res.status(400).json({ error: `the body is not valid JSON (${failure.message}): send a JSON object` });
  } else if (failure.type === 'entity.too.large') {
    res.status(413).json({ error: 'the body is larger than 1 MiB' });
  } else if (typeof failure.status === 'number' && failure.status >= 400 && failure.status < 500) {
    res.status(failure.status).json({ error: failure.message ?? 'bad request' });
  } else {
    res.status(500).json({ error: `unexpected error inside the sandbox: ${failure.message ?? String(error)}` });
  }
}
