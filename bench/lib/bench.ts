import { cp, mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { peakRssMb, rssMb, spawnServer } from './children.js';
import { cpuSnapshot, otherCpu } from './cpu.js';
import { phoneBodies, sourceIdBodies } from './today-bodies.js';
import { load, post, probe, round } from './load.js';
import { num } from './report.js';
import { everyDayBodies, searchBodies, selectDayBodies } from './bodies.js';
import { checkLoad, checkProbe, count, describeLoad, describeProbe, firstLines, grew, probeAsLoad, ratio } from './checks.js';
import { ADD_BODY, PATHS, type BenchConfig, type BenchResults } from './config.js';
import { codeFingerprint, dirSize, gitInfo, machineInfo } from './machine.js';
import { renderReport } from './render.js';
import { customerCount, drainAndVerify, firstAnswer, probeVendor, serveSandbox, settle, startPrism } from './servers.js';
import { evaluateTargets } from './targets.js';
import { createHarness } from './harness.js';
import { seedingPart } from './seeding-part.js';
import { inMemoryParts } from './in-memory-parts.js';

/** The benchmark: every scenario in one run, against the baseline and Prism measured in the same run. Returns the exit code. */
export async function runBench(config: BenchConfig, out: string, tmp: string): Promise<number> {
  const started = performance.now();
  const machine = machineInfo();
  const loadBefore = round(loadavg()[0]!, 2);
  const codeAtStart = codeFingerprint();
  const { small, big } = config.sizes;
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

  const h = createHarness(config, machine.cores);
  const { problems, notReached, figures, loads, probes, rows, contention, runCpuStart, diagnostics, log, set, setLoad, part, accounted, accountedPair, measure, addProbe, addBodies } = h;

  const searchBig = searchBodies(big);
  const selectDays = selectDayBodies();

  await seedingPart(h, config, tmp);

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

  await inMemoryParts(h, config, { searchBig, selectDays, baselineRps });

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

