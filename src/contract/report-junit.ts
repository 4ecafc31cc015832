import { GROUPS } from './check.js';
import type { CheckResult, ContractReport } from './runner.js';

/**
 * The report as JUnit XML, the format CI systems read: one <testsuite> per group, one <testcase>
 * per check (named with its label: [fact], [profile], [decision]), and one per drifted aspect
 * (operation and JSON path) of a check that failed on drift; <failure> and <skipped> with the
 * message (a check with nothing to check is skipped, saying so; an observed difference is a pass
 * with what was seen in <system-out>), the waits and notes in <system-out>, and the run's facts
 * (target, run id, profile, created ids) as properties.
 */
export function junitReport(report: ContractReport): string {
  const properties = [
    ['target', report.target.baseUrl],
    ['target.kind', report.target.kind],
    ['capabilities', report.target.capabilities.join(',')],
    ['runId', report.runId],
    ['profile', report.expectation.profile],
    ['profile.mode', report.expectation.mode],
    ['created.customers', report.created.customers.join(',')],
    ['created.contacts', report.created.contacts.join(',')],
  ];
  const propertiesXml = `    <properties>\n${properties.map(([name, value]) => `      <property name="${xml(name!)}" value="${xml(value!)}"/>`).join('\n')}\n    </properties>\n`;
  const totals = { tests: 0, failures: 0, skipped: 0 };
  const suites = GROUPS.map((group) => report.results.filter((result) => result.group === group))
    .filter((results) => results.length > 0)
    .map((results) => {
      const group = results[0]!.group;
      const cases = results.flatMap(testcases);
      const failures = cases.filter((c) => c.kind === 'failed').length;
      const skipped = cases.filter((c) => c.kind === 'skipped').length;
      totals.tests += cases.length;
      totals.failures += failures;
      totals.skipped += skipped;
      return (
        `  <testsuite name="${xml(group)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" ` +
        `time="${secondsOf(results)}" timestamp="${xml(report.startedAt)}">\n${propertiesXml}${cases.map((c) => c.xml).join('')}  </testsuite>\n`
      );
    });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="kapture-sandbox contract" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${(report.durationMs / 1000).toFixed(3)}">\n` +
    suites.join('') +
    '</testsuites>\n'
  );
}

type Case = { kind: 'passed' | 'failed' | 'skipped'; xml: string };

/** A check's testcase; a check failed on drift gives one testcase per aspect besides. */
function testcases(result: CheckResult): Case[] {
  const own = testcase(result);
  if (result.status !== 'failed' || !result.drift?.length) return [own];
  const aspects = result.drift.map((d): Case => {
    const text = `expected ${d.expected}, seen ${d.seen}`;
    return {
      kind: 'failed',
      xml:
        `    <testcase classname="contract.${xml(result.group)}.drift" name="${xml(`${result.id} [${result.source}] drift: ${d.operation} ${d.path}`)}" time="0.000">\n` +
        `      <failure message="${xml(text)}" type="ProfileDrift">${xml(`${d.operation} ${d.path}: ${text}`)}</failure>\n    </testcase>\n`,
    };
  });
  return [own, ...aspects];
}

function testcase(result: CheckResult): Case {
  const open = `    <testcase classname="contract.${xml(result.group)}" name="${xml(`[${result.source}] ${result.id}: ${result.title}`)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
  const body: string[] = [];
  if (result.status === 'failed') body.push(`      <failure message="${xml(firstLine(result.message))}" type="ContractFailure">${xml(result.message ?? '')}</failure>\n`);
  if (result.status === 'skipped') body.push(`      <skipped message="${xml(result.message ?? '')}"/>\n`);
  if (result.status === 'empty') body.push(`      <skipped message="${xml(`nothing to check: ${result.message ?? ''}`)}"/>\n`);
  const out = [...(result.status === 'observed' ? [`observed (not failed): ${result.message ?? ''}`] : []), ...result.notes, ...result.waits.map((w) => `waited ${(w.ms / 1000).toFixed(1)} s over ${w.attempts} attempts for ${w.what}${w.settled ? '' : ' (gave up)'}`)];
  if (out.length > 0) body.push(`      <system-out>${xml(out.join('\n'))}</system-out>\n`);
  const kind = result.status === 'failed' ? 'failed' : result.status === 'skipped' || result.status === 'empty' ? 'skipped' : 'passed';
  return { kind, xml: body.length === 0 ? `${open}/>\n` : `${open}>\n${body.join('')}    </testcase>\n` };
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

function secondsOf(results: CheckResult[]): string {
  return (results.reduce((sum, result) => sum + result.durationMs, 0) / 1000).toFixed(3);
}
