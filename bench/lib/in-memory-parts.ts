import { peakRssMb, rssMb, type Child } from './children.js';
import { searchBodies, selectDayBodies } from './bodies.js';
import { count, firstLines, grew } from './checks.js';
import { ADD_BODY, PATHS, type BenchConfig } from './config.js';
import type { Harness } from './harness.js';
import { num } from './report.js';
import { customerCount, drainAndVerify, firstAnswer, probeVendor, serveSandbox } from './servers.js';
import { pullPageBodies } from './today-bodies.js';

/** The in-memory parts of a run: adds over the big store, and the huge store's start-up, RSS, select and pull. */
export async function inMemoryParts(h: Harness, config: BenchConfig): Promise<void> {
  const { part, measure, set, setLoad, skip, vsBaseline, rows, figures, log, addBodies } = h;
  const { big, huge } = config.sizes;
  const searchBig = searchBodies(big);
  const selectDays = selectDayBodies();

  // Add in memory.
  await part(`sandbox, in memory, ${count(big)} customers: add`, async () => {
    const server = await serveSandbox(['--in-memory', '--customers', String(big)], config.startTimeoutMs);
    await probeVendor(server.url, PATHS.add, ADD_BODY, 'added');
    const before = await customerCount(server.url);
    const add = await measure('sandbox add in memory', { url: server.url, path: PATHS.add, bodies: addBodies, connections: config.connections.add });
    setLoad('addMemoryBig', add);
    const after = await drainAndVerify(server.url, before, add.ok2xx, 'in-memory adds');
    rows.push({ scenario: 'sandbox: add (in memory)', stored: grew(before, after, 'mem'), load: add, vsBaseline: vsBaseline(add.okPerSec) });
    set('rssBigMemoryMb', await rssMb(server.pid), 0);
    await server.stop(config.drainTimeoutMs);
  });

  // The huge store in memory: start-up, RSS, select one day. Bounded: "not reached" with the reason.
  await part(`sandbox, in memory, ${count(huge)} customers: start-up, RSS, select one day (1 connection)`, async () => {
    let server: Child;
    try {
      server = await serveSandbox(['--in-memory', '--customers', String(huge)], config.hugeStartTimeoutMs);
    } catch (error) {
      const reason = `the sandbox did not start with ${count(huge)} customers in memory: ${firstLines((error as Error).message, 6)}`;
      skip(['startupHugeMemoryMs', 'rssHugeMemoryMb', 'rssHugeMemoryPeakMb', 'selectDayHugeRps', 'selectDayHugeMeanMs', 'selectDayHugeP50Ms', 'selectDayHugeP99Ms', 'pullFirstPageHugeMeanMs', 'pullLastPageHugeMeanMs'], reason);
      log(`not reached: ${reason}`);
      if (config.mode === 'quick') throw error;
      return;
    }
    const startupMs = await firstAnswer(server, searchBig[0]!);
    set('startupHugeMemoryMs', startupMs, 0);
    await probeVendor(server.url, PATHS.select, selectDays[0]!, 'list');
    const select = await measure('select one day, huge store', { url: server.url, path: PATHS.select, bodies: selectDays, connections: config.connections.hugeSelect });
    setLoad('selectDayHuge', select);
    set('selectDayHugeMeanMs', select.meanMs, 2);
    set('rssHugeMemoryMb', await rssMb(server.pid), 0);
    set('rssHugeMemoryPeakMb', await peakRssMb(server.pid), 0);
    rows.push({
      scenario: 'sandbox: select one day',
      stored: `${count(huge)} mem`,
      load: select,
      vsBaseline: vsBaseline(select.okPerSec),
      targets: ['selectHugeMean'],
    });
    log(`start-up ${num(startupMs, 0)} ms; RSS ${num(figures.rssHugeMemoryMb, 0)} MB; ${num(select.bytesPerResponse / 1024, 0)} KiB per answer`);
    // Today's pull by date range pages through a day: a page at the end of the day costs what the first does (an index, not a scan).
    const pages = await pullPageBodies(server.url, selectDays);
    const firstPage = await measure('pull, first page of a day, huge store', { url: server.url, path: PATHS.select, bodies: pages.first, connections: config.connections.hugeSelect });
    const lastPage = await measure('pull, last page of a day, huge store', { url: server.url, path: PATHS.select, bodies: pages.last, connections: config.connections.hugeSelect });
    set('pullFirstPageHugeMeanMs', firstPage.meanMs, 3);
    set('pullLastPageHugeMeanMs', lastPage.meanMs, 3);
    rows.push({ scenario: "sandbox: today's pull, first page (50) of a day", stored: `${count(huge)} mem`, load: firstPage, vsBaseline: vsBaseline(firstPage.okPerSec) });
    rows.push({
      scenario: "sandbox: today's pull, last page (50) of a day",
      stored: `${count(huge)} mem`,
      load: lastPage,
      vsBaseline: vsBaseline(lastPage.okPerSec),
      targets: ['pullPagingOffset'],
    });
    await server.stop(config.drainTimeoutMs);
  });
}
