import type { Request, Router } from 'express';
import { isErrorCode } from '../errors.js';
import type { JournalFilter } from '../journal.js';
import { isOperationId } from '../operations/ids.js';
import type { ControlDeps } from './deps.js';
import { ControlError } from './errors.js';
import { MAX_TENANT, scopedTenant, scopeOf } from './scope.js';

const FILTERS = ['operation', 'key', 'error', 'since', 'limit', 'tenant'];

/** The request journal: list (filtered) and clear; a scoped request sees and clears its tenant's entries only. */
export function journalRoutes(router: Router, deps: ControlDeps): void {
  router.get('/journal', (req, res) => {
    res.json({ entries: deps.journal.list(journalFilter(req)) });
  });

  router.delete('/journal', (req, res) => {
    const scope = scopeOf(req);
    res.json({ deleted: scope === undefined ? deps.journal.clear() : deps.journal.clearTenant(scope) });
  });
}

function journalFilter(req: Request): JournalFilter {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).filter((name) => !FILTERS.includes(name));
  if (unknown.length > 0) throw new ControlError(400, `unknown journal filter ${unknown.join(', ')}: use ${FILTERS.join(', ')}`);
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ControlError(400, `journal filter ${name} must be given once, as text`);
    return value;
  };
  const filter: JournalFilter = {};
  const operation = text('operation');
  if (operation !== undefined) {
    if (!isOperationId(operation)) throw new ControlError(400, `unknown operation "${operation}": use addCustomer, updateCustomer, selectCustomers, searchCustomer or addContacts`);
    filter.operation = operation;
  }
  const error = text('error');
  if (error !== undefined) {
    if (!isErrorCode(error)) throw new ControlError(400, `unknown error code "${error}": use AuthKeyInvalid, APIExpired, ReqFieldMissing, ServerFailure or CustomerNotFound`);
    filter.error = error;
  }
  const key = text('key');
  if (key !== undefined) filter.key = key;
  const since = text('since');
  if (since !== undefined) {
    const time = /^\d{4}-\d{2}-\d{2}/.test(since) ? Date.parse(since) : NaN;
    if (Number.isNaN(time)) throw new ControlError(400, `since must be an ISO 8601 time such as 2026-11-29T06:30:00Z, got "${since}"`);
    filter.since = time;
  }
  const limit = text('limit');
  if (limit !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(limit)) throw new ControlError(400, `limit must be a whole number from 1, got "${limit}"`);
    filter.limit = Number(limit);
  }
  const tenant = text('tenant');
  if (tenant !== undefined && !(/^[1-9]\d{0,9}$/.test(tenant) && Number(tenant) <= MAX_TENANT)) {
    throw new ControlError(400, `tenant must be a tenant id, a whole number from 1, got "${tenant}"`);
  }
  const scoped = scopedTenant(scopeOf(req), tenant === undefined ? undefined : Number(tenant), 'the journal filter');
  if (scoped !== undefined) filter.tenant = scoped;
  return filter;
}
