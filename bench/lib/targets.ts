import type { FigureKey } from './figures.js';
import { count } from './checks.js';
import type { BenchConfig, TargetResult } from './config.js';

/** The targets as a table: each one's figure, bound and verdict, from one run's figures. */

export function evaluateTargets(f: Record<FigureKey, number | null>, config: BenchConfig, notReached: Partial<Record<FigureKey, string>>): TargetResult[] {
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
