import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { redactor } from '../contract/redact.js';
import { newRunId } from '../contract/runner.js';
import { probeSandbox } from '../contract/target.js';
import { isBuiltInProfile, validateProfile, type Profile } from '../vendor/profile.js';
import { buildProfile } from './build.js';
import { observeAccount } from './observe.js';

export const CALIBRATE_USAGE = `kapture-sandbox calibrate: observe how a Kapture account answers and write the profile it answers by

Usage:
  kapture-sandbox calibrate --target URL [--key KEY] [--allow-writes] --output PROFILE.json
                            [--customer-id ID]... [--name NAME] [--timeout SECONDS]

  Read-only by default: existing customers (select, then search), a refused key, a missing field,
  an unknown customer, in the 2016 document's request shapes and today's (Get Customer, pull by
  date range). With --allow-writes also add, update (by Kapture id and by your system's id) and
  add contacts: every record carries the run id in its name, email and customer_code.

  The file holds what the account answered (keys, casing, status words, messages, answer shapes,
  empty fields), per aspect the evidence (an example body, each value replaced by its type), and
  the aspects it could not observe ("unobserved": they keep the built-in document profile's).
  It never holds a key or customer data. Then:
    kapture-sandbox serve --profile PROFILE.json                       answers as the account did
    kapture-sandbox contract --target URL --profile PROFILE.json       fails when the account drifts

options:
  --target URL       base URL of the Kapture account (or any Kapture-compatible API)
  --key KEY          its API key (default: KAPTURE_AUTH_KEY); never written, never printed
  --allow-writes     also observe add, update and add contacts (creates tagged records)
  --output FILE      where the profile goes
  --customer-id ID   an existing customer to read (default: the newest select finds in the last year)
  --name NAME        the profile's name (default: calibrated; letters, digits, . _ -)
  --timeout SECONDS  per request (default 30)

Exit status: 0 when the profile was written, 1 when the target could not be observed, 2 for a usage error.
`;

type CommandIo = { stdout: (text: string) => void; stderr: (text: string) => void };
const PROCESS_IO: CommandIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

type Options = { target: string; key: string; allowWrites: boolean; output: string; name: string; timeoutMs: number; customerIds: string[] };

class UsageError extends Error {}

/**
 * `kapture-sandbox calibrate ...`: resolves to the exit status.
 *
 * @example
 * await runCalibrateCommand(['--target', 'https://acme.kapturecrm.com', '--output', 'acme.json'], { KAPTURE_AUTH_KEY: key });
 */
export async function runCalibrateCommand(args: string[], env: NodeJS.ProcessEnv = process.env, io: CommandIo = PROCESS_IO, now: () => Date = () => new Date()): Promise<number> {
  let options: Options | 'help';
  try {
    options = parse(args, env);
  } catch (error) {
    const secrets = args.filter((_, i) => args[i - 1] === '--key').concat(args.filter((a) => a.startsWith('--key=')).map((a) => a.slice(6)));
    io.stderr(`kapture-sandbox calibrate: ${redactor(secrets)((error as Error).message).replace(/\.$/, '')}. Run "kapture-sandbox calibrate --help".\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(CALIBRATE_USAGE);
    return 0;
  }
  const redact = redactor([options.key]);
  const baseUrl = options.target.replace(/\/+$/, '');
  try {
    const probe = await probeSandbox(baseUrl);
    if (probe.unreachable !== undefined) {
      io.stderr(`kapture-sandbox calibrate: cannot reach ${baseUrl} (${probe.unreachable}): is it running, and is the URL right?\n`);
      return 1;
    }
    const runId = newRunId(now());
    io.stdout(`kapture-sandbox calibrate\ntarget   ${baseUrl}${probe.sandbox ? ' (a kapture-sandbox)' : ''}\nrun id   ${runId}\nmode     ${options.allowWrites ? 'with writes (records tagged with the run id)' : 'read-only (--allow-writes to observe add, update, contacts)'}\n`);
    const observed = await observeAccount({ baseUrl, key: options.key, allowWrites: options.allowWrites, runId, now, timeoutMs: options.timeoutMs, customerIds: options.customerIds });
    const profile: Profile = buildProfile(observed, {
      name: options.name,
      description: `Calibrated by kapture-sandbox calibrate on ${now().toISOString().slice(0, 10)} (${options.allowWrites ? 'with writes' : 'read-only'}): what the account answered; the unobserved aspects keep the document profile's answers.`,
      secrets: [options.key],
    });
    validateProfile(profile, 'the calibrated profile');
    const text = `${JSON.stringify(profile, null, 2)}\n`;
    // The last guard: a key must never reach the file, whatever an answer echoed.
    if (text.includes(options.key)) throw new Error('the profile would hold the key (an answer echoed it): nothing was written');
    mkdirSync(dirname(options.output), { recursive: true });
    writeFileSync(options.output, text);
    for (const line of observed.notes) io.stdout(redact(`note     ${line}\n`));
    if (observed.created.length > 0) io.stdout(`created  customers ${observed.created.join(', ')} (tagged calibrate-${runId})\n`);
    const seen = Object.keys(profile.evidence ?? {}).length;
    io.stdout(`observed ${seen} answers; unobserved (kept the document profile's): ${profile.unobserved?.join(', ') || 'none'}\nwrote    ${options.output}\n`);
    return 0;
  } catch (error) {
    io.stderr(redact(`kapture-sandbox calibrate: ${(error as Error).message}\n`));
    return 1;
  }
}

function parse(args: string[], env: NodeJS.ProcessEnv): Options | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      target: { type: 'string' },
      key: { type: 'string' },
      'allow-writes': { type: 'boolean' },
      output: { type: 'string' },
      name: { type: 'string' },
      timeout: { type: 'string' },
      'customer-id': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values.target === undefined) throw new UsageError('--target URL is required: the account to observe');
  if (!/^https?:\/\/[^/]+/i.test(values.target)) throw new UsageError(`--target must be an http:// or https:// URL, got "${values.target}"`);
  if (values.output === undefined) throw new UsageError('--output FILE is required: where the profile goes');
  const key = values.key || env.KAPTURE_AUTH_KEY;
  if (!key) throw new UsageError('no key: pass --key KEY or set KAPTURE_AUTH_KEY');
  const name = values.name ?? 'calibrated';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new UsageError(`--name must be 1 to 64 letters, digits, ".", "_" or "-", got "${name}"`);
  // A sandbox serving the file reports its name; a built-in's name would claim the built-in's answers.
  if (isBuiltInProfile(name)) throw new UsageError(`--name "${name}" is a built-in profile's name: pick another (e.g. the account's)`);
  const timeout = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!(timeout > 0 && timeout <= 3600)) throw new UsageError(`--timeout must be a number of seconds from 0 to 3600, got "${values.timeout}"`);
  const customerIds = values['customer-id'] ?? [];
  for (const id of customerIds) if (!/^\d{1,15}$/.test(id)) throw new UsageError(`--customer-id must be a customer id (digits), got "${id}"`);
  return { target: values.target, key, allowWrites: values['allow-writes'] ?? false, output: values.output, name, timeoutMs: timeout * 1000, customerIds };
}
