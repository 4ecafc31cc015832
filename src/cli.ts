import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultKeys } from '../seeds/keys.js';
import { DEFAULTS, startSandbox } from './sandbox.js';
import { VERSION } from './version.js';
import { resolveProfile } from './vendor/profile.js';
import type { ContractSuite } from './contract/check.js';

const USAGE = `kapture-sandbox ${VERSION}: an offline, stateful sandbox of Kapture CRM's Customer API

Usage:
  kapture-sandbox serve [--port 4010] [--host 127.0.0.1] [--db PATH | --in-memory]
                        [--seed 1] [--customers 50] [--admin-token TOKEN]
                        [--journal-size 1000] [--no-header-faults] [--ready-json]
                        [--profile document|current|PATH]
  kapture-sandbox contract [--target URL] [--key KEY] [--allow-writes] [--reporter junit --output FILE]
                        (the contract suite: "kapture-sandbox contract --help" for every option)
  kapture-sandbox coverage [--target URL] [--tenant N] [--min PCT] [--reporter junit --output FILE]
                        (which Kapture behaviours the traffic exercised: "coverage --help")
  kapture-sandbox calibrate --target URL [--key KEY] [--allow-writes] --output PROFILE.json
                        (observe an account, write the profile it answers by: "calibrate --help")
  kapture-sandbox --help | --version

serve options:
  --port N           port to listen on (default ${DEFAULTS.port}; 0 picks a free one)
  --host HOST        address to listen on (default ${DEFAULTS.host}); any other than loopback
                     needs --admin-token (or KAPTURE_SANDBOX_ADMIN_TOKEN)
  --db PATH          JSON store file, created and seeded if missing (default data/sandbox.json)
  --in-memory        keep everything in memory: a throwaway sandbox
  --seed N           seed of the generated customers (default ${DEFAULTS.seed}); same seed, same data
  --customers N      how many customers to generate besides the document's samples (default ${DEFAULTS.customers})
  --admin-token T    token control requests must send in X-Sandbox-Admin-Token
  --journal-size N   how many requests GET /__sandbox/journal keeps (default ${DEFAULTS.journalSize})
  --no-header-faults ignore X-Sandbox-Fault: emulate the vendor strictly (rules still apply)
  --profile P        how the sandbox answers: document (default, the 2016 document verbatim),
                     current (as today's Kapture answers), or a profile file (kapture-sandbox calibrate)
  --ready-json       once listening, print one line {"url": ..., "pid": ...} on stdout (the
                     banner goes to stderr): for test fixtures in any language, with --port 0
`;

/**
 * What the program hands in from outside `src/`: the contract suite lives in `contracts/`, and the
 * engine in `src/contract/` runs whatever suite it is given.
 */
export type Wiring = { loadContractSuite?: () => Promise<ContractSuite<unknown>> };

