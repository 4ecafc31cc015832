import type { ContractReport } from './runner.js';

/**
 * The report as JSON (`--report-json FILE`), for tools: every result with its label and status,
 * and the drift of the run gathered per operation and JSON path (expected vs seen). Results are
 * redacted by the runner; the caller redacts the text once more.
 */
export function jsonReport(report: ContractReport): string {
  const drift = report.results.flatMap((result) =>
    (result.status === 'failed' || result.status === 'observed' ? (result.drift ?? []) : []).map((d) => ({ check: result.id, status: result.status, ...d })),
  );
  return `${JSON.stringify({ ...report, drift }, null, 2)}\n`;
}
