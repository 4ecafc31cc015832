import { checkLoad, checkProbe, describeLoad, describeProbe, grew, ratio } from './checks.js';
import { killAllChildren, livePids, sleep } from './children.js';
import { ADD_BODY, OTHER_CPU_WARNING, PATHS, type BenchConfig, type Loads } from './config.js';
import { cpuSnapshot, otherCpu } from './cpu.js';
import { FIGURE_GROUPS, FIGURE_KEYS, type FigureKey, type Figures, type LoadName, type NotReached, type PartGroup } from './figures.js';
import { load, probe, round, type LoadFigures, type ProbeFigures } from './load.js';
import type { Row } from './render.js';
import { customerCount, drainAndVerify, settle } from './servers.js';

/**
 * What every part of a run shares: the figures, loads, probes and rows it fills in, the harness
 * problems, and the ways to run a part and measure a load. The parts are closures over it.
 */
export type Harness = ReturnType<typeof createHarness>;

export function createHarness(config: BenchConfig, cores: number) {
  /** What every add load sends. */
  const addBodies = [ADD_BODY];
  const problems: string[] = [];
  const notReached: NotReached = {};
  const figures = Object.fromEntries(FIGURE_KEYS.map((key) => [key, null])) as Figures;
  const loads: Loads = {};
  const probes: Record<string, ProbeFigures> = {};
  const rows: Row[] = [];
  const contention: Array<{ part: string; otherCores: number; busyShare: number; attempts: number }> = [];
  const runCpuStart = cpuSnapshot();
  const diagnostics: Record<string, unknown> = {};
  const log = (line: string) => process.stdout.write(`  ${line}\n`);
  const set = (key: FigureKey, value: number | undefined, digits = 1) => {
    figures[key] = value === undefined || Number.isNaN(value) ? null : round(value, digits);
  };
  /** Keeps a load and sets its three figures (figures.ts `loadKeys`). */
  const setLoad = (name: LoadName, figs: LoadFigures) => {
    loads[name] = figs;
    set(`${name}Rps`, figs.okPerSec);
    set(`${name}P50Ms`, figs.p50Ms, 2);
    set(`${name}P99Ms`, figs.p99Ms, 2);
  };
  /** Figures that could not be measured, and why (the targets they feed say "not reached"). */
  const skip = (keys: readonly FigureKey[], reason: string) => {
    for (const key of keys) notReached[key] = reason;
  };
  const skipGroup = (group: PartGroup, reason: string) => skip(FIGURE_GROUPS[group], reason);
  /** A table row's "vs baseline": the baseline runs first. */
  const vsBaseline = (rps: number) => ratio(rps, figures.baselineSearchRps ?? undefined);

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
      const other = otherCpu(cpuStart, cpuSnapshot(), cores);
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
    result.otherCores = otherCpu(start, cpuSnapshot(livePids()), cores)?.otherCores ?? null;
    return result;
  };
  const accountedPair = async <A extends { otherCores?: number | null }, B extends { otherCores?: number | null }>(a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> => {
    const start = cpuSnapshot(livePids());
    const both = await Promise.all([a(), b()]);
    const other = otherCpu(start, cpuSnapshot(livePids()), cores)?.otherCores ?? null;
    both[0].otherCores = other;
    both[1].otherCores = other;
    return both;
  };

  /**
   * Settle (the previous load's leftovers done), warm-up (discarded; `warmupS` of it, default the
   * config's), then the measured load; non-2xx and connection errors above 1% are harness problems.
   */
  const measure = async (label: string, target: { url: string; path: string; bodies: string[]; connections: number }, warmupS = config.warmupS) => {
    await settle(target.url);
    if (warmupS > 0) await load({ ...target, duration: warmupS, timeout: config.requestTimeoutS });
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

  return { problems, notReached, figures, loads, probes, rows, contention, runCpuStart, diagnostics, log, set, setLoad, skip, skipGroup, vsBaseline, part, accounted, accountedPair, measure, addProbe, addBodies };
}
