import type { NextFunction, Request, Response } from 'express';
import { ControlError } from './errors.js';

/**
 * `X-Sandbox-Tenant: N` scopes a control request to tenant N, so that parallel CI jobs sharing a
 * sandbox, each with its own tenant, never see or change each other's rules, data or journal.
 */
export const TENANT_HEADER = 'X-Sandbox-Tenant';

/** The largest tenant id: what a Java int `cmId` holds. */
export const MAX_TENANT = 2_147_483_647;

/** Refuses a malformed header before any route runs, so a bad value changes nothing. */
export function checkScopeHeader(req: Request, _res: Response, next: NextFunction): void {
  next(scopeError(req.get(TENANT_HEADER)));
}

/** The tenant this request is scoped to, or undefined when it is not scoped. */
export function scopeOf(req: Request): number | undefined {
  const value = req.get(TENANT_HEADER);
  return value === undefined ? undefined : Number(value.trim());
}

/**
 * The tenant a scoped request acts on: the scope itself when the body names none or the same one;
 * a body naming another tenant is refused (a job must not reach into another job's tenant).
 */
export function scopedTenant(scope: number | undefined, named: number | undefined, what: string): number | undefined {
  if (scope === undefined || named === undefined || named === scope) return scope ?? named;
  throw new ControlError(400, `${what} names tenant ${named}, but this request is scoped to tenant ${scope} by ${TENANT_HEADER}: leave the tenant out, or send the request without the header`);
}

/** For endpoints that act on the whole sandbox (snapshots, creating tenants). */
export function refuseScoped(what: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const scope = scopeOf(req);
    next(scope === undefined ? undefined : new ControlError(400, `${what} acts on the whole sandbox, not on one tenant: send it without ${TENANT_HEADER} (this one is scoped to tenant ${scope})`));
  };
}

function scopeError(value: string | undefined): ControlError | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^[1-9]\d{0,9}$/.test(text) && Number(text) <= MAX_TENANT) return undefined;
  return new ControlError(400, `${TENANT_HEADER} must be one tenant id, a whole number from 1 to ${MAX_TENANT} (as POST /__sandbox/tenants answers it), got "${value}"`);
}
