import { join } from 'node:path';
import { rssMb, spawnServer } from './children.js';
import { searchBodies } from './bodies.js';
import { ratio } from './checks.js';
import { PATHS, type BenchConfig } from './config.js';
import { FIGURE_GROUPS } from './figures.js';
import type { Harness } from './harness.js';
import { post } from './load.js';
import { findJava, peerVersions, probeStaticAnswer, startMockoon, startPrism, startWiremock } from './peers.js';
import { num } from './report.js';

/**
 * The servers the sandbox's search by id is compared with, each loaded as the sandbox is (the
 * same bodies, connections and durations): a raw node:http server (the baseline), Prism's mock of
 * the spec, and WireMock and Mockoon serving the baseline's answer as a static stub.
 */
export async function peerParts(h: Harness, config: BenchConfig, tmp: string): Promise<void> {
  const { part, measure, set, setLoad, skip, vsBaseline, rows, log, diagnostics, figures } = h;
  const bodies = searchBodies(config.sizes.big);
  const load = (url: string) => ({ url, path: PATHS.search, bodies, connections: config.connections.search });
  const versions = peerVersions();
  const java = findJava();
  diagnostics.peers = { versions, java: 'version' in java ? java.version : null };

  await part('baseline: raw node:http, fixed search answer', async () => {
    const server = await spawnServer({ name: 'baseline', args: ['--import', 'tsx', 'bench/baseline-server.ts'], timeoutMs: config.startTimeoutMs });
    const probe = await post(server.url, PATHS.search, bodies[0]!);
    if (probe.status !== 200) throw new Error(`the baseline answered ${probe.status}`);
    const figs = await measure('baseline search', load(server.url));
    setLoad('baselineSearch', figs);
    rows.push({ scenario: 'baseline: raw node:http, fixed search answer', stored: '-', load: figs, vsBaseline: 1 });
    await server.stop();
  });

  await part(`Prism ${versions['@stoplight/prism-cli']} static mock of the spec (-v error): search`, async () => {
    const server = await startPrism(config.startTimeoutMs);
    const probe = await post(server.url, PATHS.search, bodies[0]!);
    if (probe.status !== 200) throw new Error(`Prism answered ${probe.status}: ${probe.text.slice(0, 300)}`);
    const figs = await measure('prism search', load(server.url));
    setLoad('prismSearch', figs);
    rows.push({ scenario: 'Prism static mock (-v error): search', stored: '-', load: figs, vsBaseline: vsBaseline(figs.okPerSec), targets: ['searchVsPrism'] });
    await server.stop();
  });

  const wiremock = `WireMock ${versions.wiremock} static stub (java -jar)`;
  if ('missing' in java) {
    // Not a harness failure: the machine lacks what this peer runs on. Its targets say "not reached".
    const reason = `not run: ${java.missing}`;
    process.stdout.write(`- ${wiremock}: SKIPPED, ${reason}\n`);
    skip(FIGURE_GROUPS.peers.filter((key) => key.startsWith('wiremock')), reason);
  } else {
    await part(`${wiremock} on ${java.version}: search, cold JVM, then after ${config.jvmWarmupS} s of warm-up`, async (attempt) => {
      const server = await startWiremock(java.command, join(tmp, `wiremock-${attempt}`), config.startTimeoutMs);
      await probeStaticAnswer(server, bodies[0]!);
      set('wiremockStartMs', performance.now() - server.spawnedAt, 0);
      // The JVM's first load runs while it still interprets and compiles (just-in-time): a figure
      // of its own; the one compared is taken after a warm-up load, as a long-lived stub server runs.
      const cold = await measure('wiremock search, cold JVM', load(server.url), 0);
      setLoad('wiremockColdSearch', cold);
      rows.push({ scenario: 'WireMock static stub: search, cold JVM (first load)', stored: '-', load: cold, vsBaseline: vsBaseline(cold.okPerSec) });
      const warm = await measure('wiremock search, warmed up', load(server.url), config.jvmWarmupS);
      setLoad('wiremockSearch', warm);
      rows.push({ scenario: `WireMock static stub: search, after ${config.jvmWarmupS} s warm-up`, stored: '-', load: warm, vsBaseline: vsBaseline(warm.okPerSec), targets: ['searchVsWiremock'] });
      set('wiremockRssMb', await rssMb(server.pid), 0);
      log(`spawn to first answer ${num(figures.wiremockStartMs, 0)} ms; warmed / cold ${num(ratio(warm.okPerSec, cold.okPerSec), 2)} x; RSS ${num(figures.wiremockRssMb, 0)} MB`);
      await server.stop();
    });
  }

  await part(`Mockoon CLI ${versions['@mockoon/cli']} static route: search`, async (attempt) => {
    const server = await startMockoon(join(tmp, `mockoon-${attempt}`), config.startTimeoutMs);
    await probeStaticAnswer(server, bodies[0]!);
    set('mockoonStartMs', performance.now() - server.spawnedAt, 0);
    const figs = await measure('mockoon search', load(server.url));
    setLoad('mockoonSearch', figs);
    rows.push({ scenario: 'Mockoon static route: search', stored: '-', load: figs, vsBaseline: vsBaseline(figs.okPerSec), targets: ['searchVsMockoon'] });
    set('mockoonRssMb', await rssMb(server.pid), 0);
    log(`spawn to first answer ${num(figures.mockoonStartMs, 0)} ms; RSS ${num(figures.mockoonRssMb, 0)} MB`);
    await server.stop();
  });
}
