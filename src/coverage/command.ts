import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { controlClient } from '../client.js';
import { coverageJunit, coverageText, meetsMin } from './format.js';

const USAGE = `Usage: kapture-sandbox coverage [--target URL] [--tenant N] [--min PCT]
                                [--reporter text|junit] [--output FILE] [--admin-token TOKEN]

Which Kapture behaviours (operation x outcome) the traffic a running sandbox received since its
last reset exercised, against the catalogue of outcomes each operation can meet.

  --target URL          the sandbox (default http://127.0.0.1:4010)
  --tenant N            one tenant's traffic only (default: every request's)
  --min PCT             exit 1 when fewer than PCT percent of the pairs were seen
  --reporter text|junit text (default) on stdout; junit writes JUnit XML to --output (or stdout):
                        one testcase per pair; a pair not seen is skipped, and fails when --min is not met
  --output FILE         where the report goes (with junit, the text table still goes to stdout)
  --admin-token TOKEN   the sandbox's admin token (default: KAPTURE_SANDBOX_ADMIN_TOKEN)

Exit status: 0, 1 under --min or when the sandbox cannot be read, 2 for a usage mistake.
`;

type Io = { stdout: (text: string) => void; stderr: (text: string) => void };
const STD_IO: Io = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };

/**
 * `kapture-sandbox coverage`: prints (or writes) the coverage report and answers the exit status.
 *
 * @example
 * const status = await runCoverageCommand(['--target', 'http://127.0.0.1:4010', '--min', '60']);
 */
export async function runCoverageCommand(args: string[], io: Io = STD_IO, env = process.env): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(args, env);
  } catch (error) {
    io.stderr(`kapture-sandbox coverage: ${(error as Error).message}. Run "kapture-sandbox coverage --help".\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  const { target, tenant, min, reporter, output, adminToken } = options;
  let report;
  try {
    report = await controlClient(target, adminToken ? { adminToken } : {}).coverage(tenant);
  } catch (error) {
    io.stderr(`kapture-sandbox coverage: cannot read the coverage of ${target}: ${(error as Error).message} (is a kapture-sandbox running there? start one with "kapture-sandbox serve")\n`);
    return 1;
  }
  const text = coverageText(report, target, min);
  if (reporter === 'junit') {
    const junit = coverageJunit(report, target, min);
    if (output === undefined) io.stdout(junit);
    else {
      write(output, junit);
      io.stdout(text);
    }
  } else if (output !== undefined) {
    write(output, text);
  } else {
    io.stdout(text);
  }
  return meetsMin(report, min) ? 0 : 1;
}

function parse(args: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      target: { type: 'string' },
      tenant: { type: 'string' },
      min: { type: 'string' },
      reporter: { type: 'string' },
      output: { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  const target = (values.target ?? 'http://127.0.0.1:4010').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(target)) throw new Error(`--target must be an http(s) URL such as http://127.0.0.1:4010, got "${values.target}"`);
  const tenant = values.tenant;
  if (tenant !== undefined && !/^[1-9]\d{0,9}$/.test(tenant)) throw new Error(`--tenant must be a tenant id (a whole number from 1), got "${tenant}"`);
  const min = values.min;
  if (min !== undefined && !(/^\d+(\.\d+)?$/.test(min) && Number(min) <= 100)) throw new Error(`--min must be a percentage from 0 to 100, got "${min}"`);
  const reporter = values.reporter ?? 'text';
  if (reporter !== 'text' && reporter !== 'junit') throw new Error(`--reporter must be text or junit, got "${reporter}"`);
  return {
    target,
    tenant: tenant === undefined ? undefined : Number(tenant),
    min: min === undefined ? undefined : Number(min),
    reporter,
    output: values.output,
    adminToken: values['admin-token'] ?? env.KAPTURE_SANDBOX_ADMIN_TOKEN,
  };
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
