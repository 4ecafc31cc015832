import type { ErrorCode } from './errors.js';
import type { FaultRuleInput, FaultRuleState } from './faults/rules.js';
import type { JournalEntry } from './journal.js';
import type { OperationId } from './operations/ids.js';
import type { KeyRecord } from './records.js';
import type { SnapshotInfo } from './snapshots.js';

export type Health = { status: 'ok'; sandbox: 'kapture-sandbox'; version: string; storage: 'file' | 'memory'; tenants: number[]; customers: number };
export type JournalQuery = { operation?: OperationId; key?: string; error?: ErrorCode; since?: string | Date; limit?: number };

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
};

/**
 * @example
 * const control = controlClient('http://127.0.0.1:4010');
 * await control.faults.add({ operation: 'searchCustomer', error: 'ServerFailure', times: 2 });
 * // ... run the client under test ...
 * const failed = await control.journal.list({ error: 'ServerFailure' });
 */
export function controlClient(baseUrl: string, options: { adminToken?: string } = {}): ControlClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.adminToken) headers['X-Sandbox-Admin-Token'] = options.adminToken;
    const response = await fetch(`${baseUrl}/__sandbox${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const answer = (await response.json().catch(() => undefined)) as { error?: string } | undefined;
    if (!response.ok) {
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
  };
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
