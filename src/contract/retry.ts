import { ContractFailure } from './outcome.js';

/** A bounded wait for a read to show a write, as the report shows it. */
export type Wait = { what: string; ms: number; attempts: number; settled: boolean };

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 1_000;

/**
 * Retries `attempt` while it fails with a ContractFailure, backing off, until `timeoutMs` is over:
 * a real service may show a write a moment later. The wait is recorded either way.
 */
export async function retryUntil<T>(what: string, timeoutMs: number, waits: Wait[], attempt: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let delay = FIRST_RETRY_MS;
  for (let attempts = 1; ; attempts++) {
    try {
      const value = await attempt();
      waits.push({ what, ms: performance.now() - started, attempts, settled: true });
      return value;
    } catch (error) {
      if (!(error instanceof ContractFailure)) throw error;
      const elapsed = performance.now() - started;
      if (elapsed >= timeoutMs) {
        waits.push({ what, ms: elapsed, attempts, settled: false });
        throw new ContractFailure(
          `${error.message} (still so after waiting ${seconds(elapsed)} s over ${attempts} attempts; reads after a write retry for up to ${seconds(timeoutMs)} s: --wait SECONDS)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, timeoutMs - elapsed)));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
