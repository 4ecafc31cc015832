import { cp, mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { killAllChildren, livePids, peakRssMb, rssMb, runNode, sleep, spawnServer, type Child } from './children.js';
import { cpuSnapshot, otherCpu } from './cpu.js';
import { FIGURE_KEYS, type FigureKey } from './figures.js';
import { phoneBodies, pullPageBodies, sourceIdBodies } from './today-bodies.js';
import { load, post, probe, round, type LoadFigures, type ProbeFigures } from './load.js';
import { num } from './report.js';
import { everyDayBodies, searchBodies, selectDayBodies } from './bodies.js';
import { checkLoad, checkProbe, count, describeLoad, describeProbe, firstLines, grew, probeAsLoad, ratio } from './checks.js';
import { ADD_BODY, type BenchConfig, type BenchResults, OTHER_CPU_WARNING, PATHS, type Row } from './config.js';
import { codeFingerprint, dirSize, gitInfo, machineInfo } from './machine.js';
import { renderReport } from './render.js';
import { customerCount, drainAndVerify, firstAnswer, probeVendor, serveSandbox, settle, startPrism } from './servers.js';
import { evaluateTargets } from './targets.js';

/** The benchmark: every scenario in one run, against the baseline and Prism measured in the same run. Returns the exit code. */
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