/** Parses argv and serves; every mistake exits 2 with a message saying what to do, never a stack trace. */
export async function main(argv: string[], wiring: Wiring = {}): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'contract') {
    // Loaded on demand: serve does not need the contract suite.
    const { runContractCommand } = await import('./contract/command.js');
    if (!wiring.loadContractSuite) {
      process.stderr.write('kapture-sandbox contract: no contract suite was handed in: run it as bin/kapture-sandbox.js contract (or npx kapture-sandbox contract).\n');
      return 2;
    }
    return runContractCommand(await wiring.loadContractSuite(), rest);
  }
  if (command === 'calibrate') {
    const { runCalibrateCommand } = await import('./calibrate/command.js');
    return runCalibrateCommand(rest);
  }
  if (command === 'coverage') {
    const { runCoverageCommand } = await import('./coverage/command.js');
    return runCoverageCommand(rest);
  }
  if (command !== 'serve') {
    process.stderr.write(`kapture-sandbox: unknown command "${command}". Run "kapture-sandbox --help".\n`);
    return 2;
  }
  let options: Awaited<ReturnType<typeof serveOptions>>;
  try {
    options = serveOptions(rest);
  } catch (error) {
    process.stderr.write(`kapture-sandbox serve: ${(error as Error).message.replace(/\.$/, "")}. Run "kapture-sandbox --help".\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { seedFlags, tokenFrom, readyJson, ...sandboxOptions } = options;
  // Checked before starting: a start creates the file.
  if (!sandboxOptions.inMemory && seedFlags.length > 0 && existsSync(sandboxOptions.db)) {
    process.stderr.write(
      `kapture-sandbox serve: note: ${sandboxOptions.db} already exists, so ${seedFlags.join(' and ')} shape${seedFlags.length > 1 ? '' : 's'} ` +
        'only POST /__sandbox/reset, not the customers it holds. To start from them, pass another --db or move the file away.\n',
    );
  }
  try {
    const sandbox = await startSandbox(sandboxOptions);
    // Before the banner: whoever reads the banner may signal at once.
    stopOn(['SIGINT', 'SIGTERM'], sandbox.close);
    if (readyJson) process.stdout.write(`${JSON.stringify({ url: sandbox.url, pid: process.pid })}\n`);
    printBanner(sandbox, sandboxOptions.inMemory ? 'in memory (nothing is kept)' : `file ${sandboxOptions.db}`, sandboxOptions.profile.name, tokenFrom, readyJson ? process.stderr : process.stdout);
    return -1;
  } catch (error) {
    process.stderr.write(`kapture-sandbox serve: ${(error as Error).message}\n`);
    return 1;
  }
}

function serveOptions(args: string[]) {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'in-memory': { type: 'boolean' },
      seed: { type: 'string' },
      customers: { type: 'string' },
      'admin-token': { type: 'string' },
      'journal-size': { type: 'string' },
      'no-header-faults': { type: 'boolean' },
      profile: { type: 'string' },
      'ready-json': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  if (values.db !== undefined && values['in-memory']) throw new Error('--db and --in-memory exclude each other: pick one');
  const adminToken = values['admin-token'] ?? process.env.KAPTURE_SANDBOX_ADMIN_TOKEN;
  return {
    seedFlags: (['customers', 'seed'] as const).filter((flag) => values[flag] !== undefined).map((flag) => `--${flag} ${values[flag]}`),
    tokenFrom: values['admin-token'] ? '--admin-token' : adminToken ? 'KAPTURE_SANDBOX_ADMIN_TOKEN' : undefined,
    port: integer('--port', values.port, DEFAULTS.port, 0, 65535),
    host: values.host ?? DEFAULTS.host,
    db: values.db ?? 'data/sandbox.json',
    inMemory: values['in-memory'] ?? false,
    seed: integer('--seed', values.seed, DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    customers: integer('--customers', values.customers, DEFAULTS.customers, 0, 2_000_000),
    journalSize: integer('--journal-size', values['journal-size'], DEFAULTS.journalSize, 1, 1_000_000),
    headerFaults: !values['no-header-faults'],
    profile: resolveProfile(values.profile ?? 'document'),
    readyJson: values['ready-json'] ?? false,
    ...(adminToken ? { adminToken } : {}),
  };
}

function integer(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function printBanner(sandbox: { url: string; host: string; port: number }, storage: string, profile: string, tokenFrom: string | undefined, out: NodeJS.WritableStream): void {
  // 0.0.0.0 and :: are where the sandbox listens, not an address to open: show one that works here.
  const everywhere = sandbox.host === '0.0.0.0' || sandbox.host === '::';
  const url = everywhere ? `http://127.0.0.1:${sandbox.port}` : sandbox.url;
  const keys = defaultKeys()
    .map((k) => `  ${k.key.padEnd(16)} tenant ${k.tenant}, ${k.name}`)
    .join('\n');
  out.write(
    `kapture-sandbox ${VERSION} listening on ${url}${everywhere ? ` (on all interfaces: ${sandbox.host})` : ''}\n` +
      `QA console: ${url}/__sandbox/console\n` +
      (tokenFrom ? `admin token required: control requests (/__sandbox, and the console, which asks for it) send X-Sandbox-Admin-Token with the token of ${tokenFrom}\n` : '') +
      `storage: ${storage}\n` +
      `answers: profile ${profile} (serve --profile document|current|PATH)\n` +
      `default keys (send "Authorization: Basic <key>"):\n${keys}\n` +
      `try: curl -s ${url}/search-customer-by-customer-id.html -H 'Authorization: Basic sandbox-key' ` +
      `-H 'Content-Type: application/json' -d '{"customer_id":"272930"}'\n`,
  );
}

function stopOn(signals: NodeJS.Signals[], close: () => Promise<void>): void {
  let stopping = false;
  for (const signal of signals) {
    // `on`, not `once`: a second Ctrl-C while stopping is ignored, where with no listener left its
    // default action would end the process before the pending writes are flushed.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      close().then(
        () => process.stdout.write(`kapture-sandbox stopped (${signal})\n`, () => process.exit(0)),
        (error: Error) => {
          process.stderr.write(`kapture-sandbox: error while stopping: ${error.message}\n`);
          process.exit(1);
        },
      );
    });
  }
}
