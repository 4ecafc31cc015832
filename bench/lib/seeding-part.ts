import { runNode } from './children.js';
import type { BenchConfig } from './config.js';
import type { Harness } from './harness.js';
import { round } from './load.js';
import { num } from './report.js';
import { count } from './checks.js';

/** The first part of a run: seeding in a fresh process, and what a whole-store rewrite costs. */
export async function seedingPart(h: Harness, config: BenchConfig, tmp: string): Promise<void> {
  const { part, set, diagnostics, log } = h;
  const { big } = config.sizes;
  // 1. Seeding in a fresh Node, and what one whole-store commit costs (to split the add figures).
  await part(`seeding ${count(big)} faker customers: seedData in a fresh process`, async () => {
    const stdout = await runNode('seed-timing', ['--import', 'tsx', 'bench/seed-timing.ts', String(big), tmp], config.startTimeoutMs * 2);
    const timing = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    set('seedBigMs', timing.seedMs, 0);
    diagnostics.commitCostBig = {
      customers: big,
      what: 'a whole-store JSON rewrite, as a lowdb-style commit does it: JSON.stringify(whole store, null, 2) on the event loop, then writeFile(temp) and rename',
      fileMB: round(timing.fileBytes! / 2 ** 20, 1),
      stringifyIndentedMs: round(timing.stringifyIndentedMs!, 0),
      stringifyCompactMs: round(timing.stringifyCompactMs!, 0),
      writeRenameMs: round(timing.writeRenameMs!, 0),
      parseMs: round(timing.parseMs!, 0),
    };
    log(
      `seedData ${num(timing.seedMs, 0)} ms; the ${num(timing.fileBytes! / 2 ** 20)} MB store: JSON.stringify(…, null, 2) ` +
        `${num(timing.stringifyIndentedMs, 0)} ms, writeFile+rename ${num(timing.writeRenameMs, 0)} ms, JSON.parse ${num(timing.parseMs, 0)} ms`,
    );
  });
}
