import type { JournalEntry } from '../journal.js';
import type { VerifyResult } from './criteria.js';

/** A verify that was not satisfied, as the typed client throws it: the whole answer is on `result`. */
export class VerifyError extends Error {
  constructor(readonly result: Extract<VerifyResult, { ok: false }>) {
    super(verifyFailureMessage(result));
    this.name = 'VerifyError';
  }
}

/** The failure in lines a test runner shows as they are: what was asked, what was closest, how it differed. */
export function verifyFailureMessage(result: Extract<VerifyResult, { ok: false }>): string {
  const lines = [`kapture-sandbox verify: expected ${result.expected}; matched ${result.matched}.`];
  if (result.nearMisses.length > 0) {
    lines.push('Near misses, closest first:');
    result.nearMisses.forEach(({ entry, differences }, index) => {
      lines.push(`  ${index + 1}. ${describeEntry(entry)}`);
      for (const { path, expected, actual } of differences) lines.push(`       ${path}: expected ${show(expected)}, got ${show(actual)}`);
    });
  } else if (result.matched > 0) {
    lines.push('Matched:', ...result.entries.slice(-5).map((entry) => `  ${describeEntry(entry)}`));
  } else {
    lines.push('No near misses: no request in the window meets any of the criteria (was the client pointed at this sandbox, with this tenant\'s key?).');
  }
  if (!result.journalComplete) lines.push('The journal ring dropped entries since the window began: the count may be short (raise --journal-size, or reset first).');
  return lines.join('\n');
}

function describeEntry(entry: JournalEntry): string {
  const answered = entry.response === undefined ? 'no answer (connection cut)' : (entry.error ?? `HTTP ${entry.response.status}, no error`);
  const parts = [`#${entry.id} ${entry.operation ?? entry.path} at ${entry.time}`];
  if (entry.tenant !== undefined) parts.push(`tenant ${entry.tenant}`);
  if (entry.key !== undefined) parts.push(`key ${entry.key}`);
  parts.push(`answered ${answered}`);
  if (entry.faults.length > 0) parts.push(`faults ${entry.faults.join(', ')}`);
  parts.push(`body ${clip(JSON.stringify(entry.request.body) ?? 'null')}`);
  return parts.join(', ');
}

function show(value: unknown): string {
  return clip(JSON.stringify(value) ?? 'undefined');
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
