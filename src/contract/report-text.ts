import type { CheckResult, ContractReport } from './runner.js';
import type { Target } from './target.js';

/**
 * The human report, in three parts so that a long run can be followed as it goes: the header
 * (before the run), one block per check (as each ends), the footer (what was created, how long
 * reads waited for writes, the counts). Never holds a key: results are redacted by the runner,
 * and only the names of the keys given are shown.
 */
export function textHeader(target: Target, runId: string, expectation?: ContractReport['expectation']): string {
  const capabilities = [...target.capabilities].sort().join(', ') || 'none';
  const writes = target.capabilities.has('writes') ? 'writes allowed (--allow-writes)' : 'read-only unless --allow-writes';
  const kind = { sandbox: 'a kapture-sandbox', mock: `a stateless mock, ${writes}`, service: `not a sandbox, ${writes}` }[target.kind];
  return [
    'kapture-sandbox contract',
    `target        ${target.baseUrl} (${kind})`,
    `capabilities  ${capabilities}`,
    `keys          ${keyNames(target)}`,
    `run id        ${runId}`,
    ...(expectation ? [`profile       ${expectation.profile}, ${expectation.mode === 'enforce' ? 'a difference fails (drift)' : `observed, never failed${expectation.why ? ` (${expectation.why}; pass --profile NAME|PATH to fail on drift)` : ''}`}`] : []),
    'labels        [fact] vendor documents and facts of every account; [profile] what differs per account; [decision] what no public source settles',
    '',
    '',
  ].join('\n');
}

const MARK = { passed: 'pass', failed: 'FAIL', skipped: 'skip', observed: 'seen', empty: 'none' } as const;

/** One check's block; `previous` is the check before it (a group title starts each group). */
export function textResult(result: CheckResult, previous: CheckResult | undefined): string {
  const lines: string[] = [];
  if (previous?.group !== result.group) lines.push(`${result.group}`);
  const time = result.status === 'skipped' ? '' : ` (${Math.round(result.durationMs)} ms)`;
  lines.push(`  ${MARK[result.status]}  [${result.source}] ${result.id}: ${result.title}${time}`);
  if (result.status === 'empty') lines.push(indent('nothing to check: not counted as passed'));
  if (result.message) lines.push(indent(result.message));
  if (result.status === 'failed' && result.drift?.length) lines.push(indent(`drift (${result.drift.length} aspect${result.drift.length === 1 ? '' : 's'})`));
  if (result.status !== 'skipped') for (const note of result.notes) lines.push(indent(note));
  return `${lines.join('\n')}\n`;
}

export function textFooter(report: ContractReport): string {
  const lines = [''];
  const waits = report.results.flatMap((result) => result.waits.map((wait) => ({ id: result.id, ...wait })));
  if (waits.length > 0) {
    lines.push('waited for reads to show writes (eventual consistency):');
    for (const wait of waits) {
      const outcome = wait.settled ? '' : ', gave up';
      lines.push(`  ${wait.id}: ${wait.what}: ${duration(wait.ms)}, ${wait.attempts} attempt${wait.attempts === 1 ? '' : 's'}${outcome}`);
    }
  }
  const { customers, contacts } = report.created;
  if (customers.length + contacts.length > 0) {
    lines.push(`created by this run (customer_code contract-${report.runId}; the run id is in every name and email):`);
    if (customers.length > 0) lines.push(`  customers ${customers.join(', ')}`);
    if (contacts.length > 0) lines.push(`  contacts  ${contacts.join(', ')}`);
  } else {
    lines.push('created by this run: nothing');
  }
  const { passed, failed, skipped, observed, empty } = report.counts;
  const more = [observed > 0 ? `, ${observed} observed (differ from the profile, not failed)` : '', empty > 0 ? `, ${empty} with nothing to check` : ''].join('');
  lines.push(`${report.results.length} checks: ${passed} passed, ${failed} failed, ${skipped} skipped${more} in ${seconds(report.durationMs)} s`);
  return `${lines.join('\n')}\n`;
}

/** The whole report at once (for a run that was not followed). */
export function textReport(target: Target, report: ContractReport): string {
  return textHeader(target, report.runId, report.expectation) + report.results.map((result, i) => textResult(result, report.results[i - 1])).join('') + textFooter(report);
}

/** Which keys were given, by name only. */
function keyNames(target: Target): string {
  const { keys } = target;
  const names: string[] = [];
  if (keys.default !== undefined) names.push('a default key');
  const own = Object.keys(keys.byOperation ?? {});
  if (own.length > 0) names.push(`own keys for ${own.join(', ')}`);
  if (keys.expired !== undefined) names.push('an expired key');
  return names.length > 0 ? `${names.join(', ')} (never printed)` : 'none';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `        ${line}`)
    .join('\n');
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${seconds(ms)} s`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
