import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { spawnServer } from './children.js';
import { load, type LoadFigures } from './load.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';
import { num, table } from './report.js';
import { searchBodies, selectDayBodies } from './bodies.js';
import { describeLoad } from './checks.js';
import { ADD_BODY, type BenchConfig, PATHS } from './config.js';
import { gitInfo, machineInfo } from './machine.js';
import { firstAnswer, serveSandbox } from './servers.js';

/**
 * `--profile`: CPU profiles (`node --cpu-prof`) of the sandbox under three loads: search by id and
 * durable add with `big` customers in a file, and select one day with `huge` customers in memory.
 * Each profile is summarized by self time and by inclusive time of the functions that matter.
 */
export async function runProfile(config: BenchConfig, out: string, tmp: string): Promise<number> {
  const { big, huge } = config.sizes;
  const db = join(tmp, 'profile', 'store.json');
  const profileDir = join(dirname(out), 'profiles');
  await mkdir(profileDir, { recursive: true });
  const machine = machineInfo();
  process.stdout.write(
    `CPU profiles of the sandbox, ${config.durationS} s per load; machine ${machine.cores} cores, Node ${machine.node}; ` +
      `autocannon ${machine.autocannon} in this process on the same cores\n`,
  );
  const seeded = await serveSandbox(['--db', db, '--customers', String(big)], config.startTimeoutMs);
  await firstAnswer(seeded, searchBodies(big)[0]!);
  await seeded.stop(config.drainTimeoutMs);

  const summaries: Record<string, { load: LoadFigures; profile: ProfileSummary; file: string }> = {};
  const scenarios = [
    { name: 'baseline', args: [], path: PATHS.search, bodies: searchBodies(big), connections: config.connections.search, startMs: config.startTimeoutMs },
    { name: 'search', args: ['--db', db, '--customers', String(big)], path: PATHS.search, bodies: searchBodies(big), connections: config.connections.search, startMs: config.startTimeoutMs },
    { name: 'add', args: ['--db', db, '--customers', String(big)], path: PATHS.add, bodies: [ADD_BODY], connections: config.connections.add, startMs: config.startTimeoutMs },
    { name: 'select-huge', args: ['--in-memory', '--customers', String(huge)], path: PATHS.select, bodies: selectDayBodies(), connections: config.connections.hugeSelect, startMs: config.hugeStartTimeoutMs },
  ];
  const interesting =
    /stringify|writeFile|handleVendorRequest|serveVendor|readBody|writeReply|presentCustomer|presentContact|checkItem|authenticate|parseVendorBody|selectCustomers|searchCustomers|customersOf|filter|sort|garbage collector|gsonDate|calendarObject|imageReferenceId|record|journal/i;
  for (const scenario of scenarios) {
    const dir = join(tmp, `prof-${scenario.name}`);
    const profFlags = ['--cpu-prof', '--cpu-prof-dir', dir];
    const server =
      scenario.name === 'baseline'
        ? await spawnServer({ name: 'baseline', args: ['--import', 'tsx', 'bench/baseline-server.ts'], nodeFlags: profFlags, timeoutMs: scenario.startMs })
        : await serveSandbox(scenario.args, scenario.startMs, profFlags);
    if (scenario.name !== 'baseline') await firstAnswer(server, searchBodies(big)[0]!);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const figs = await load({ url: server.url, path: scenario.path, bodies: scenario.bodies, connections: scenario.connections, duration: config.durationS, timeout: config.requestTimeoutS });
    const toUs = Number(process.hrtime.bigint() / 1000n);
    // SIGINT: the CLI closes, waits for pending writes and exits; Node writes the profile then.
    await server.stop(120_000);
    const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile was written for ${scenario.name} (did the sandbox exit normally?)`);
    const kept = join(profileDir, `${scenario.name}.cpuprofile`);
    await copyFile(join(dir, file), kept);
    const profile = await summarizeProfile(kept, { top: 25, inclusiveOf: interesting, window: { fromUs, toUs }, requests: figs.responses });
    summaries[scenario.name] = { load: figs, profile, file: kept };
    process.stdout.write(
      `\n${scenario.name} (${scenario.args.join(' ')}): ${describeLoad(scenario.name, figs)}\n` +
        `profile ${kept}: ${profile.totalMs} ms sampled during the load (start-up and shutdown left out), ` +
        `${figs.responses} answers, idle ${(profile.idleShare * 100).toFixed(1)}%\n`,
    );
    const rowsOf = (entries: ProfileSummary['self']) =>
      entries.map((entry) => [entry.fn.slice(0, 120), String(entry.ms), `${(entry.share * 100).toFixed(1)}%`, num(entry.usPerRequest, 1)]);
    process.stdout.write(`${table([['self time', 'ms', 'share', 'µs/request'], ...rowsOf(profile.self)])}\n\n`);
    process.stdout.write(`${table([['inclusive time (selected functions)', 'ms', 'share', 'µs/request'], ...rowsOf(profile.inclusive)])}\n`);
  }
  await writeFile(out, `${JSON.stringify({ meta: { date: new Date().toISOString(), machine, git: gitInfo(), sizes: config.sizes, durationS: config.durationS }, summaries }, null, 2)}\n`);
  process.stdout.write(`\nresults: ${out}\n`);
  return 0;
}

