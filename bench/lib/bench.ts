import { createHash } from 'node:crypto';
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { copyFile, cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { killAllChildren, livePids, peakRssMb, ROOT, rssMb, runNode, sleep, spawnServer, type Child } from './children.js';
import { cpuSnapshot, otherCpu } from './cpu.js';
import { FIGURE_KEYS, type FigureKey } from './figures.js';
import { phoneBodies, pullPageBodies, sourceIdBodies } from './today-bodies.js';
import { load, post, probe, round, type LoadFigures, type ProbeFigures } from './load.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';
import { num, table } from './report.js';

export const PATHS = {
  add: '/add-update-customer-from-other-source.html',
  select: '/select-customer-between-start-and-end-dates.html',
  search: '/search-customer-by-customer-id.html',
} as const;
const SPEC = 'openapi/kapture-customer-api.yaml';
const BIN = 'bin/kapture-sandbox.js';
const PRISM_CLI = 'node_modules/@stoplight/prism-cli/dist/index.js';
/** The document's sample customers; generated ids run from 287231 upwards. */
const SAMPLE_IDS = [272930, 286829, 287230];
const FIRST_GENERATED_ID = 287231;
export const ADD_BODY = JSON.stringify({ name: 'Bench', email: 'bench@example.in', phone: '9000000000' });
/** Share of non-2xx answers, or of connection errors (timeouts excluded), above which a load counts as broken. */
const MAX_BAD_SHARE = 0.01;
/** Other processes using more than this share of one core during a part make its figures suspect. */
const OTHER_CPU_WARNING = 0.15;

export type BenchConfig = {
  mode: 'full' | 'quick' | 'profile';
  /** Customers stored: small (1k), big (100k), huge (1M, in memory). */
  sizes: { small: number; big: number; huge: number };
  durationS: number;
  warmupS: number;
  connections: { search: number; select: number; add: number; mixedAdd: number; mixedSearch: number; hugeSelect: number };
  /** Requests per second of the open-loop search probe (see `probe`). */
  probeRate: number;
  /** How many times a part is run again when other processes competed for the CPU during it. */
  busyRetries: number;
  /** Adds per second of the open-loop add probe: low enough that the store stays near its size. */
  addProbeRate: number;
  /** autocannon's per-request timeout (s): a slower answer counts as a timeout. */
  requestTimeoutS: number;
  startTimeoutMs: number;
  hugeStartTimeoutMs: number;
  drainTimeoutMs: number;
};

export const FULL: BenchConfig = {
  mode: 'full',
  sizes: { small: 1_000, big: 100_000, huge: 1_000_000 },
  durationS: 10,
  warmupS: 2,
  connections: { search: 50, select: 10, add: 10, mixedAdd: 10, mixedSearch: 10, hugeSelect: 1 },
  probeRate: 500,
  addProbeRate: 100,
  busyRetries: 2,
  requestTimeoutS: 30,
  startTimeoutMs: 60_000,
  hugeStartTimeoutMs: 240_000,
  drainTimeoutMs: 60_000,
};

export const QUICK: BenchConfig = {
  mode: 'quick',
  sizes: { small: 100, big: 1_000, huge: 5_000 },
  durationS: 1,
  warmupS: 0,
  connections: { search: 10, select: 5, add: 5, mixedAdd: 5, mixedSearch: 5, hugeSelect: 1 },
  probeRate: 200,
  addProbeRate: 50,
  busyRetries: 0,
  requestTimeoutS: 10,
  startTimeoutMs: 30_000,
  hugeStartTimeoutMs: 30_000,
  drainTimeoutMs: 10_000,
};

export type Row = {
  id?: string;
  scenario: string;
  stored: string;
  load: LoadFigures;
  /** Compared with the baseline's req/s. */
  vsBaseline?: number;
  target?: string;
  met?: boolean;
};

export type TargetResult = {
  id: string;
  what: string;
  measured: number | null;
  unit: string;
  bound: string;
  met: boolean | null;
  note?: string;
};

/** What a run writes to bench/results/<mode>.json. */
export type BenchResults = {
  meta: {
    mode: BenchConfig['mode'];
    date: string;
    machine: ReturnType<typeof machineInfo>;
    /** 1-minute load average before and after the run: other work on the machine skews every figure. */
    loadAverage: { before: number; after: number };
    /** Average share of one core that OTHER processes used, over the run and per part (see cpu.ts). */
    otherCpu: { run: number | null; parts: Array<{ part: string; otherCores: number; busyShare: number; attempts: number }> };
    loadGenerator: string;
    git: { commit: string; dirtySrc: boolean | null };
    /** False when files under src/, seeds/ or bin/ changed while the run went on: its figures mix code versions. */
    codeUnchanged: boolean;
    sizes: BenchConfig['sizes'];
    durationS: number;
    warmupS: number;
    connections: BenchConfig['connections'];
    totalS: number;
  };
  figures: Record<FigureKey, number | null>;
  notReached: Partial<Record<FigureKey, string>>;
  loads: Record<string, LoadFigures>;
  /** Open-loop search probes: alone, and while adds run at full speed. */
  probes: Record<string, ProbeFigures>;
  targets: TargetResult[];
  diagnostics: Record<string, unknown>;
  /** Harness failures: a non-empty list means exit code 1. */
  problems: string[];
};

// ---------------------------------------------------------------------------------------------

/** The benchmark: every scenario of issue 5 in one run. Returns the exit code. */
export async function runBench(config: BenchConfig, out: string, tmp: string): Promise<number> {
  const started = performance.now();
  const machine = machineInfo();
  const loadBefore = round(loadavg()[0]!, 2);
  const codeAtStart = codeFingerprint();
  const { small, big, huge } = config.sizes;
  const loadGenerator =
    `autocannon ${machine.autocannon} in the bench process, on the SAME ${machine.cores} cores as the server under test ` +
    '(every server is its own child process)';
  process.stdout.write(
    `kapture-sandbox benchmark, ${config.mode} run${config.mode === 'quick' ? ' (tiny sizes, 1 s loads: a smoke test, not figures to quote)' : ''}\n` +
      `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.platform}; ` +
      `load average ${loadBefore} before the run (anything else running skews every figure)\n` +
      (loadBefore > machine.cores / 2 ? `WARNING: the machine is busy (load average ${loadBefore} on ${machine.cores} cores): figures will be low and noisy\n` : '') +
      `load: ${loadGenerator}; ${config.durationS} s per load after ${config.warmupS} s of warm-up; POST with key sandbox-key\n\n`,
  );

  const problems: string[] = [];
  const notReached: Partial<Record<FigureKey, string>> = {};
  const figures = Object.fromEntries(FIGURE_KEYS.map((key) => [key, null])) as Record<FigureKey, number | null>;
  const loads: Record<string, LoadFigures> = {};
  const probes: Record<string, ProbeFigures> = {};
  const rows: Row[] = [];
  const contention: Array<{ part: string; otherCores: number; busyShare: number; attempts: number }> = [];
  const runCpuStart = cpuSnapshot();
  const diagnostics: Record<string, unknown> = {};
  const log = (line: string) => process.stdout.write(`  ${line}\n`);
  const set = (key: FigureKey, value: number | undefined, digits = 1) => {
    figures[key] = value === undefined || Number.isNaN(value) ? null : round(value, digits);
  };
  const setLoad = (prefix: string, name: string, figs: LoadFigures) => {
    loads[name] = figs;
    set(`${prefix}Rps` as FigureKey, figs.okPerSec);
    set(`${prefix}P50Ms` as FigureKey, figs.p50Ms, 2);
    set(`${prefix}P99Ms` as FigureKey, figs.p99Ms, 2);
  };

  /** One part of the run: a failure is recorded as a harness problem and the run goes on. */
  /**
   * One part of the run: a failure is recorded as a harness problem and the run goes on. A part
   * during which other processes took more than OTHER_CPU_WARNING of a core is run again (up to
   * `config.busyRetries` times, its rows and problems replaced), so that one run's figures are
   * comparable; if it stays busy, its figures stay, flagged BUSY.
   */
  const part = async (name: string, fn: (attempt: number) => Promise<void>) => {
    process.stdout.write(`- ${name}\n`);
    const marks = { rows: rows.length, problems: problems.length };
    for (let attempt = 0; ; attempt++) {
      const t = performance.now();
      const cpuStart = cpuSnapshot();
      try {
        await fn(attempt);
      } catch (error) {
        const message = (error as Error).message;
        problems.push(`${name}: ${message}`);
        log(`FAILED: ${message.split('\n').slice(0, 15).join('\n    ')}`);
      } finally {
        killAllChildren();
        await sleep(50); // let the killed children be reaped, so their CPU time counts as ours
      }
      const other = otherCpu(cpuStart, cpuSnapshot(), machine.cores);
      const busy = other !== undefined && other.otherCores > OTHER_CPU_WARNING;
      log(
        `(${((performance.now() - t) / 1000).toFixed(1)} s; other processes used ${other ? `${Math.round(other.otherCores * 100)}% of a core` : 'n/a'}` +
          `${busy ? ' BUSY: other processes competed for the CPU, these figures are low' : ''})`,
      );
      if (busy && attempt < config.busyRetries) {
        log(`running this part again (${attempt + 1} of ${config.busyRetries}), after 20 s for the other work to pass`);
        rows.length = marks.rows;
        problems.length = marks.problems;
        await sleep(20_000);
        continue;
      }
      if (other) contention.push({ part: name, ...other, attempts: attempt + 1 });
      return;
    }
  };

  /** Runs `fn` and records on its result how much CPU other processes took meanwhile. */
  const accounted = async <T extends { otherCores?: number | null }>(fn: () => Promise<T>): Promise<T> => {
    const start = cpuSnapshot(livePids());
    const result = await fn();
    result.otherCores = otherCpu(start, cpuSnapshot(livePids()), machine.cores)?.otherCores ?? null;
    return result;
  };
  const accountedPair = async <A extends { otherCores?: number | null }, B extends { otherCores?: number | null }>(a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> => {
    const start = cpuSnapshot(livePids());
    const both = await Promise.all([a(), b()]);
    const other = otherCpu(start, cpuSnapshot(livePids()), machine.cores)?.otherCores ?? null;
    both[0].otherCores = other;
    both[1].otherCores = other;
    return both;
  };

  /** Settle (the previous load's leftovers done), warm-up (discarded), then the measured load; non-2xx and connection errors above 1% are harness problems. */
  const measure = async (label: string, target: { url: string; path: string; bodies: string[]; connections: number }) => {
    await settle(target.url);
    if (config.warmupS > 0) await load({ ...target, duration: config.warmupS, timeout: config.requestTimeoutS });
    const figs = await accounted(() => load({ ...target, duration: config.durationS, timeout: config.requestTimeoutS }));
    checkLoad(label, figs, problems);
    log(describeLoad(label, figs));
    return figs;
  };

  /** Durable adds at a fixed, modest rate (open loop): what one add costs at the store's current size. */
  const addProbe = async (url: string, label: string) => {
    await settle(url);
    const before = await customerCount(url);
    const figs = await accounted(() => probe({ url, path: PATHS.add, bodies: addBodies, ratePerSec: config.addProbeRate, duration: config.durationS }));
    checkProbe(label, figs, problems);
    log(describeProbe(label, figs));
    const after = await drainAndVerify(url, before, figs.ok2xx, label);
    return { probe: figs, stored: grew(before, after, 'file') };
  };

  const searchBig = searchBodies(big);
  const selectDays = selectDayBodies();
  const addBodies = [ADD_BODY];

  // 1. Seeding in a fresh Node, and what one whole-store commit costs (to split the add figures).
  await part(`seeding ${count(big)} faker customers: seedData in a fresh process`, async () => {
    const stdout = await runNode('seed-timing', ['--import', 'tsx', 'bench/seed-timing.ts', String(big), tmp], config.startTimeoutMs * 2);
    const timing = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    set('seedBigMs', timing.seedMs, 0);
    diagnostics.commitCostBig = {
      customers: big,
      what: 'a whole-store JSON rewrite, as a lowdb-style commit does it: JSON.stringify(whole store, null, 2) on the event loop, then writeFile(temp) and rename',
      fileMB: round(timing.fileBytes! / 2 ** 20, 1),
      stringifyIndentedMs: round(timing.stringifyIndentedMs!, 0),
      stringifyCompactMs: round(timing.stringifyCompactMs!, 0),
      writeRenameMs: round(timing.writeRenameMs!, 0),
      parseMs: round(timing.parseMs!, 0),
    };
    log(
      `seedData ${num(timing.seedMs, 0)} ms; the ${num(timing.fileBytes! / 2 ** 20)} MB store: JSON.stringify(…, null, 2) ` +
        `${num(timing.stringifyIndentedMs, 0)} ms, writeFile+rename ${num(timing.writeRenameMs, 0)} ms, JSON.parse ${num(timing.parseMs, 0)} ms`,
    );
  });

  // 2. Baseline: raw node:http answering a fixed, realistic search answer.
  let baselineRps: number | undefined;
  await part('baseline: raw node:http, fixed search answer', async () => {
    const server = await spawnServer({ name: 'baseline', args: ['--import', 'tsx', 'bench/baseline-server.ts'], timeoutMs: config.startTimeoutMs });
    const probe = await post(server.url, PATHS.search, searchBig[0]!);
    if (probe.status !== 200) throw new Error(`the baseline answered ${probe.status}`);
    const figs = await measure('baseline search', { url: server.url, path: PATHS.search, bodies: searchBig, connections: config.connections.search });
    baselineRps = figs.okPerSec;
    setLoad('baselineSearch', 'baselineSearch', figs);
    rows.push({ scenario: 'baseline: raw node:http, fixed search answer', stored: '-', load: figs, vsBaseline: 1 });
    await server.stop();
  });

  // 3. Prism's static mock of the same spec.
  let prismRps: number | undefined;
  await part('Prism 5.14.2 static mock of the spec (-v error): search', async () => {
    const server = await startPrism(config.startTimeoutMs);
    const probe = await post(server.url, PATHS.search, searchBig[0]!);
    if (probe.status !== 200) throw new Error(`Prism answered ${probe.status}: ${probe.text.slice(0, 300)}`);
    const figs = await measure('prism search', { url: server.url, path: PATHS.search, bodies: searchBig, connections: config.connections.search });
    prismRps = figs.okPerSec;
    setLoad('prismSearch', 'prismSearch', figs);
    rows.push({ scenario: 'Prism static mock (-v error): search', stored: '-', load: figs, vsBaseline: ratio(figs.okPerSec, baselineRps) });
    await server.stop();
  });

  // 4. The sandbox, file store, `big` customers: start-up, search, select, mixed, add, RSS.
  // The first start writes the store into `big-seeded/`; each attempt of the load part copies it
  // to a fresh directory (the adds grow it), whatever files the store keeps next to its path.
  let seededDb = join(tmp, 'big-seeded-0', 'store.json');
  let bigDb = seededDb;
  await part(`sandbox, file store, ${count(big)} customers: first start on a missing file (seed + write)`, async (attempt) => {
    seededDb = join(tmp, `big-seeded-${attempt}`, 'store.json');
    const server = await serveSandbox(['--db', seededDb, '--customers', String(big)], config.startTimeoutMs);
    const firstAnswerMs = await firstAnswer(server, searchBig[0]!);
    set('firstStartBigFileMs', firstAnswerMs, 0);
    await server.stop(config.drainTimeoutMs);
    set('storeFileBigMB', (await dirSize(dirname(seededDb))) / 2 ** 20, 1);
    log(`spawn to first answered request ${num(firstAnswerMs, 0)} ms (seeding, then writing the store: ${num(figures.storeFileBigMB)} MB on disk)`);
  });

  await part(`sandbox, file store, ${count(big)} customers on disk: start-up, search, select, mixed, add`, async (attempt) => {
    bigDb = join(tmp, `big-${attempt}`, 'store.json');
    await cp(dirname(seededDb), dirname(bigDb), { recursive: true });
    const server = await serveSandbox(['--db', bigDb, '--customers', String(big)], config.startTimeoutMs);
    const startupMs = await firstAnswer(server, searchBig[0]!);
    set('startupBigFileMs', startupMs, 0);
    set('rssBigFileStartMb', await rssMb(server.pid), 0);
    log(`start-up: spawn to first answered request ${num(startupMs, 0)} ms ("listening" printed at ${num(server.listeningMs, 0)} ms); RSS ${num(figures.rssBigFileStartMb, 0)} MB`);

    await probeVendor(server.url, PATHS.search, searchBig.at(-1)!, 'list');
    const search = await measure('sandbox search', { url: server.url, path: PATHS.search, bodies: searchBig, connections: config.connections.search });
    setLoad('searchBig', 'searchBig', search);
    set('searchVsBaseline', ratio(search.okPerSec, baselineRps), 4);
    set('searchVsPrism', ratio(search.okPerSec, prismRps), 3);
    rows.push({
      scenario: 'sandbox: search by id',
      stored: `${count(big)} file`,
      load: search,
      vsBaseline: ratio(search.okPerSec, baselineRps),
      target: '>= 0.5 x baseline, >= 5 x Prism',
      met: figures.searchVsBaseline !== null && figures.searchVsPrism !== null ? figures.searchVsBaseline >= 0.5 && figures.searchVsPrism >= 5 : undefined,
    });

    // Today's Get Customer by phone, and lookups by source id: indexes, as fast as by Kapture's id.
    const byPhone = await measure('sandbox search by phone', { url: server.url, path: PATHS.search, bodies: await phoneBodies(server.url, 60), connections: config.connections.search });
    setLoad('searchPhoneBig', 'searchPhoneBig', byPhone);
    set('searchPhoneVsBaseline', ratio(byPhone.okPerSec, baselineRps), 4);
    rows.push({ scenario: "sandbox: search by phone (today's Get Customer)", stored: `${count(big)} file`, load: byPhone, vsBaseline: ratio(byPhone.okPerSec, baselineRps), target: '>= 0.5 x baseline', met: figures.searchPhoneVsBaseline === null ? undefined : figures.searchPhoneVsBaseline >= 0.5 });
    const bySource = await measure('sandbox search by source id', { url: server.url, path: PATHS.search, bodies: await sourceIdBodies(server.url, 60), connections: config.connections.search });
    setLoad('searchSourceBig', 'searchSourceBig', bySource);
    set('searchSourceVsBaseline', ratio(bySource.okPerSec, baselineRps), 4);
    rows.push({ scenario: 'sandbox: search by source id', stored: `${count(big)} file`, load: bySource, vsBaseline: ratio(bySource.okPerSec, baselineRps), target: '>= 0.5 x baseline', met: figures.searchSourceVsBaseline === null ? undefined : figures.searchSourceVsBaseline >= 0.5 });

    await probeVendor(server.url, PATHS.select, selectDays[0]!, 'list');
    const select = await measure('sandbox select one day', { url: server.url, path: PATHS.select, bodies: selectDays, connections: config.connections.select });
    setLoad('selectDayBig', 'selectDayBig', select);
    rows.push({ scenario: 'sandbox: select one day', stored: `${count(big)} file`, load: select, vsBaseline: ratio(select.okPerSec, baselineRps) });
    // Every customer read, a day at a time: what a cache of the answers' JSON would hold if nothing
    // bounded it (the RSS below covers this load too).
    const allDays = await measure('sandbox select every day of 2024-2025', { url: server.url, path: PATHS.select, bodies: everyDayBodies(), connections: config.connections.select });
    setLoad('selectEveryDayBig', 'selectEveryDayBig', allDays);
    rows.push({ scenario: 'sandbox: select each day of 2 years', stored: `${count(big)} file`, load: allDays, vsBaseline: ratio(allDays.okPerSec, baselineRps) });
    // "RSS with 100k customers": the adds below grow the store (a fast store adds hundreds of thousands).
    set('rssBigFileAfterReadsMb', await rssMb(server.pid), 0);
    set('rssBigFilePeakAfterReadsMb', await peakRssMb(server.pid), 0);

    // The cost of one durable add at this size, the store kept near its size: an open-loop probe
    // (the saturating add loads below grow a fast store by hundreds of thousands of customers).
    const bigAddProbe = await addProbe(server.url, 'durable add probe, big store');
    set('addProbeBigMeanMs', bigAddProbe.probe.meanMs, 3);
    set('addProbeBigP99Ms', bigAddProbe.probe.p99Ms, 2);
    rows.push({ scenario: `durable add probe, ${config.addProbeRate}/s open loop`, stored: bigAddProbe.stored, load: probeAsLoad(bigAddProbe.probe) });

    // Search latency while adds run at full speed. (a) Two autocannon instances at once: closed
    // loop, so a stall delays one request per connection and hides in the p99 (coordinated
    // omission). (b) An open-loop probe at a fixed rate: every request due during a stall waits.
    // The target is judged on (b); (b) alone first, as its reference.
    const searchProbe = (duration: number) =>
      probe({ url: server.url, path: PATHS.search, bodies: searchBig, ratePerSec: config.probeRate, duration });
    await settle(server.url);
    const alone = await accounted(() => searchProbe(config.durationS));
    checkProbe('search probe, alone', alone, problems);
    probes.searchBig = alone;
    set('probeSearchBigP50Ms', alone.p50Ms, 2);
    set('probeSearchBigP99Ms', alone.p99Ms, 2);
    set('probeSearchBigMaxMs', alone.maxMs, 1);
    log(describeProbe('search probe, alone', alone));

    await probeVendor(server.url, PATHS.add, ADD_BODY, 'added');
    const addLoad = () =>
      load({ url: server.url, path: PATHS.add, bodies: addBodies, connections: config.connections.mixedAdd, duration: config.durationS, timeout: config.requestTimeoutS });
    await settle(server.url);
    let before = await customerCount(server.url);
    const [adds, searches] = await accountedPair(addLoad, () =>
      load({ url: server.url, path: PATHS.search, bodies: searchBig, connections: config.connections.mixedSearch, duration: config.durationS, timeout: config.requestTimeoutS }),
    );
    checkLoad('mixed (closed loop): adds', adds, problems);
    checkLoad('mixed (closed loop): search', searches, problems);
    log(describeLoad('mixed (closed loop): search', searches));
    log(describeLoad('mixed (closed loop): adds', adds));
    loads.mixedSearchBig = searches;
    loads.mixedAddBig = adds;
    set('mixedSearchBigRps', searches.okPerSec);
    set('mixedSearchBigP50Ms', searches.p50Ms, 2);
    set('mixedSearchBigP99Ms', searches.p99Ms, 2);
    set('mixedAddBigRps', adds.okPerSec);
    rows.push({
      scenario: `search (autocannon) during adds (${adds.connections} conns)`,
      stored: `${count(big)} file`,
      load: searches,
      vsBaseline: ratio(searches.okPerSec, baselineRps),
      target: 'closed loop: see probe',
    });
    const afterMixed = await drainAndVerify(server.url, before, adds.ok2xx, 'mixed adds (closed loop)');
    rows.push({ scenario: 'durable add, during that search load', stored: grew(before, afterMixed, 'file'), load: adds });

    await settle(server.url);
    before = await customerCount(server.url);
    const [probeAdds, mixedProbe] = await accountedPair(addLoad, () => searchProbe(config.durationS));
    checkLoad('mixed (open loop): adds', probeAdds, problems);
    checkProbe('mixed (open loop): search probe', mixedProbe, problems);
    loads.mixedProbeAddBig = probeAdds;
    probes.mixedSearchBig = mixedProbe;
    set('mixedProbeSearchBigP50Ms', mixedProbe.p50Ms, 2);
    set('mixedProbeSearchBigP99Ms', mixedProbe.p99Ms, 2);
    set('mixedProbeSearchBigP999Ms', mixedProbe.p999Ms, 2);
    set('mixedProbeSearchBigMaxMs', mixedProbe.maxMs, 1);
    set('mixedProbeAddBigRps', probeAdds.okPerSec);
    log(describeProbe('mixed (open loop): search probe', mixedProbe));
    log(describeLoad('mixed (open loop): adds', probeAdds));
    rows.push({
      scenario: `search probe, ${config.probeRate}/s open loop, alone`,
      stored: `${count(big)} file`,
      load: probeAsLoad(alone),
    });
    rows.push({
      scenario: `search probe, ${config.probeRate}/s, during adds (${probeAdds.connections} conns)`,
      stored: `${count(big)} file`,
      load: probeAsLoad(mixedProbe),
      target: 'p99 <= 50 ms',
      met: mixedProbe.p99Ms <= 50,
    });
    const afterProbe = await drainAndVerify(server.url, before, probeAdds.ok2xx, 'mixed adds (open loop)');
    rows.push({ scenario: 'durable add, during the probe', stored: grew(before, afterProbe, 'file'), load: probeAdds });

    const beforeAdds = await customerCount(server.url);
    const add = await measure('sandbox durable add', { url: server.url, path: PATHS.add, bodies: addBodies, connections: config.connections.add });
    setLoad('addFileBig', 'addFileBig', add);
    // `before` precedes the warm-up, whose adds count too: the check is "grew by at least".
    const afterAdds = await drainAndVerify(server.url, beforeAdds, add.ok2xx, 'durable adds');
    rows.push({ scenario: 'sandbox: durable add (file)', stored: grew(beforeAdds, afterAdds, 'file'), load: add, vsBaseline: ratio(add.okPerSec, baselineRps), id: 'addBig' });
    set('rssBigFileAfterAddsMb', await rssMb(server.pid), 0);
    set('rssBigFilePeakMb', await peakRssMb(server.pid), 0);
    set('customersBigAfterAdds', await customerCount(server.url), 0);
    log(
      `RSS after the reads ${num(figures.rssBigFileAfterReadsMb, 0)} MB (peak so far ${num(figures.rssBigFilePeakAfterReadsMb, 0)} MB); ` +
        `after the adds ${num(figures.rssBigFileAfterAddsMb, 0)} MB with ${num(figures.customersBigAfterAdds, 0)} customers, peak ${num(figures.rssBigFilePeakMb, 0)} MB`,
    );
    await server.stop(config.drainTimeoutMs);
  });

  // 5. Durable add with a small store.
  await part(`sandbox, file store, ${count(small)} customers: durable add`, async (attempt) => {
    const server = await serveSandbox(['--db', join(tmp, `small-${attempt}`, 'store.json'), '--customers', String(small)], config.startTimeoutMs);
    await probeVendor(server.url, PATHS.add, ADD_BODY, 'added');
    const smallAddProbe = await addProbe(server.url, 'durable add probe, small store');
    set('addProbeSmallMeanMs', smallAddProbe.probe.meanMs, 3);
    set('addProbeSmallP99Ms', smallAddProbe.probe.p99Ms, 2);
    rows.push({ scenario: `durable add probe, ${config.addProbeRate}/s open loop`, stored: smallAddProbe.stored, load: probeAsLoad(smallAddProbe.probe) });
    const before = await customerCount(server.url);
    const add = await measure('sandbox durable add, small store', { url: server.url, path: PATHS.add, bodies: addBodies, connections: config.connections.add });
    setLoad('addFileSmall', 'addFileSmall', add);
    const after = await drainAndVerify(server.url, before, add.ok2xx, 'durable adds, small store');
    rows.push({ scenario: 'sandbox: durable add (file)', stored: grew(before, after, 'file'), load: add, vsBaseline: ratio(add.okPerSec, baselineRps) });
    await server.stop(config.drainTimeoutMs);
  });
  set('addFileBigVsSmall', ratio(figures.addFileBigRps ?? undefined, figures.addFileSmallRps ?? undefined), 5);
  // Cost ratio: mean latency of an add on the small store over that on the big one (1 = no growth).
  set('addProbeBigVsSmall', ratio(figures.addProbeSmallMeanMs ?? undefined, figures.addProbeBigMeanMs ?? undefined), 5);
  const bigAddRow = rows.find((row) => row.id === 'addBig');
  if (bigAddRow && figures.addFileBigVsSmall !== null) {
    bigAddRow.target = `>= 0.5 x the ${count(small)} store's`;
    bigAddRow.met = figures.addFileBigVsSmall >= 0.5;
  }

  // 6. Add in memory.
  await part(`sandbox, in memory, ${count(big)} customers: add`, async () => {
    const server = await serveSandbox(['--in-memory', '--customers', String(big)], config.startTimeoutMs);
    await probeVendor(server.url, PATHS.add, ADD_BODY, 'added');
    const before = await customerCount(server.url);
    const add = await measure('sandbox add in memory', { url: server.url, path: PATHS.add, bodies: addBodies, connections: config.connections.add });
    setLoad('addMemoryBig', 'addMemoryBig', add);
    const after = await drainAndVerify(server.url, before, add.ok2xx, 'in-memory adds');
    rows.push({ scenario: 'sandbox: add (in memory)', stored: grew(before, after, 'mem'), load: add, vsBaseline: ratio(add.okPerSec, baselineRps) });
    set('rssBigMemoryMb', await rssMb(server.pid), 0);
    await server.stop(config.drainTimeoutMs);
  });

  // 7. The huge store in memory: start-up, RSS, select one day. Bounded: "not reached" with the reason.
  await part(`sandbox, in memory, ${count(huge)} customers: start-up, RSS, select one day (1 connection)`, async () => {
    let server: Child;
    try {
      server = await serveSandbox(['--in-memory', '--customers', String(huge)], config.hugeStartTimeoutMs);
    } catch (error) {
      const reason = `the sandbox did not start with ${count(huge)} customers in memory: ${firstLines((error as Error).message, 6)}`;
      for (const key of ['startupHugeMemoryMs', 'rssHugeMemoryMb', 'rssHugeMemoryPeakMb', 'selectDayHugeRps', 'selectDayHugeMeanMs', 'selectDayHugeP50Ms', 'selectDayHugeP99Ms', 'pullFirstPageHugeMeanMs', 'pullLastPageHugeMeanMs', 'pullLastVsFirstPage'] as const) notReached[key] = reason;
      log(`not reached: ${reason}`);
      if (config.mode === 'quick') throw error;
      return;
    }
    const startupMs = await firstAnswer(server, searchBig[0]!);
    set('startupHugeMemoryMs', startupMs, 0);
    await probeVendor(server.url, PATHS.select, selectDays[0]!, 'list');
    const select = await measure('select one day, huge store', { url: server.url, path: PATHS.select, bodies: selectDays, connections: config.connections.hugeSelect });
    setLoad('selectDayHuge', 'selectDayHuge', select);
    set('selectDayHugeMeanMs', select.meanMs, 2);
    set('rssHugeMemoryMb', await rssMb(server.pid), 0);
    set('rssHugeMemoryPeakMb', await peakRssMb(server.pid), 0);
    rows.push({
      scenario: 'sandbox: select one day',
      stored: `${count(huge)} mem`,
      load: select,
      vsBaseline: ratio(select.okPerSec, baselineRps),
      target: 'mean <= 5 ms',
      met: select.meanMs <= 5,
    });
    log(`start-up ${num(startupMs, 0)} ms; RSS ${num(figures.rssHugeMemoryMb, 0)} MB; ${num(select.bytesPerResponse / 1024, 0)} KiB per answer`);
    // Today's pull by date range pages through a day: a page at the end of the day costs what the first does (an index, not a scan).
    const pages = await pullPageBodies(server.url, selectDays);
    const firstPage = await measure('pull, first page of a day, huge store', { url: server.url, path: PATHS.select, bodies: pages.first, connections: config.connections.hugeSelect });
    const lastPage = await measure('pull, last page of a day, huge store', { url: server.url, path: PATHS.select, bodies: pages.last, connections: config.connections.hugeSelect });
    set('pullFirstPageHugeMeanMs', firstPage.meanMs, 3);
    set('pullLastPageHugeMeanMs', lastPage.meanMs, 3);
    set('pullLastVsFirstPage', ratio(lastPage.meanMs, firstPage.meanMs), 3);
    rows.push({ scenario: "sandbox: today's pull, first page (50) of a day", stored: `${count(huge)} mem`, load: firstPage, vsBaseline: ratio(firstPage.okPerSec, baselineRps) });
    rows.push({
      scenario: "sandbox: today's pull, last page (50) of a day",
      stored: `${count(huge)} mem`,
      load: lastPage,
      vsBaseline: ratio(lastPage.okPerSec, baselineRps),
      target: 'mean <= 1.5 x the first page',
      met: figures.pullLastVsFirstPage === null ? undefined : figures.pullLastVsFirstPage <= 1.5,
    });
    await server.stop(config.drainTimeoutMs);
  });

  // Targets, all from this run.
  const targets = evaluateTargets(figures, config, notReached);
  const totalS = round((performance.now() - started) / 1000, 1);
  const results: BenchResults = {
    meta: {
      mode: config.mode,
      date: new Date().toISOString(),
      machine,
      loadAverage: { before: loadBefore, after: round(loadavg()[0]!, 2) },
      otherCpu: { run: otherCpu(runCpuStart, cpuSnapshot(), machine.cores)?.otherCores ?? null, parts: contention },
      loadGenerator,
      git: gitInfo(),
      codeUnchanged: codeFingerprint() === codeAtStart,
      sizes: config.sizes,
      durationS: config.durationS,
      warmupS: config.warmupS,
      connections: config.connections,
      totalS,
    },
    figures,
    notReached,
    loads,
    probes,
    targets,
    diagnostics,
    problems,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);

  process.stdout.write(`\n${renderReport(results, rows)}\n`);
  process.stdout.write(`\nresults: ${out}\ntotal: ${totalS} s\n`);
  if (!results.meta.codeUnchanged) {
    process.stdout.write('\nWARNING: files under src/, seeds/ or bin/ changed during the run: its figures mix code versions. Run it again on a tree nobody edits.\n');
  }
  if (problems.length > 0) {
    process.stdout.write(`\nHARNESS PROBLEMS (exit code 1):\n${problems.map((p) => `- ${firstLines(p, 4)}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------

function evaluateTargets(f: Record<FigureKey, number | null>, config: BenchConfig, notReached: Partial<Record<FigureKey, string>>): TargetResult[] {
  const { small, big, huge } = config.sizes;
  const t = (id: string, what: string, key: FigureKey, unit: string, bound: string, ok: (value: number) => boolean): TargetResult => {
    const measured = f[key];
    return {
      id,
      what,
      measured,
      unit,
      bound,
      met: measured === null ? null : ok(measured),
      ...(measured === null ? { note: notReached[key] ?? 'not measured (see problems)' } : {}),
    };
  };
  return [
    t('searchVsBaseline', `search by id, ${count(big)} stored, ${config.connections.search} connections, vs baseline`, 'searchVsBaseline', 'x', '>= 0.5', (v) => v >= 0.5),
    t('searchVsPrism', `search by id, ${count(big)} stored, ${config.connections.search} connections, vs Prism static`, 'searchVsPrism', 'x', '>= 5', (v) => v >= 5),
    t('searchPhoneVsBaseline', `search by phone (today's Get Customer), ${count(big)} stored, vs baseline`, 'searchPhoneVsBaseline', 'x', '>= 0.5', (v) => v >= 0.5),
    t('searchSourceVsBaseline', `search by source id, ${count(big)} stored, vs baseline`, 'searchSourceVsBaseline', 'x', '>= 0.5', (v) => v >= 0.5),
    t('pullPagingOffset', `today's pull over ${count(huge)} in memory: mean of the last page of a day / mean of its first page (50 customers each)`, 'pullLastVsFirstPage', 'x', '<= 1.5', (v) => v <= 1.5),
    t('addBigVsSmall', `durable add req/s, ${count(big)} stored vs ${count(small)} stored (saturating; the stores grow, see the table)`, 'addFileBigVsSmall', 'x', '>= 0.5', (v) => v >= 0.5),
    t('addProbeBigVsSmall', `durable add cost, ${count(small)}-store mean latency / ${count(big)}-store mean latency (open loop, ${config.addProbeRate}/s)`, 'addProbeBigVsSmall', 'x', '>= 0.5', (v) => v >= 0.5),
    t('mixedSearchP99', `search p99 while adds run at full speed, ${count(big)} stored (open-loop probe, ${config.probeRate}/s)`, 'mixedProbeSearchBigP99Ms', 'ms', '<= 50', (v) => v <= 50),
    t('selectHugeMean', `select one day over ${count(huge)} customers in memory, per request (mean, 1 connection)`, 'selectDayHugeMeanMs', 'ms', '<= 5', (v) => v <= 5),
    t('startupBig', `start-up with ${count(big)} customers on disk, to first answered request`, 'startupBigFileMs', 'ms', '<= 2000', (v) => v <= 2000),
    t('seedBig', `seeding ${count(big)} faker customers`, 'seedBigMs', 'ms', '<= 10000', (v) => v <= 10_000),
    t('rssBigFile', `peak RSS with ${count(big)} customers, file store, over start-up, search and select (one day, every day) loads`, 'rssBigFilePeakAfterReadsMb', 'MB', '<= 400', (v) => v <= 400),
    t('rssHugeMemory', `peak RSS with ${count(huge)} customers in memory, over start-up and the select load`, 'rssHugeMemoryPeakMb', 'MB', '<= 2500', (v) => v <= 2500),
  ];
}

function renderReport(results: BenchResults, rows: Row[]): string {
  const m = results.meta;
  const lines: string[] = [];
  lines.push(
    `machine: ${m.machine.cores} cores (${m.machine.cpu}), ${m.machine.memoryGiB} GiB RAM, Node ${m.machine.node}; ` +
      `load: autocannon ${m.machine.autocannon} sharing the same ${m.machine.cores} cores; ${m.durationS} s per load; ` +
      `other processes used ${m.otherCpu.run === null ? 'n/a' : `${Math.round(m.otherCpu.run * 100)}%`} of a core on average` +
      `${m.otherCpu.parts.some((p) => p.otherCores > OTHER_CPU_WARNING) ? ` (BUSY during: ${m.otherCpu.parts.filter((p) => p.otherCores > OTHER_CPU_WARNING).map((p) => p.part.split(':')[0]).join('; ')})` : ''}; git ${m.git.commit}${m.git.dirtySrc ? ' (src/ modified)' : ''}${m.codeUnchanged ? '' : ' — CODE CHANGED DURING THE RUN'}`,
  );
  lines.push(
    table([
      ['scenario', 'stored', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'vs baseline', 'non-2xx/err/timeout', 'other CPU', 'target', 'met?'],
      ...rows.map((row) => [
        row.scenario,
        row.stored,
        row.load.connections === 0 ? 'open' : String(row.load.connections),
        num(row.load.okPerSec),
        num(row.load.p50Ms, 2),
        num(row.load.p99Ms, 2),
        row.vsBaseline === undefined ? '' : `${num(row.vsBaseline, 3)} x`,
        `${row.load.non2xx}/${row.load.errors - row.load.timeouts}/${row.load.timeouts}`,
        row.load.otherCores === undefined || row.load.otherCores === null
          ? 'n/a'
          : `${Math.round(row.load.otherCores * 100)}%${row.load.otherCores > OTHER_CPU_WARNING ? ' BUSY' : ''}`,
        row.target ?? '',
        row.met === undefined ? '' : row.met ? 'yes' : 'NO',
      ]),
    ]),
  );
  lines.push(
    `other CPU: share of one core that processes other than the bench and its servers used during that load; ` +
      `above ${OTHER_CPU_WARNING * 100}% (BUSY) the row's figures are low. Latencies from autocannon's closed loop, except the open-loop probe rows.`,
  );
  lines.push('');
  lines.push(
    table([
      ['target', 'measured', 'bound', 'met?'],
      ...results.targets.map((target) => [
        target.what,
        target.measured === null ? 'not reached' : `${num(target.measured, target.unit === 'x' ? 3 : 1)} ${target.unit}`,
        `${target.bound} ${target.unit}`,
        target.met === null ? 'n/a' : target.met ? 'yes' : 'NO',
      ]),
    ]),
  );
  const f = results.figures;
  const s = results.meta.sizes;
  lines.push('');
  lines.push('other figures:');
  lines.push(`  first start on a missing file, ${count(s.big)} customers (seed + write + first answer): ${num(f.firstStartBigFileMs, 0)} ms; the store on disk: ${num(f.storeFileBigMB)} MB`);
  lines.push(
    `  RSS, ${count(s.big)} file store: ${num(f.rssBigFileStartMb, 0)} MB at start, ${num(f.rssBigFileAfterReadsMb, 0)} MB after the search and select loads ` +
      `(peak ${num(f.rssBigFilePeakAfterReadsMb, 0)} MB); ${num(f.rssBigFileAfterAddsMb, 0)} MB after the add loads, by then with ${num(f.customersBigAfterAdds, 0)} customers (peak ${num(f.rssBigFilePeakMb, 0)} MB)`,
  );
  lines.push(`  RSS, ${count(s.big)} in memory, after adds: ${num(f.rssBigMemoryMb, 0)} MB`);
  lines.push(
    `  ${count(s.huge)} in memory: start-up ${num(f.startupHugeMemoryMs, 0)} ms, RSS ${num(f.rssHugeMemoryMb, 0)} MB after the select load (peak ${num(f.rssHugeMemoryPeakMb, 0)} MB), ` +
      `select one day mean ${num(f.selectDayHugeMeanMs, 2)} ms, ${num((results.loads.selectDayHuge?.bytesPerResponse ?? Number.NaN) / 1024, 0)} KiB per answer`,
  );
  const commit = results.diagnostics.commitCostBig as Record<string, number> | undefined;
  if (commit) {
    lines.push(
      `  one whole-store JSON rewrite at ${count(s.big)} (lowdb-style commit, measured apart): JSON.stringify ${commit.stringifyIndentedMs} ms (compact ${commit.stringifyCompactMs} ms), ` +
        `writeFile+rename ${commit.writeRenameMs} ms, for ${commit.fileMB} MB; JSON.parse at start ${commit.parseMs} ms`,
    );
  }
  for (const [key, reason] of Object.entries(results.notReached)) lines.push(`  not reached: ${key}: ${reason}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

function serveSandbox(args: string[], timeoutMs: number, nodeFlags: string[] = []): Promise<Child> {
  return spawnServer({ name: `kapture-sandbox serve ${args.join(' ')}`, args: [BIN, 'serve', '--port', '0', ...args], nodeFlags, timeoutMs });
}

async function startPrism(timeoutMs: number): Promise<Child> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await spawnServer({
        name: 'prism',
        args: [PRISM_CLI, 'mock', SPEC, '-p', String(port), '-h', '127.0.0.1', '-v', 'error'],
        pollUrl: `http://127.0.0.1:${port}`,
        timeoutMs,
      });
    } catch (error) {
      lastError = error as Error;
      if (!/EADDRINUSE/.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

/** ms from spawn until a search was answered with a success. */
async function firstAnswer(server: Child, body: string): Promise<number> {
  await probeVendor(server.url, PATHS.search, body, 'list');
  return performance.now() - server.spawnedAt;
}

/** One request: the answer must be the success we mean to measure, not a vendor failure (which is HTTP 200 too). */
async function probeVendor(url: string, path: string, body: string, expect: 'list' | 'added'): Promise<void> {
  const answer = await post(url, path, body, 60_000);
  const error = answer.headers.get('x-sandbox-error');
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    // reported below
  }
  const ok = expect === 'list' ? json.status === 'success' && Array.isArray(json.message) && json.message.length > 0 : json.Status === 'Success';
  if (answer.status !== 200 || error || !ok) {
    throw new Error(`probe ${path} ${body}: HTTP ${answer.status}${error ? `, X-Sandbox-Error ${error}` : ''}: ${answer.text.slice(0, 300)}`);
  }
}

/**
 * Waits until the server is idle again: the previous load's leftovers (requests autocannon sent
 * before it stopped, a major GC) can stall it for a few hundred ms, which would land in the next
 * measurement. Idle = three health answers in a row within 20 ms (at most 30 s). Any HTTP answer
 * counts, so it works for servers without the control surface (the baseline, Prism).
 */
async function settle(url: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  let quick = 0;
  while (quick < 3 && performance.now() < deadline) {
    const t = performance.now();
    const answered = await fetch(`${url}/__sandbox/health`, { signal: AbortSignal.timeout(5_000) }).then(
      async (response) => {
        await response.body?.cancel();
        return true;
      },
      () => false,
    );
    quick = answered && performance.now() - t < 20 ? quick + 1 : 0;
    await sleep(100);
  }
}

/** The number of customers the sandbox holds (GET /__sandbox/health), or undefined if it does not say. */
async function customerCount(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}/__sandbox/health`, { signal: AbortSignal.timeout(60_000) });
    const json = (await response.json()) as { customers?: unknown };
    return typeof json.customers === 'number' ? json.customers : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the work a load queued has run (the server may still process requests autocannon
 * sent before it stopped): the customer count is polled until it stays the same twice in a row.
 * Then checks that the store grew by at least the number of adds answered 2xx: a "Success" that
 * stored nothing would make the add figures meaningless.
 */
async function drainAndVerify(url: string, before: number | undefined, added: number, label: string): Promise<number | undefined> {
  const deadline = performance.now() + 120_000;
  let last = await customerCount(url);
  for (;;) {
    await sleep(250);
    const now = await customerCount(url);
    if (now === last) break;
    last = now;
    if (performance.now() > deadline) throw new Error(`${label}: the store was still changing 120 s after the load`);
  }
  if (before !== undefined && last !== undefined && last - before < added) {
    throw new Error(`${label}: ${added} adds were answered 2xx but the store grew by ${last - before} customers`);
  }
  return last;
}

/** "100k→267k file": how many customers the store held before and after a load that adds. */
function grew(before: number | undefined, after: number | undefined, kind: string): string {
  const k = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k` : String(n));
  return before === undefined || after === undefined ? kind : `${k(before)}→${k(after)} ${kind}`;
}

function checkLoad(label: string, figs: LoadFigures, problems: string[]): void {
  const connectionErrors = figs.errors - figs.timeouts;
  if (figs.ok2xx === 0) problems.push(`${label}: no 2xx answer at all (${figs.non2xx} non-2xx, ${figs.errors} errors, ${figs.timeouts} timeouts)`);
  else if (figs.non2xx > MAX_BAD_SHARE * figs.responses) problems.push(`${label}: ${figs.non2xx} of ${figs.responses} answers were not 2xx`);
  if (connectionErrors > MAX_BAD_SHARE * Math.max(1, figs.responses)) problems.push(`${label}: ${connectionErrors} connection errors`);
}

function checkProbe(label: string, figs: ProbeFigures, problems: string[]): void {
  if (figs.ok2xx === 0) problems.push(`${label}: no 2xx answer at all (${figs.non2xx} non-2xx, ${figs.errors} errors)`);
  else if (figs.non2xx + figs.errors > MAX_BAD_SHARE * figs.sent) problems.push(`${label}: ${figs.non2xx} non-2xx and ${figs.errors} errors of ${figs.sent}`);
}

function describeProbe(label: string, figs: ProbeFigures): string {
  return (
    `${label}: ${figs.ratePerSec}/s for ${figs.durationS} s, latency from when each request was due: p50 ${num(figs.p50Ms, 2)} ms, ` +
    `p99 ${num(figs.p99Ms, 2)} ms, p99.9 ${num(figs.p999Ms, 2)} ms, max ${num(figs.maxMs, 0)} ms, ${(figs.over50msShare * 100).toFixed(1)}% over 50 ms ` +
    `(${figs.sent} sent, ${figs.non2xx} non-2xx, ${figs.errors} errors${figs.unfinished ? `, ${figs.unfinished} unanswered after the grace period, cut off` : ''})`
  );
}

/** A probe in the shape of a table row. */
function probeAsLoad(figs: ProbeFigures): LoadFigures {
  return {
    connections: 0,
    durationS: figs.durationS,
    reqPerSec: figs.ok2xx / figs.durationS,
    okPerSec: figs.ok2xx / figs.durationS,
    p50Ms: figs.p50Ms,
    p99Ms: figs.p99Ms,
    meanMs: figs.meanMs,
    maxMs: figs.maxMs,
    responses: figs.ok2xx + figs.non2xx,
    ok2xx: figs.ok2xx,
    non2xx: figs.non2xx,
    errors: figs.errors + figs.unfinished,
    timeouts: figs.unfinished,
    bytesPerResponse: 0,
    otherCores: figs.otherCores ?? null,
  };
}

function describeLoad(label: string, figs: LoadFigures): string {
  return (
    `${label}: ${num(figs.okPerSec)} req/s, p50 ${num(figs.p50Ms, 2)} ms, p99 ${num(figs.p99Ms, 2)} ms, max ${num(figs.maxMs, 0)} ms ` +
    `(${figs.connections} conns, ${figs.responses} answers, ${figs.non2xx} non-2xx, ${figs.errors} errors of which ${figs.timeouts} timeouts, ${figs.bytesPerResponse} B/answer)`
  );
}

/** Search bodies: the document's three sample ids, then up to 61 generated ids spread over the store. */
export function searchBodies(customers: number): string[] {
  const ids = [...SAMPLE_IDS];
  const n = Math.min(61, customers);
  for (let i = 0; i < n; i++) ids.push(FIRST_GENERATED_ID + Math.floor(((i + 0.5) * customers) / n));
  return ids.map((id) => JSON.stringify({ customer_id: String(id) }));
}

/** One-day selects: 16 days spread over 2024-2025, when the generated customers were created. */
export function selectDayBodies(): string[] {
  return oneDaySelects('2024-01-10', 16, 45);
}

/** One-day selects of every day of 2024-2025, in order: together they read every generated customer. */
export function everyDayBodies(): string[] {
  return oneDaySelects('2024-01-01', 731, 1);
}

/** `count` select bodies of one day each, from `first`, `everyDays` apart. */
function oneDaySelects(first: string, count: number, everyDays: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(start + i * everyDays * 86_400_000).toISOString().slice(0, 10);
    return JSON.stringify({ start_date: day, end_date: day });
  });
}

/** Bytes of the files directly in a directory (the store's file and whatever it keeps beside it). */
async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

function ratio(value: number | undefined, base: number | undefined): number | undefined {
  return value === undefined || base === undefined || base === 0 ? undefined : value / base;
}

function count(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join(' / ');
}

export function machineInfo() {
  const list = cpus();
  let autocannon = 'unknown';
  try {
    autocannon = execFileSync(process.execPath, ['-p', 'require("autocannon/package.json").version'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // stays unknown
  }
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    autocannon,
  };
}

/**
 * A fingerprint of the code under test (path, size and mtime of every file in src/, seeds/, bin/):
 * taken at the start and the end of a run, it tells whether the code changed while the run went on
 * (someone editing the tree: the figures would mix versions).
 */
function codeFingerprint(): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const info = statSync(path);
        parts.push(`${path}:${info.size}:${info.mtimeMs}`);
      }
    }
  };
  for (const dir of ['src', 'seeds', 'bin']) walk(join(ROOT, dir));
  return createHash('sha1').update(parts.join('\n')).digest('hex');
}

function gitInfo(): { commit: string; dirtySrc: boolean | null } {
  // A copy of the tree without .git (e.g. `git archive`) may say what it is.
  if (process.env.KAPTURE_BENCH_GIT) return { commit: process.env.KAPTURE_BENCH_GIT, dirtySrc: false };
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git(['rev-parse', '--short', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--', 'src', 'seeds', 'bin']) !== '';
    return { commit, dirtySrc: dirty };
  } catch {
    return { commit: 'unknown', dirtySrc: null };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
