import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { cpuSnapshot, otherCpu } from './cpu.js';
import { round } from './load.js';
import { firstLines } from './checks.js';
import type { BenchConfig, BenchResults } from './config.js';
import { deriveRatios, PART_GROUPS, type PartGroup } from './figures.js';
import { fileStoreParts } from './file-store-parts.js';
import { createHarness } from './harness.js';
import { inMemoryParts } from './in-memory-parts.js';
import { codeFingerprint, gitInfo, machineInfo } from './machine.js';
import { peerParts } from './peer-parts.js';
import { renderReport } from './render.js';
import { seedingPart } from './seeding-part.js';
import { evaluateTargets } from './targets.js';

/**
 * The benchmark: every group of parts in one run (or the groups `config.only` names), the sandbox
 * measured against its peers in the same run; the ratios and targets once every part has run.
 * Returns the exit code.
 */
export async function runBench(config: BenchConfig, out: string, tmp: string): Promise<number> {
  const started = performance.now();
  const machine = machineInfo();
  const loadBefore = round(loadavg()[0]!, 2);
  const codeAtStart = codeFingerprint();
  const loadGenerator =
    `autocannon ${machine.autocannon} in the bench process, on the SAME ${machine.cores} cores as the server under test ` +
    '(every server is its own child process)';
  process.stdout.write(
    `kapture-sandbox benchmark, ${config.mode} run${config.mode === 'quick' ? ' (tiny sizes, 1 s loads: a smoke test, not figures to quote)' : ''}\n` +
      `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.platform}; ` +
      `load average ${loadBefore} before the run (anything else running skews every figure)\n` +
      (loadBefore > machine.cores / 2 ? `WARNING: the machine is busy (load average ${loadBefore} on ${machine.cores} cores): figures will be low and noisy\n` : '') +
      `load: ${loadGenerator}; ${config.durationS} s per load after ${config.warmupS} s of warm-up; POST with key sandbox-key\n` +
      (config.only ? `only the parts of: ${config.only.join(', ')} (--only); every other figure is "not reached"\n` : '') +
      '\n',
  );

  const h = createHarness(config, machine.cores);
  const { problems, notReached, figures, loads, probes, rows, contention, runCpuStart, diagnostics } = h;
  const groups: Record<PartGroup, () => Promise<void>> = {
    seeding: () => seedingPart(h, config, tmp),
    peers: () => peerParts(h, config, tmp),
    file: () => fileStoreParts(h, config, tmp),
    memory: () => inMemoryParts(h, config),
  };
  for (const group of PART_GROUPS) {
    if (!config.only || config.only.includes(group)) await groups[group]();
    else h.skipGroup(group, `not run (--only ${config.only.join(',')})`);
  }
  deriveRatios(figures, notReached);

  // Targets, all from this run.
  const targets = evaluateTargets(figures, config, notReached);
  const totalS = round((performance.now() - started) / 1000, 1);
  const results: BenchResults = {
    meta: {
      mode: config.mode,
      date: new Date().toISOString(),
      machine,
      loadAverage: { before: loadBefore, after: round(loadavg()[0]!, 2) },
      otherCpu: { run: otherCpu(runCpuStart, cpuSnapshot(), machine.cores)?.otherCores ?? null, parts: contention },
      loadGenerator,
      git: gitInfo(),
      codeUnchanged: codeFingerprint() === codeAtStart,
      sizes: config.sizes,
      only: config.only ?? null,
      durationS: config.durationS,
      warmupS: config.warmupS,
      jvmWarmupS: config.jvmWarmupS,
      connections: config.connections,
      totalS,
    },
    figures,
    notReached,
    loads,
    probes,
    targets,
    diagnostics,
    problems,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);

  process.stdout.write(`\n${renderReport(results, rows, config)}\n`);
  process.stdout.write(`\nresults: ${out}\ntotal: ${totalS} s\n`);
  if (!results.meta.codeUnchanged) {
    process.stdout.write('\nWARNING: files under src/, seeds/ or bin/ changed during the run: its figures mix code versions. Run it again on a tree nobody edits.\n');
  }
  if (problems.length > 0) {
    process.stdout.write(`\nHARNESS PROBLEMS (exit code 1):\n${problems.map((p) => `- ${firstLines(p, 4)}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

