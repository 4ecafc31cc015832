import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../bench/lib/config.js';
import { FIGURE_KEYS } from '../bench/lib/figures.js';

// A smoke test of the benchmark harness: `npm run bench -- --quick` runs every scenario at tiny
// sizes and writes its JSON. Timings are never asserted here (the machine running the tests is
// busy with other tests): only that the harness works and reports every figure as a number.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN_TIMEOUT_MS = 180_000;
// WireMock runs on Java; where there is none the bench skips it and says so (see bench/lib/peers.ts).
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const HAS_JAVA = spawnSync(JAVA, ['-version'], { timeout: 30_000 }).status === 0;
const WIREMOCK_FIGURES = FIGURE_KEYS.filter((key) => /^wiremock|Wiremock/.test(key));

let dir: string;
let run: { code: number | null; stdout: string; stderr: string };
let results: BenchResults;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kapture-bench-test-'));
  const out = join(dir, 'quick.json');
  run = await new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', '--quick', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`npm run bench -- --quick did not finish within ${RUN_TIMEOUT_MS} ms:\n${stdout}\n${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  results = JSON.parse(await readFile(out, 'utf8')) as BenchResults;
}, RUN_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  it('exits 0 with no harness problem', () => {
    expect(results.problems, run.stdout).toEqual([]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it('prints the machine, that autocannon shares its cores, and the table', () => {
    expect(run.stdout).toMatch(/machine: \d+ cores/);
    expect(run.stdout).toMatch(/autocannon [\d.]+ in the bench process, on the SAME \d+ cores/);
    expect(run.stdout).toMatch(/scenario\s+\| stored\s+\| conns\s+\| req\/s\s+\| p50 ms\s+\| p99 ms\s+\| vs baseline/);
  });

  it('reports every figure as a finite number (WireMock\'s "not reached" where Java is missing)', () => {
    expect(results.meta.mode).toBe('quick');
    expect(results.meta.only).toBeNull();
    const skipped = HAS_JAVA ? [] : WIREMOCK_FIGURES;
    expect(Object.keys(results.notReached).sort()).toEqual([...skipped].sort());
    for (const key of skipped) expect(results.notReached[key], key).toMatch(/Java/);
    for (const key of FIGURE_KEYS.filter((k) => !skipped.includes(k))) {
      expect(Number.isFinite(results.figures[key]), `figure ${key} = ${results.figures[key]}`).toBe(true);
    }
    expect(Object.keys(results.figures).sort()).toEqual([...FIGURE_KEYS].sort());
  });

  it('records every load with numeric req/s and latencies, and the machine it ran on', () => {
    const loads = Object.entries(results.loads);
    const peers = ['baselineSearch', 'prismSearch', 'mockoonSearch', ...(HAS_JAVA ? ['wiremockColdSearch', 'wiremockSearch'] : [])];
    expect(loads.map(([name]) => name).sort()).toEqual(
      [...peers, 'addFileBig', 'addFileSmall', 'addMemoryBig', 'mixedAddBig', 'mixedProbeAddBig', 'mixedSearchBig', 'searchBig', 'searchPhoneBig', 'searchSourceBig', 'searchUncachedBig', 'selectDayBig', 'selectDayHuge', 'selectEveryDayBig'].sort(),
    );
    for (const [name, figures] of loads) {
      for (const field of ['reqPerSec', 'okPerSec', 'p50Ms', 'p99Ms', 'meanMs', 'responses', 'non2xx', 'errors', 'timeouts'] as const) {
        expect(Number.isFinite(figures[field]), `${name}.${field} = ${figures[field]}`).toBe(true);
      }
      expect(figures.ok2xx, name).toBeGreaterThan(0);
    }
    expect(Object.keys(results.probes).sort()).toEqual(['mixedSearchBig', 'searchBig']);
    for (const [name, figures] of Object.entries(results.probes)) {
      for (const field of ['p50Ms', 'p99Ms', 'p999Ms', 'maxMs', 'meanMs', 'sent', 'ok2xx'] as const) {
        expect(Number.isFinite(figures[field]), `${name}.${field} = ${figures[field]}`).toBe(true);
      }
    }
    expect(results.meta.machine.cores).toBeGreaterThan(0);
    expect(results.meta.machine.node).toBe(process.version);
  });

  it('evaluates every target with a measured number and a verdict (WireMock\'s: "not reached" where Java is missing)', () => {
    expect(results.targets.map((target) => target.id).sort()).toEqual(
      ['addBigVsSmall', 'addProbeBigVsSmall', 'mixedSearchP99', 'pullPagingOffset', 'rssBigFile', 'rssHugeMemory', 'searchPhoneVsBaseline', 'searchSourceVsBaseline', 'searchVsBaseline', 'searchVsMockoon', 'searchVsPrism', 'searchVsWiremock', 'seedBig', 'selectHugeMean', 'startupBig'].sort(),
    );
    for (const target of results.targets) {
      if (target.id === 'searchVsWiremock' && !HAS_JAVA) {
        expect(target.measured).toBeNull();
        expect(target.met).toBeNull();
        expect(target.note).toMatch(/Java/);
        continue;
      }
      expect(Number.isFinite(target.measured), target.id).toBe(true);
      expect(typeof target.met, target.id).toBe('boolean');
    }
  });

  it('starts the peers, each answering the baseline\'s bytes, and names their versions', () => {
    expect(run.stdout).toMatch(/Mockoon CLI [\d.]+ static route/);
    expect(run.stdout).toMatch(HAS_JAVA ? /WireMock [\d.]+ static stub \(java -jar\) on / : /WireMock [\d.]+ static stub \(java -jar\): SKIPPED, not run: .*Java/);
    const peers = results.diagnostics.peers as { versions: Record<string, string>; java: string | null };
    expect(Object.keys(peers.versions).sort()).toEqual(['@mockoon/cli', '@stoplight/prism-cli', 'wiremock']);
    expect(peers.java === null).toBe(!HAS_JAVA);
    // Same answer bytes, so within a few header bytes of the baseline's answers.
    for (const name of HAS_JAVA ? (['mockoonSearch', 'wiremockSearch'] as const) : (['mockoonSearch'] as const)) {
      expect(Math.abs(results.loads[name]!.bytesPerResponse - results.loads.baselineSearch!.bytesPerResponse), name).toBeLessThan(200);
    }
  });
});
