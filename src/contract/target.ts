import { defaultKeys } from '../../seeds/keys.js';
import type { OperationId } from '../operations/ids.js';
import { specValidator } from '../validation/ajv.js';

/**
 * What a target can do, which decides the checks that run against it:
 * - `control`: the sandbox's `/__sandbox` control surface (keys, health) and its `X-Sandbox-Error`
 *   header; only a sandbox has it (Prism invents those headers, a real account has none).
 * - `faults`: the sandbox's fault injection (`X-Sandbox-Fault`, `/__sandbox/faults`).
 * - `stateful`: answers depend on the request and on stored data. A mock answering fixed examples
 *   (Prism) is not: it cannot find what was added, nor tell a wrong key from a right one.
 * - `vendor-errors`: refuses bad keys and bad fields with Kapture's failures (HTTP 200,
 *   `Status: Fail`). Prism answers its own 401/422 instead.
 * - `writes`: this run may create and change records (a sandbox, or `--allow-writes`).
 */
export const CAPABILITIES = ['control', 'faults', 'stateful', 'vendor-errors', 'writes'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Keys are secrets: they go into request headers and nowhere else (see redact.ts). */
export type TargetKeys = {
  /** The key of every operation that has none of its own. */
  default?: string | undefined;
  /** One key per operation, for accounts with one API configuration (one key) per operation. */
  byOperation?: Partial<Record<OperationId, string>>;
  /** An expired key of the same account, for the APIExpired check. */
  expired?: string | undefined;
};

export type TargetKind = 'sandbox' | 'mock' | 'service';

export type Target = {
  /** Base URL without a trailing slash; the vendor URLs hang off it. */
  baseUrl: string;
  kind: TargetKind;
  keys: TargetKeys;
  capabilities: ReadonlySet<Capability>;
};

export type SandboxProbe = {
  sandbox: boolean;
  faults: boolean;
  /** The sandbox refused the probe for want of its admin token (or for a wrong one). */
  adminTokenRefused?: boolean;
  /** The name of the profile the sandbox answers by (`GET /__sandbox/profiles`). */
  profile?: string;
  /** Why the target could not be reached at all (refused, unknown host, timeout); undefined when it answered. */
  unreachable?: string;
};

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Is `baseUrl` a kapture-sandbox? Its health answer must match the spec's Health schema AND its
 * `/__sandbox/openapi.json` must be a real OpenAPI document: Prism serving the spec answers the
 * health example too, but only a sandbox serves the spec itself. Fault injection is there when
 * `GET /__sandbox/faults` lists rules. Never sends an API key (an admin token only when given).
 */
export async function probeSandbox(baseUrl: string, adminToken?: string): Promise<SandboxProbe> {
  const base = baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (adminToken) headers['x-sandbox-admin-token'] = adminToken;
  const health = await getJson(`${base}/__sandbox/health`, headers);
  if ('unreachable' in health) return { sandbox: false, faults: false, unreachable: health.unreachable };
  // A sandbox with an admin token refuses the probe itself, saying so: not "not a sandbox".
  if (health.status === 401 && /admin token/i.test(JSON.stringify(health.body ?? ''))) return { sandbox: false, faults: false, adminTokenRefused: true };
  if (!specValidator('Health')(health.json)) return { sandbox: false, faults: false };
  const spec = (await getJson(`${base}/__sandbox/openapi.json`, headers)) as { json?: { openapi?: unknown; paths?: Record<string, unknown> } };
  const paths = spec.json?.paths;
  const sandbox = typeof spec.json?.openapi === 'string' && paths !== undefined && Object.hasOwn(paths, '/__sandbox/health');
  if (!sandbox) return { sandbox: false, faults: false };
  const faults = (await getJson(`${base}/__sandbox/faults`, headers)) as { json?: { rules?: unknown } };
  const profiles = (await getJson(`${base}/__sandbox/profiles`, headers)) as { json?: { default?: unknown } };
  const profile = typeof profiles.json?.default === 'string' ? { profile: profiles.json.default } : {};
  return { sandbox: true, faults: Array.isArray(faults.json?.rules), ...profile };
}

/** The JSON of a 200 answer (undefined for any other answer) with the status and any JSON body, or why nothing answered. */
async function getJson(url: string, headers: Record<string, string>): Promise<{ json: unknown; status: number; body?: unknown } | { unreachable: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), headers });
  } catch (error) {
    const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const why = failure.name === 'TimeoutError' ? `no answer within ${PROBE_TIMEOUT_MS} ms` : (failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error));
    return { unreachable: why };
  }
  try {
    const body: unknown = JSON.parse(await response.text());
    return { json: response.status === 200 ? body : undefined, status: response.status, body };
  } catch {
    return { json: undefined, status: response.status };
  }
}

export type TargetChoice = {
  baseUrl: string;
  probe: SandboxProbe;
  /** Keys the user gave; a sandbox without any uses its default keys. */
  keys: TargetKeys;
  allowWrites: boolean;
  /** The user says the target is a stateless mock (Prism). */
  stateless: boolean;
};

/** The target and its capabilities, from what the probe found and what the user said. */
export function describeTarget(choice: TargetChoice): Target {
  const baseUrl = choice.baseUrl.replace(/\/+$/, '');
  if (choice.probe.sandbox) {
    const capabilities = new Set<Capability>(['control', 'stateful', 'vendor-errors', 'writes']);
    if (choice.probe.faults) capabilities.add('faults');
    return { baseUrl, kind: 'sandbox', keys: hasAnyKey(choice.keys) ? choice.keys : sandboxDefaultKeys(), capabilities };
  }
  const capabilities = new Set<Capability>(choice.stateless ? [] : ['stateful', 'vendor-errors']);
  if (choice.allowWrites) capabilities.add('writes');
  return { baseUrl, kind: choice.stateless ? 'mock' : 'service', keys: choice.keys, capabilities };
}

export function hasAnyKey(keys: TargetKeys): boolean {
  return hasOperationKey(keys) || keys.expired !== undefined;
}

/** A key to call at least one operation with (an expired key alone calls nothing). */
export function hasOperationKey(keys: TargetKeys): boolean {
  return keys.default !== undefined || Object.keys(keys.byOperation ?? {}).length > 0;
}

/**
 * The keys every fresh sandbox has (seeds/keys.ts): the all-operation key as default, the expired
 * one, and each key granted a single operation as that operation's key, so that the per-operation
 * key checks run against a sandbox too.
 */
export function sandboxDefaultKeys(): TargetKeys {
  const keys: TargetKeys = { byOperation: {} };
  for (const record of defaultKeys()) {
    if (record.expiresAt !== undefined) keys.expired ??= record.key;
    else if (record.operations === undefined) keys.default ??= record.key;
    else if (record.operations.length === 1) keys.byOperation![record.operations[0] as OperationId] ??= record.key;
  }
  return keys;
}

/** Every key of a target, to redact them from anything printed. */
export function allKeys(keys: TargetKeys): string[] {
  return [keys.default, keys.expired, ...Object.values(keys.byOperation ?? {})].filter((k): k is string => typeof k === 'string' && k !== '');
}
