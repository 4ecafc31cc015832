import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// A smoke test of bench/verify.ts: the quick run works and reports every figure as a number.
// Timings are never asserted (the machine running the tests is busy with other tests).

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

describe('bench/verify.ts --quick', () => {
  it('fills a 10,000-entry journal, times verifies, and writes its figures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kapture-bench-verify-'));
    try {
      const out = join(dir, 'verify.json');
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/verify.ts', '--quick', '--out', out], { cwd: ROOT, timeout: 90_000 });
      expect(stdout).toMatch(/the ring holds 10,000/);
      expect(stdout).toMatch(/waiting: search answered -> verify answered/);
      const results = JSON.parse(await readFile(out, 'utf8'));
      for (const figures of [results.idle.satisfied.timing, results.idle.unsatisfied.timing, results.busy.satisfied.timing, results.busy.unsatisfied.timing, results.waited]) {
        expect(figures.p99Ms).toBeGreaterThan(0);
        expect(figures.samples).toBeGreaterThan(0);
      }
      expect(results.journaled).toBeGreaterThan(10_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
