import type { ErrorCode } from './errors.js';
import type { FaultRuleInput, FaultRuleState } from './faults/rules.js';
import type { JournalEntry } from './journal.js';
import type { OperationId } from './operations/ids.js';
import type { KeyRecord } from './records.js';
import type { SnapshotInfo } from './snapshots.js';
import type { CoverageReport } from './coverage/report.js';
import type { VerifyCriteria, VerifyResult } from './verify/criteria.js';
import { VerifyError } from './verify/message.js';

export type Health = { status: 'ok'; sandbox: 'kapture-sandbox'; version: string; storage: 'file' | 'memory'; tenants: number[]; customers: number };
export type JournalQuery = { operation?: OperationId; key?: string; error?: ErrorCode; since?: string | Date; limit?: number; tenant?: number };
export type TenantCreated = { tenant: number; key: string; name: string; customers: number };
export type ControlOptions = { adminToken?: string; tenant?: number };
/** The criteria of a verify; `since` may be a Date. */
export type VerifyQuery = Omit<VerifyCriteria, 'since'> & { since?: string | Date };
export type VerifySuccess = Extract<VerifyResult, { ok: true }>;

/** A key to create: `seedCustomers: N` gives a new tenant N generated customers. */
export type KeyInput = KeyRecord & { seedCustomers?: number };

/** A typed client of a sandbox's `/__sandbox` control surface (local or remote). */
export type ControlClient = {
  health(): Promise<Health>;
  /** Back to the seeded state: the whole sandbox, or one tenant's customers. */
  reset(tenant?: number): Promise<{ reset: 'all' | number; customers: number }>;
  keys: {
    list(): Promise<KeyRecord[]>;
    add(key: KeyInput): Promise<KeyRecord>;
    remove(key: string): Promise<void>;
  };
  faults: {
    add(rule: FaultRuleInput): Promise<FaultRuleState>;
    list(): Promise<FaultRuleState[]>;
    remove(id: string): Promise<void>;
    clear(): Promise<number>;
  };
  journal: {
    list(query?: JournalQuery): Promise<JournalEntry[]>;
    clear(): Promise<number>;
  };
  snapshots: {
    save(name: string): Promise<SnapshotInfo>;
    list(): Promise<SnapshotInfo[]>;
    restore(name: string): Promise<SnapshotInfo>;
    remove(name: string): Promise<void>;
  };
  /** Accounts for one test run or CI job each: `create()` answers a new tenant and its key. */
  tenants: {
    create(options?: { seedCustomers?: number; name?: string; profile?: KeyRecord['profile'] }): Promise<TenantCreated>;
    delete(tenant: number): Promise<void>;
  };
  /** The same client with every control request scoped to `tenant` (X-Sandbox-Tenant). */
  forTenant(tenant: number): ControlClient;
  /** Resolves when the journal satisfies the criteria (waiting up to `withinMs`); throws a VerifyError showing the near misses otherwise. */
  verify(criteria: VerifyQuery): Promise<VerifySuccess>;
  /** verify, waiting 5 s unless told otherwise; resolves with the matching entries. */
  waitFor(criteria: VerifyQuery): Promise<JournalEntry[]>;
  /** Which outcomes each operation met since the last reset, against the catalogue. */
  coverage(tenant?: number): Promise<CoverageReport>;
};

/**
 * @example
 * const control = controlClient('http://127.0.0.1:4010');
 * await control.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', times: 2 });
 * // ... run the client under test ...
 * const failed = await control.journal.list({ error: 'ServerFailure' });
 *
 * // A CI job in a tenant of its own, asserting what its client sent (waiting up to 5 s):
 * const { tenant, key } = await control.tenants.create();
 * const job = control.forTenant(tenant);
 * // ... point the client under test at the sandbox with `key` ...
 * await job.verify({ operation: 'addCustomer', error: 'none', body: { email: 'asha@example.in' }, withinMs: 5000 });
 */
export function controlClient(baseUrl: string, options: ControlOptions = {}): ControlClient {
  const call = async <T>(method: string, path: string, body?: unknown, accept?: number): Promise<T> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.adminToken) headers['X-Sandbox-Admin-Token'] = options.adminToken;
    if (options.tenant !== undefined) headers['X-Sandbox-Tenant'] = String(options.tenant);
    const response = await fetch(`${baseUrl}/__sandbox${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const answer = (await response.json().catch(() => undefined)) as { error?: string } | undefined;
    if (!response.ok && response.status !== accept) {
      throw new Error(`kapture-sandbox control ${method} ${path} failed with HTTP ${response.status}: ${answer?.error ?? 'no JSON error'}`);
    }
    return answer as T;
  };
  const name = (value: string) => encodeURIComponent(value);
  return {
    health: () => call('GET', '/health'),
    reset: (tenant) => call('POST', '/reset', tenant === undefined ? {} : { tenant }),
    keys: {
      list: async () => (await call<{ keys: KeyRecord[] }>('GET', '/keys')).keys,
      add: (key) => call('POST', '/keys', key),
      remove: async (key) => void (await call('DELETE', `/keys/${name(key)}`)),
    },
    faults: {
      add: (rule) => call('POST', '/faults', rule),
      list: async () => (await call<{ rules: FaultRuleState[] }>('GET', '/faults')).rules,
      remove: async (id) => void (await call('DELETE', `/faults/${name(id)}`)),
      clear: async () => (await call<{ deleted: number }>('DELETE', '/faults')).deleted,
    },
    journal: {
      list: async (query = {}) => (await call<{ entries: JournalEntry[] }>('GET', `/journal${journalQuery(query)}`)).entries,
      clear: async () => (await call<{ deleted: number }>('DELETE', '/journal')).deleted,
    },
    snapshots: {
      save: (snapshot) => call('POST', '/snapshots', { name: snapshot }),
      list: async () => (await call<{ snapshots: SnapshotInfo[] }>('GET', '/snapshots')).snapshots,
      restore: (snapshot) => call('POST', `/snapshots/${name(snapshot)}/restore`),
      remove: async (snapshot) => void (await call('DELETE', `/snapshots/${name(snapshot)}`)),
    },
    tenants: {
      create: (created = {}) => call('POST', '/tenants', created),
      delete: async (tenant) => void (await call('DELETE', `/tenants/${tenant}`)),
    },
    forTenant: (tenant) => controlClient(baseUrl, { ...options, tenant }),
    verify,
    waitFor: async (criteria) => (await verify({ withinMs: 5000, ...criteria })).entries,
    coverage: (tenant) => call('GET', `/coverage${tenant === undefined ? '' : `?tenant=${tenant}`}`),
  };

  async function verify(criteria: VerifyQuery): Promise<VerifySuccess> {
    const body = criteria.since instanceof Date ? { ...criteria, since: criteria.since.toISOString() } : criteria;
    const result = await call<VerifyResult>('POST', '/verify', body, 409);
    if (!result.ok) throw new VerifyError(result);
    return result;
  }
}

function journalQuery(query: JournalQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(name, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
