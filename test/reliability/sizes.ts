/**
 * How hard the reliability tests push. `npm test` runs them small enough for CI;
 * `npm run test:reliability` (KAPTURE_RELIABILITY=full) runs the full sizes (the README's reliability table).
 */
export const FULL = process.env.KAPTURE_RELIABILITY === 'full';

export const SIZES = FULL
  ? { fuzzRunsPerOperation: 10_000, crashCycles: 25, termCycles: 5, parallelAdds: 1_000, parallelContacts: 500, parallelUpdates: 500 }
  : { fuzzRunsPerOperation: 300, crashCycles: 3, termCycles: 1, parallelAdds: 1_000, parallelContacts: 200, parallelUpdates: 200 };

/** KAPTURE_FUZZ_RUNS=N overrides the bodies per operation (to replay or to dig deeper); the env var wins over both sizes. */
if (process.env.KAPTURE_FUZZ_RUNS) {
  const runs = Number(process.env.KAPTURE_FUZZ_RUNS);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`KAPTURE_FUZZ_RUNS must be a positive integer, got "${process.env.KAPTURE_FUZZ_RUNS}"`);
  SIZES.fuzzRunsPerOperation = runs;
}

/** Per-test timeout: generous at full size, where a run takes minutes. */
export const TEST_TIMEOUT_MS = FULL ? 60 * 60 * 1000 : 60_000;

/** The seed `npm test` uses: CI runs the same bodies and kill moments every time, so a red run is a real change. */
const CI_SEED = 20_261_129;

/**
 * A seed from the environment (to replay a failure); otherwise a fixed one in `npm test` and a
 * fresh one at full size, which explores further on every run. Every test prints the one it used.
 */
export function seedFrom(variable: string): number {
  const text = process.env[variable];
  if (text === undefined || text === '') return FULL ? Math.floor(Math.random() * 2 ** 31) : CI_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`${variable} must be an integer seed, got "${text}"`);
  return seed;
}
