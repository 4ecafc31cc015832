import { parseArgs } from 'node:util';
import { isOperationId, OPERATION_IDS, type OperationId } from '../operations/ids.js';
import { resolveProfile } from '../vendor/profile.js';
import { DEFAULT_CONSISTENCY_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './runner.js';
import type { TargetKeys } from './target.js';

/** The arguments of `kapture-sandbox contract`: its usage text and their parsing (flags first, then the environment). */
export const CONTRACT_USAGE = `kapture-sandbox contract: run the contract suite against a sandbox, Prism, or a Kapture account

Usage:
  kapture-sandbox contract [--target URL] [--key KEY] [--key-for OPERATION=KEY]... [--expired-key KEY]
                           [--allow-writes] [--stateless] [--customer-id ID]...
                           [--reporter text|junit] [--output FILE] [--wait SECONDS] [--timeout SECONDS]
                           [--skip NAME]... [--admin-token TOKEN] [--profile NAME|PATH] [--report-json FILE]

  Without --target, a throwaway in-memory sandbox is started and everything runs against it.
  A target that is a kapture-sandbox (it answers /__sandbox/health) gets every check, fault
  scenarios included. Any other target gets only checks that create nothing, unless --allow-writes.

Every check is labelled by where its expectation comes from:
  [fact]      the vendor's documents and what holds on every Kapture account (a wrong key
              refused, Gson dates, 0-based Calendar months, a select within its range, a write
              then visible): fails wherever it does not hold
  [profile]   what differs between accounts and generations (key casing, status words, messages,
              answer shapes, empty fields): compared with the run's profile
  [decision]  what no public source settles, decided by the sandbox (a search of several items
              answering every item): compared with the run's profile
  Against a target that is not a sandbox, without --profile, [profile] and [decision] checks
  observe: the report shows what the account answered next to the sandbox's default, and they
  never fail. With --profile a difference fails as drift, per operation and JSON path.
  A check that found nothing to check (no customer in the range, say) says so: not a pass.

options:
  --target URL            base URL of the Kapture-compatible API
  --key KEY               the API key of every operation (default: KAPTURE_AUTH_KEY)
  --key-for OP=KEY        the key of one operation, for accounts with one key per API
                          (default: KAPTURE_AUTH_KEY_<OP>, e.g. KAPTURE_AUTH_KEY_SEARCH_CUSTOMER);
                          OP is one of ${OPERATION_IDS.join(', ')}
  --expired-key KEY       an expired key of the account, for the APIExpired check (default: KAPTURE_EXPIRED_KEY)
  --allow-writes          let the run create and update records on a target that is not a sandbox;
                          every record carries the run id in its customer_code, name and email
  --stateless             the target is a stateless mock (Prism): run only the checks it can satisfy
  --customer-id ID        an existing customer for the read-only checks (default: found by select)
  --reporter text|junit   text (default) on stdout; junit writes JUnit XML to --output (or stdout)
  --output FILE           where the report goes (the text report still goes to stdout with junit)
  --wait SECONDS          how long reads after a write retry before failing (default ${DEFAULT_CONSISTENCY_TIMEOUT_MS / 1000})
  --timeout SECONDS       per request (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})
  --skip NAME             skip a check, a group (read-only, writes, sandbox-only) or a tag (faults, flow...)
  --admin-token TOKEN     a sandbox's admin token (default: KAPTURE_SANDBOX_ADMIN_TOKEN)
  --profile NAME|PATH     the profile the target must answer by: document, current, or a file
                          written by "kapture-sandbox calibrate"; a difference fails (drift)
  --report-json FILE      also write the report as JSON, drift per operation and JSON path

Keys are never printed. Exit status: 0 when no check failed, 1 when one did, 2 for a usage error.
`;

export type ContractOptions = {
  target: string | undefined;
  keys: TargetKeys;
  allowWrites: boolean;
  stateless: boolean;
  customerIds: string[];
  reporter: 'text' | 'junit';
  output: string | undefined;
  consistencyTimeoutMs: number;
  requestTimeoutMs: number;
  skip: string[];
  adminToken: string | undefined;
  profile: string | undefined;
  reportJson: string | undefined;
};

/** Usage mistakes: exit 2 with the message. */
export class UsageError extends Error {}

export const SECRET_OPTIONS = ['--key', '--key-for', '--expired-key', '--admin-token'];

/** The values of the options that carry keys (`--key K`, `--key=K`, `--key-for op=K`), found without parsing. */
export function secretArguments(args: string[]): string[] {
  const secrets: string[] = [];
  args.forEach((arg, index) => {
    const [name, ...value] = arg.split('=');
    if (!SECRET_OPTIONS.includes(name!)) return;
    const secret = value.length > 0 ? value.join('=') : args[index + 1];
    if (secret === undefined) return;
    secrets.push(secret);
    if (name === '--key-for' && secret.includes('=')) secrets.push(secret.slice(secret.indexOf('=') + 1));
  });
  return secrets;
}

export function parseContractArgs(args: string[], env: NodeJS.ProcessEnv): ContractOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      target: { type: 'string' },
      key: { type: 'string' },
      'key-for': { type: 'string', multiple: true },
      'expired-key': { type: 'string' },
      'allow-writes': { type: 'boolean' },
      stateless: { type: 'boolean' },
      'customer-id': { type: 'string', multiple: true },
      reporter: { type: 'string' },
      output: { type: 'string' },
      wait: { type: 'string' },
      timeout: { type: 'string' },
      skip: { type: 'string', multiple: true },
      'admin-token': { type: 'string' },
      profile: { type: 'string' },
      'report-json': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const reporter = values.reporter ?? 'text';
  if (reporter !== 'text' && reporter !== 'junit') throw new UsageError(`--reporter must be text or junit, got "${reporter}"`);
  if (values.target !== undefined && !/^https?:\/\/[^/]+/i.test(values.target)) {
    throw new UsageError(`--target must be an http:// or https:// URL, got "${values.target}"`);
  }
  for (const id of values['customer-id'] ?? []) {
    if (!/^\d{1,15}$/.test(id)) throw new UsageError(`--customer-id must be a customer id (digits), got "${id}"`);
  }
  return {
    target: values.target,
    keys: keysFrom(values.key, values['key-for'] ?? [], values['expired-key'], env),
    allowWrites: values['allow-writes'] ?? false,
    stateless: values.stateless ?? false,
    customerIds: values['customer-id'] ?? [],
    reporter,
    output: values.output,
    consistencyTimeoutMs: seconds('--wait', values.wait, DEFAULT_CONSISTENCY_TIMEOUT_MS),
    requestTimeoutMs: seconds('--timeout', values.timeout, DEFAULT_REQUEST_TIMEOUT_MS),
    skip: values.skip ?? [],
    adminToken: values['admin-token'] ?? env.KAPTURE_SANDBOX_ADMIN_TOKEN,
    profile: checkedProfile(values.profile),
    reportJson: values['report-json'],
  };
}

