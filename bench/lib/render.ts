import { num, table } from './report.js';
import { count } from './checks.js';
import { type BenchConfig, type BenchResults, OTHER_CPU_WARNING } from './config.js';
import type { LoadFigures } from './load.js';
import { rowTargets, type TargetId } from './targets.js';

/** The printed report: the table of every load, the targets, and the other figures. */

/** A row of the printed table. */
export type Row = {
  scenario: string;
  stored: string;
  load: LoadFigures;
  /** Compared with the baseline's req/s. */
  vsBaseline?: number;
  /** The targets (targets.ts) this row's load is judged by: the target and met? columns. */
  targets?: readonly TargetId[];
  /** A note for the target column, where no target judges the row. */
  note?: string;
};

export function renderReport(results: BenchResults, rows: Row[], config: BenchConfig): string {
  const m = results.meta;
  const lines: string[] = [];
  const targetCells = (row: Row) => {
    if (!row.targets) return [row.note ?? '', ''];
    const { text, met } = rowTargets(row.targets, results.targets, config);
    return [text, met === null ? 'n/a' : met ? 'yes' : 'NO'];
  };
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
        ...targetCells(row),
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
    `  peers, spawn to first answer and RSS after their loads: WireMock ${num(f.wiremockStartMs, 0)} ms, ${num(f.wiremockRssMb, 0)} MB ` +
      `(cold ${num(f.wiremockColdSearchRps)} req/s, warmed ${num(f.wiremockSearchRps)} req/s after ${m.jvmWarmupS} s of warm-up); Mockoon ${num(f.mockoonStartMs, 0)} ms, ${num(f.mockoonRssMb, 0)} MB`,
  );
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
  // One line per reason: a group of parts left out (--only) or a peer without its runtime leaves many figures.
  const byReason = new Map<string, string[]>();
  for (const [key, reason] of Object.entries(results.notReached)) byReason.set(reason, [...(byReason.get(reason) ?? []), key]);
  for (const [reason, keys] of byReason) lines.push(`  not reached: ${keys.length > 4 ? `${keys.length} figures (${keys.slice(0, 3).join(', ')}, ...)` : keys.join(', ')}: ${reason}`);
  return lines.join('\n');
}

