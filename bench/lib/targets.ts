import type { FigureKey, Figures, NotReached } from './figures.js';
import { count } from './checks.js';
import type { BenchConfig, TargetResult } from './config.js';

/**
 * The targets as a table: each one's figure, bound, and the words for the targets table (`what`)
 * and for the row of the load it judges (`row`, given the bound, e.g. ">= 10"). The verdict and
 * the bound's text both come from `op` and `limit`, so they cannot disagree.
 */
type Target = {
  key: FigureKey;
  unit: 'x' | 'ms' | 'MB';
  op: '>=' | '<=';
  limit: number;
  what: (c: BenchConfig) => string;
  row?: (bound: string, c: BenchConfig) => string;
};

const vs = (c: BenchConfig, what: string) => `search by id, ${count(c.sizes.big)} stored, ${c.connections.search} connections, vs ${what}`;

export const TARGETS = {
  searchVsBaseline: { key: 'searchVsBaseline', unit: 'x', op: '>=', limit: 0.75, what: (c) => vs(c, 'baseline'), row: (b) => `${b} x baseline` },
  searchVsPrism: { key: 'searchVsPrism', unit: 'x', op: '>=', limit: 10, what: (c) => vs(c, 'Prism static'), row: (b) => `sandbox search by id ${b} x this` },
  searchVsWiremock: {
    key: 'searchVsWiremock',
    unit: 'x',
    op: '>=',
    limit: 3,
    what: (c) => vs(c, 'WireMock static stub, JVM warmed up'),
    row: (b) => `sandbox search by id ${b} x this`,
  },
  searchVsMockoon: { key: 'searchVsMockoon', unit: 'x', op: '>=', limit: 10, what: (c) => vs(c, 'Mockoon static route'), row: (b) => `sandbox search by id ${b} x this` },
  searchPhoneVsBaseline: {
    key: 'searchPhoneVsBaseline',
    unit: 'x',
    op: '>=',
    limit: 0.5,
    what: (c) => `search by phone (today's Get Customer), ${count(c.sizes.big)} stored, vs baseline`,
    row: (b) => `${b} x baseline`,
  },
  searchSourceVsBaseline: { key: 'searchSourceVsBaseline', unit: 'x', op: '>=', limit: 0.5, what: (c) => `search by source id, ${count(c.sizes.big)} stored, vs baseline`, row: (b) => `${b} x baseline` },
  pullPagingOffset: {
    key: 'pullLastVsFirstPage',
    unit: 'x',
    op: '<=',
    limit: 1.5,
    what: (c) => `today's pull over ${count(c.sizes.huge)} in memory: mean of the last page of a day / mean of its first page (50 customers each)`,
    row: (b) => `mean ${b} x the first page`,
  },
  addBigVsSmall: {
    key: 'addFileBigVsSmall',
    unit: 'x',
    op: '>=',
    limit: 0.5,
    what: (c) => `durable add req/s, ${count(c.sizes.big)} stored vs ${count(c.sizes.small)} stored (saturating; the stores grow, see the table)`,
    row: (b, c) => `${b} x the ${count(c.sizes.small)} store's`,
  },
  addProbeBigVsSmall: {
    key: 'addProbeBigVsSmall',
    unit: 'x',
    op: '>=',
    limit: 0.5,
    what: (c) => `durable add cost, ${count(c.sizes.small)}-store mean latency / ${count(c.sizes.big)}-store mean latency (open loop, ${c.addProbeRate}/s)`,
  },
  mixedSearchP99: {
    key: 'mixedProbeSearchBigP99Ms',
    unit: 'ms',
    op: '<=',
    limit: 50,
    what: (c) => `search p99 while adds run at full speed, ${count(c.sizes.big)} stored (open-loop probe, ${c.probeRate}/s)`,
    row: (b) => `p99 ${b} ms`,
  },
  selectHugeMean: {
    key: 'selectDayHugeMeanMs',
    unit: 'ms',
    op: '<=',
    limit: 5,
    what: (c) => `select one day over ${count(c.sizes.huge)} customers in memory, per request (mean, 1 connection)`,
    row: (b) => `mean ${b} ms`,
  },
  startupBig: { key: 'startupBigFileMs', unit: 'ms', op: '<=', limit: 2000, what: (c) => `start-up with ${count(c.sizes.big)} customers on disk, to first answered request` },
  seedBig: { key: 'seedBigMs', unit: 'ms', op: '<=', limit: 10_000, what: (c) => `seeding ${count(c.sizes.big)} faker customers` },
  rssBigFile: {
    key: 'rssBigFilePeakAfterReadsMb',
    unit: 'MB',
    op: '<=',
    limit: 400,
    what: (c) => `peak RSS with ${count(c.sizes.big)} customers, file store, over start-up, search and select (one day, every day) loads`,
  },
  rssHugeMemory: { key: 'rssHugeMemoryPeakMb', unit: 'MB', op: '<=', limit: 2500, what: (c) => `peak RSS with ${count(c.sizes.huge)} customers in memory, over start-up and the select load` },
} as const satisfies Record<string, Target>;

export type TargetId = keyof typeof TARGETS;

const boundOf = (target: Target) => `${target.op} ${target.limit}`;

/** Every target's verdict from one run's figures. */
export function evaluateTargets(f: Figures, config: BenchConfig, notReached: NotReached): TargetResult[] {
  return (Object.entries(TARGETS) as Array<[TargetId, Target]>).map(([id, target]) => {
    const measured = f[target.key];
    return {
      id,
      what: target.what(config),
      measured,
      unit: target.unit,
      bound: boundOf(target),
      met: measured === null ? null : target.op === '>=' ? measured >= target.limit : measured <= target.limit,
      ...(measured === null ? { note: notReached[target.key] ?? 'not measured (see problems)' } : {}),
    };
  });
}

/** A table row's target column and verdict, from the targets it is judged by (verdict: NO if any is missed, n/a if any was not reached). */
export function rowTargets(ids: readonly TargetId[], results: TargetResult[], config: BenchConfig): { text: string; met: boolean | null } {
  const texts = ids.map((id) => {
    const target: Target = TARGETS[id];
    return target.row ? target.row(boundOf(target), config) : `${boundOf(target)} ${target.unit}`;
  });
  const verdicts = ids.map((id) => results.find((result) => result.id === id)?.met ?? null);
  const met = verdicts.includes(false) ? false : verdicts.includes(null) ? null : true;
  return { text: texts.join('; '), met };
}