/** A --profile that cannot be read is a usage error, said before anything is sent. */
function checkedProfile(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  try {
    resolveProfile(given);
  } catch (error) {
    throw new UsageError(`--profile: ${(error as Error).message}`);
  }
  return given;
}

/** Flags first, then the environment: `KAPTURE_AUTH_KEY`, `KAPTURE_AUTH_KEY_<OPERATION>`, `KAPTURE_EXPIRED_KEY`. */
function keysFrom(key: string | undefined, keyFor: string[], expired: string | undefined, env: NodeJS.ProcessEnv): TargetKeys {
  const byOperation: Partial<Record<OperationId, string>> = {};
  for (const operation of OPERATION_IDS) {
    const value = env[`KAPTURE_AUTH_KEY_${envName(operation)}`];
    if (value) byOperation[operation] = value;
  }
  for (const pair of keyFor) {
    const at = pair.indexOf('=');
    const operation = pair.slice(0, at);
    if (at < 1 || at === pair.length - 1 || !isOperationId(operation)) {
      // Never echo the pair: its right side is a key.
      throw new UsageError(`--key-for takes OPERATION=KEY with OPERATION one of ${OPERATION_IDS.join(', ')}; got "${at < 1 ? '(no OPERATION=)' : operation}=..."`);
    }
    byOperation[operation] = pair.slice(at + 1);
  }
  return {
    default: key || env.KAPTURE_AUTH_KEY || undefined,
    byOperation,
    expired: expired || env.KAPTURE_EXPIRED_KEY || undefined,
  };
}

/** `searchCustomer` → `SEARCH_CUSTOMER`. */
export function envName(operation: OperationId): string {
  return operation.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

function seconds(flag: string, text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > 3600) throw new UsageError(`${flag} must be a number of seconds from 0 to 3600, got "${text}"`);
  return value * 1000;
}
