import type { LoadFigures, ProbeFigures } from './load.js';
import { num } from './report.js';
import { MAX_BAD_SHARE } from './config.js';

/** A load's or probe's figures: checked for harness problems, described in a line, and small formatting helpers. */

/** "100k→267k file": how many customers the store held before and after a load that adds. */
export function grew(before: number | undefined, after: number | undefined, kind: string): string {
  const k = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k` : String(n));
  return before === undefined || after === undefined ? kind : `${k(before)}→${k(after)} ${kind}`;
}

export function checkLoad(label: string, figs: LoadFigures, problems: string[]): void {
  const connectionErrors = figs.errors - figs.timeouts;
  if (figs.ok2xx === 0) problems.push(`${label}: no 2xx answer at all (${figs.non2xx} non-2xx, ${figs.errors} errors, ${figs.timeouts} timeouts)`);
  else if (figs.non2xx > MAX_BAD_SHARE * figs.responses) problems.push(`${label}: ${figs.non2xx} of ${figs.responses} answers were not 2xx`);
  if (connectionErrors > MAX_BAD_SHARE * Math.max(1, figs.responses)) problems.push(`${label}: ${connectionErrors} connection errors`);
}

export function checkProbe(label: string, figs: ProbeFigures, problems: string[]): void {
  if (figs.ok2xx === 0) problems.push(`${label}: no 2xx answer at all (${figs.non2xx} non-2xx, ${figs.errors} errors)`);
  else if (figs.non2xx + figs.errors > MAX_BAD_SHARE * figs.sent) problems.push(`${label}: ${figs.non2xx} non-2xx and ${figs.errors} errors of ${figs.sent}`);
}

export function describeProbe(label: string, figs: ProbeFigures): string {
  return (
    `${label}: ${figs.ratePerSec}/s for ${figs.durationS} s, latency from when each request was due: p50 ${num(figs.p50Ms, 2)} ms, ` +
    `p99 ${num(figs.p99Ms, 2)} ms, p99.9 ${num(figs.p999Ms, 2)} ms, max ${num(figs.maxMs, 0)} ms, ${(figs.over50msShare * 100).toFixed(1)}% over 50 ms ` +
    `(${figs.sent} sent, ${figs.non2xx} non-2xx, ${figs.errors} errors${figs.unfinished ? `, ${figs.unfinished} unanswered after the grace period, cut off` : ''})`
  );
}

/** A probe in the shape of a table row. */
export function probeAsLoad(figs: ProbeFigures): LoadFigures {
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

export function describeLoad(label: string, figs: LoadFigures): string {
  return (
    `${label}: ${num(figs.okPerSec)} req/s, p50 ${num(figs.p50Ms, 2)} ms, p99 ${num(figs.p99Ms, 2)} ms, max ${num(figs.maxMs, 0)} ms ` +
    `(${figs.connections} conns, ${figs.responses} answers, ${figs.non2xx} non-2xx, ${figs.errors} errors of which ${figs.timeouts} timeouts, ${figs.bytesPerResponse} B/answer)`
  );
}

export function ratio(value: number | undefined, base: number | undefined): number | undefined {
  return value === undefined || base === undefined || base === 0 ? undefined : value / base;
}

export function count(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

export function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join(' / ');
}
