import { xml } from '../contract/report-junit.js';
import { OPERATION_IDS } from '../operations/ids.js';
import { CATALOGUE } from './catalogue.js';
import type { CoverageReport } from './report.js';

/** Whether the report meets `--min` (compared exactly, not on the rounded percentage). */
export function meetsMin(report: CoverageReport, min: number | undefined): boolean {
  return min === undefined || report.covered * 100 >= min * report.total;
}

/** The table: one line per (operation x outcome) of the catalogue, then outcomes seen outside it, warnings and shapes. */
export function coverageText(report: CoverageReport, target: string, min: number | undefined): string {
  const scope = report.tenant === 'all' ? 'every tenant' : `tenant ${report.tenant}`;
  const lines = [`Kapture coverage of ${target} (${scope}, since ${report.since}): ${report.covered} of ${report.total} outcomes seen (${report.percent}%)`, ''];
  const rows: string[][] = [['operation', 'outcome', 'count', 'sandbox', 'injected']];
  for (const operation of OPERATION_IDS) {
    const { outcomes } = report.operations[operation];
    for (const outcome of CATALOGUE[operation]) {
      const seen = outcomes.find((o) => o.outcome === outcome);
      rows.push([operation, outcome, seen ? String(seen.count) : 'not seen', seen?.vendor === undefined ? '' : String(seen.vendor), seen?.injected === undefined ? '' : String(seen.injected)]);
    }
    for (const extra of outcomes.filter((o) => !o.catalogued)) {
      rows.push([operation, `${extra.outcome} (not catalogued)`, String(extra.count), String(extra.vendor ?? ''), String(extra.injected ?? '')]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  lines.push(...rows.map((row) => row.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd()));
  const beside = (what: 'warnings' | 'shapes') =>
    OPERATION_IDS.flatMap((operation) => Object.entries(report.operations[operation][what]).map(([name, count]) => `  ${operation} ${name}: ${count}`));
  const warnings = beside('warnings');
  lines.push('', warnings.length > 0 ? 'warnings (not counted):' : 'warnings: none', ...warnings);
  lines.push('request shapes (not counted):', ...beside('shapes'));
  if (min !== undefined) {
    lines.push('', meetsMin(report, min) ? `coverage ${report.percent}% meets --min ${min}%` : `FAILED: coverage ${report.percent}% is under --min ${min}%: exercise the outcomes marked "not seen"`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * JUnit XML: one testcase per (operation x outcome) of the catalogue. A pair seen passes; a pair
 * not seen is skipped, and fails only when --min is given and not met, so that CI marks what is
 * missing exactly when the build fails for it.
 */
export function coverageJunit(report: CoverageReport, target: string, min: number | undefined): string {
  const failing = !meetsMin(report, min);
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const operation of OPERATION_IDS) {
    for (const outcome of CATALOGUE[operation]) {
      const seen = report.operations[operation].outcomes.find((o) => o.outcome === outcome);
      const open = `    <testcase classname="coverage.${xml(operation)}" name="${xml(`${operation} ${outcome}`)}" time="0"`;
      if (seen) {
        cases.push(`${open}>\n      <system-out>${xml(`seen ${seen.count} times${seen.injected === undefined ? '' : ` (${seen.vendor} by the sandbox, ${seen.injected} injected)`}`)}</system-out>\n    </testcase>\n`);
      } else if (failing) {
        failures++;
        const message = `${operation} never met ${outcome}, and coverage ${report.percent}% is under --min ${min}%`;
        cases.push(`${open}>\n      <failure message="${xml(message)}" type="CoverageNotSeen">${xml(message)}</failure>\n    </testcase>\n`);
      } else {
        skipped++;
        cases.push(`${open}>\n      <skipped message="not seen"/>\n    </testcase>\n`);
      }
    }
  }
  const properties = [
    ['target', target],
    ['tenant', String(report.tenant)],
    ['since', report.since],
    ['percent', String(report.percent)],
    ['min', min === undefined ? '' : String(min)],
  ]
    .map(([name, value]) => `      <property name="${xml(name!)}" value="${xml(value!)}"/>`)
    .join('\n');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="kapture-sandbox coverage" tests="${report.total}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n` +
    `  <testsuite name="coverage" tests="${report.total}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n` +
    `    <properties>\n${properties}\n    </properties>\n${cases.join('')}  </testsuite>\n</testsuites>\n`
  );
}
