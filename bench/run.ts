/**
 * `npm run bench`: the performance benchmark, every scenario in one run.
 *
 *   npm run bench                 full run (~5-10 min on the 2-core machine) -> bench/results/latest.json
 *   npm run bench -- --quick      smoke run: tiny sizes, 1 s loads, < 1 min  -> bench/results/quick.json
 *   npm run bench -- --profile    CPU profiles (baseline; sandbox search, add, select over 1M) -> bench/results/profile.json
 *   npm run bench -- --only peers,file   only those groups of parts (seeding, peers, file, memory):
 *                                 the peers with the sandbox's file-store loads, their ratios -> bench/results/latest-only-peers-file.json
 *   npm run bench -- --out FILE   write the JSON elsewhere
 *
 * Every server is its own child process (the baseline node:http server, the sandbox CLI, Prism,
 * WireMock on Java, Mockoon; WireMock is skipped, its figures "not reached", where Java is missing);
 * autocannon runs in this process, on the same cores: the output says so. Every child is killed
 * at the end, on error, and on Ctrl-C; children also exit by themselves when this process dies.
 * CPU used by other processes is measured per load (from /proc); a full run repeats a part during
 * which it was above 15% of a core, up to twice.
 *
 * Exit code: 0 whether the targets are met or not (they are printed); 1 only when the harness broke
 * (a server did not start or crashed, a probe got a failure answer, more than 1% non-2xx answers or
 * connection errors). Timeouts of a slow server are figures, not failures.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench } from './lib/bench.js';
import { FULL, QUICK, type BenchConfig } from './lib/config.js';
import { PART_GROUPS, type PartGroup } from './lib/figures.js';
import { runProfile } from './lib/profile-run.js';
import { installExitGuards, killAllChildren, ROOT } from './lib/children.js';

const USAGE = `usage: npm run bench [-- --quick | --profile] [--only ${PART_GROUPS.join(',')}] [--out FILE]\n`;

async function main(): Promise<number> {
  let values: { quick?: boolean; profile?: boolean; only?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { quick: { type: 'boolean' }, profile: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(PART_GROUPS as string[]).includes(name)) ?? [];
  if (only?.length === 0 || unknown.length > 0 || (only && values.profile)) {
    process.stderr.write(`bench: --only takes a comma-separated list of ${PART_GROUPS.join(', ')} (not with --profile); got ${JSON.stringify(values.only)}\n${USAGE}`);
    return 2;
  }
  installExitGuards();
  // --profile --quick: the profiles at the quick run's sizes and durations (to try the harness).
  const base: BenchConfig = values.profile ? { ...(values.quick ? QUICK : FULL), mode: 'profile' } : values.quick ? QUICK : FULL;
  const config: BenchConfig = only ? { ...base, only: only as PartGroup[] } : base;
  // A partial run never overwrites the whole run's results.
  const name = `${config.mode === 'full' ? 'latest' : config.mode}${only ? `-only-${only.join('-')}` : ''}`;
  const out = resolve(ROOT, values.out ?? `bench/results/${name}.json`);
  const tmp = await mkdtemp(join(tmpdir(), 'kapture-bench-'));
  // Also on Ctrl-C (the guard's handler exits the process): the stores can be hundreds of MB.
  process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
  try {
    return config.mode === 'profile' ? await runProfile(config, out, tmp) : await runBench(config, out, tmp);
  } finally {
    killAllChildren();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    killAllChildren();
    process.exitCode = 1;
  },
);
