import { GROUPS } from './check.js';
import type { CheckResult, ContractReport } from './runner.js';

/**
 * The report as JUnit XML, the format CI systems read: one <testsuite> per group, one <testcase>
 * per check, <failure> and <skipped> with the message, the waits and notes in <system-out>, and
 * the run's facts (target, run id, created ids) as properties.
 */
export function junitReport(report: ContractReport): string {
  const properties = [
    ['target', report.target.baseUrl],
    ['target.kind', report.target.kind],
    ['capabilities', report.target.capabilities.join(',')],
    ['runId', report.runId],
    ['created.customers', report.created.customers.join(',')],
    ['created.contacts', report.created.contacts.join(',')],
  ];
  const propertiesXml = `    <properties>\n${properties.map(([name, value]) => `      <property name="${xml(name!)}" value="${xml(value!)}"/>`).join('\n')}\n    </properties>\n`;
  const suites = GROUPS.map((group) => report.results.filter((result) => result.group === group))
    .filter((results) => results.length > 0)
    .map((results) => {
      const group = results[0]!.group;
      return (
        `  <testsuite name="${xml(group)}" tests="${results.length}" failures="${count(results, 'failed')}" errors="0" skipped="${count(results, 'skipped')}" ` +
        `time="${secondsOf(results)}" timestamp="${xml(report.startedAt)}">\n${propertiesXml}${results.map(testcase).join('')}  </testsuite>\n`
      );
    });
  const { passed, failed, skipped } = report.counts;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="kapture-sandbox contract" tests="${passed + failed + skipped}" failures="${failed}" errors="0" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">\n` +
    suites.join('') +
    '</testsuites>\n'
  );
}

function testcase(result: CheckResult): string {
  const open = `    <testcase classname="contract.${xml(result.group)}" name="${xml(`${result.id}: ${result.title}`)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
  const body: string[] = [];
  if (result.status === 'failed') body.push(`      <failure message="${xml(firstLine(result.message))}" type="ContractFailure">${xml(result.message ?? '')}</failure>\n`);
  if (result.status === 'skipped') body.push(`      <skipped message="${xml(result.message ?? '')}"/>\n`);
  const out = [...result.notes, ...result.waits.map((w) => `waited ${(w.ms / 1000).toFixed(1)} s over ${w.attempts} attempts for ${w.what}${w.settled ? '' : ' (gave up)'}`)];
  if (out.length > 0) body.push(`      <system-out>${xml(out.join('\n'))}</system-out>\n`);
  return body.length === 0 ? `${open}/>\n` : `${open}>\n${body.join('')}    </testcase>\n`;
}

/** Escapes for both text and attribute values, and drops what XML 1.0 cannot hold at all (NUL, other control characters). */
export function xml(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function firstLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]!;
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

function count(results: CheckResult[], status: CheckResult['status']): number {
  return results.filter((result) => result.status === status).length;
}

function secondsOf(results: CheckResult[]): string {
  return (results.reduce((sum, result) => sum + result.durationMs, 0) / 1000).toFixed(3);
}
