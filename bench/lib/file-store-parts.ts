import { cp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { peakRssMb, rssMb } from './children.js';
import { everyDayBodies, searchBodies, selectDayBodies } from './bodies.js';
import { checkLoad, checkProbe, count, describeLoad, describeProbe, grew, probeAsLoad } from './checks.js';
import { ADD_BODY, PATHS, type BenchConfig } from './config.js';
import type { Harness } from './harness.js';
import { load, probe } from './load.js';
import { dirSize } from './machine.js';
import { num } from './report.js';
import { customerCount, drainAndVerify, firstAnswer, probeVendor, serveSandbox, settle } from './servers.js';
import { phoneBodies, sourceIdBodies } from './today-bodies.js';

/**
 * The sandbox with its file store: a first start that seeds and writes `big` customers, then on
 * a copy of that store start-up, search (by id, phone, source id), select, search during adds,
 * durable adds and RSS; and durable adds on a `small` store.
 */
export async function fileStoreParts(h: Harness, config: BenchConfig, tmp: string): Promise<void> {
  const { part, measure, set, setLoad, vsBaseline, rows, figures, problems, loads, probes, log, accounted, accountedPair, addProbe, addBodies } = h;
  const { small, big } = config.sizes;
  const searchBig = searchBodies(big);
  const selectDays = selectDayBodies();

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
    setLoad('searchBig', search);
    rows.push({ scenario: 'sandbox: search by id', stored: `${count(big)} file`, load: search, vsBaseline: vsBaseline(search.okPerSec), targets: ['searchVsBaseline'] });

    // Today's Get Customer by phone, and lookups by source id: indexes, as fast as by Kapture's id.
    const byPhone = await measure('sandbox search by phone', { url: server.url, path: PATHS.search, bodies: await phoneBodies(server.url, 60), connections: config.connections.search });
    setLoad('searchPhoneBig', byPhone);
    rows.push({ scenario: "sandbox: search by phone (today's Get Customer)", stored: `${count(big)} file`, load: byPhone, vsBaseline: vsBaseline(byPhone.okPerSec), targets: ['searchPhoneVsBaseline'] });
    const bySource = await measure('sandbox search by source id', { url: server.url, path: PATHS.search, bodies: await sourceIdBodies(server.url, 60), connections: config.connections.search });
    setLoad('searchSourceBig', bySource);
    rows.push({ scenario: 'sandbox: search by source id', stored: `${count(big)} file`, load: bySource, vsBaseline: vsBaseline(bySource.okPerSec), targets: ['searchSourceVsBaseline'] });
    // The loads above repeat 60-64 bodies, as a load test does, and are answered from the answer
    // cache after their first round. This one is not: a fault rule for another operation is set,
    // and any rule turns the cache off (the same bodies, so autocannon's own cost is the same; a
    // body set larger than the cache made autocannon itself a third slower against the baseline).
    const uncached = await withoutAnswerCache(server.url, () =>
      measure('sandbox search by id, answer cache off', { url: server.url, path: PATHS.search, bodies: searchBig, connections: config.connections.search }),
    );
    setLoad('searchUncachedBig', uncached);
    rows.push({ scenario: 'sandbox: search by id, answer cache off', stored: `${count(big)} file`, load: uncached, vsBaseline: vsBaseline(uncached.okPerSec) });

    await probeVendor(server.url, PATHS.select, selectDays[0]!, 'list');
    const select = await measure('sandbox select one day', { url: server.url, path: PATHS.select, bodies: selectDays, connections: config.connections.select });
    setLoad('selectDayBig', select);
    rows.push({ scenario: 'sandbox: select one day', stored: `${count(big)} file`, load: select, vsBaseline: vsBaseline(select.okPerSec) });
    // Every customer read, a day at a time: what a cache of the answers' JSON would hold if nothing
    // bounded it (the RSS below covers this load too).
    const allDays = await measure('sandbox select every day of 2024-2025', { url: server.url, path: PATHS.select, bodies: everyDayBodies(), connections: config.connections.select });
    setLoad('selectEveryDayBig', allDays);
    rows.push({ scenario: 'sandbox: select each day of 2 years', stored: `${count(big)} file`, load: allDays, vsBaseline: vsBaseline(allDays.okPerSec) });
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
      vsBaseline: vsBaseline(searches.okPerSec),
      note: 'closed loop: see probe',
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
      targets: ['mixedSearchP99'],
    });
    const afterProbe = await drainAndVerify(server.url, before, probeAdds.ok2xx, 'mixed adds (open loop)');
    rows.push({ scenario: 'durable add, during the probe', stored: grew(before, afterProbe, 'file'), load: probeAdds });

    const beforeAdds = await customerCount(server.url);
    const add = await measure('sandbox durable add', { url: server.url, path: PATHS.add, bodies: addBodies, connections: config.connections.add });
    setLoad('addFileBig', add);
    // `before` precedes the warm-up, whose adds count too: the check is "grew by at least".
    const afterAdds = await drainAndVerify(server.url, beforeAdds, add.ok2xx, 'durable adds');
    rows.push({ scenario: 'sandbox: durable add (file)', stored: grew(beforeAdds, afterAdds, 'file'), load: add, vsBaseline: vsBaseline(add.okPerSec), targets: ['addBigVsSmall'] });
    set('rssBigFileAfterAddsMb', await rssMb(server.pid), 0);
    set('rssBigFilePeakMb', await peakRssMb(server.pid), 0);
    set('customersBigAfterAdds', await customerCount(server.url), 0);
    log(
      `RSS after the reads ${num(figures.rssBigFileAfterReadsMb, 0)} MB (peak so far ${num(figures.rssBigFilePeakAfterReadsMb, 0)} MB); ` +
        `after the adds ${num(figures.rssBigFileAfterAddsMb, 0)} MB with ${num(figures.customersBigAfterAdds, 0)} customers, peak ${num(figures.rssBigFilePeakMb, 0)} MB`,
    );
    await server.stop(config.drainTimeoutMs);
  });

  // Durable add with a small store.
  await part(`sandbox, file store, ${count(small)} customers: durable add`, async (attempt) => {
    const server = await serveSandbox(['--db', join(tmp, `small-${attempt}`, 'store.json'), '--customers', String(small)], config.startTimeoutMs);
    await probeVendor(server.url, PATHS.add, ADD_BODY, 'added');
    const smallAddProbe = await addProbe(server.url, 'durable add probe, small store');
    set('addProbeSmallMeanMs', smallAddProbe.probe.meanMs, 3);
    set('addProbeSmallP99Ms', smallAddProbe.probe.p99Ms, 2);
    rows.push({ scenario: `durable add probe, ${config.addProbeRate}/s open loop`, stored: smallAddProbe.stored, load: probeAsLoad(smallAddProbe.probe) });
    const before = await customerCount(server.url);
    const add = await measure('sandbox durable add, small store', { url: server.url, path: PATHS.add, bodies: addBodies, connections: config.connections.add });
    setLoad('addFileSmall', add);
    const after = await drainAndVerify(server.url, before, add.ok2xx, 'durable adds, small store');
    rows.push({ scenario: 'sandbox: durable add (file)', stored: grew(before, after, 'file'), load: add, vsBaseline: vsBaseline(add.okPerSec) });
    await server.stop(config.drainTimeoutMs);
  });
}

/**
 * Runs `work` with a fault rule set that never fires on a search (it names addContacts): while any
 * rule exists, the sandbox works every read out (src/http/answer-cache.ts). The rule is removed after.
 */
async function withoutAnswerCache<T>(url: string, work: () => Promise<T>): Promise<T> {
  const added = await fetch(`${url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operation: 'addContacts', error: 'ServerFailure' }),
  });
  if (added.status !== 201 && added.status !== 200) throw new Error(`adding the fault rule that turns the answer cache off failed: HTTP ${added.status} ${await added.text()}`);
  const { id } = (await added.json()) as { id: string };
  try {
    return await work();
  } finally {
    await fetch(`${url}/__sandbox/faults/${id}`, { method: 'DELETE' });
  }
}
