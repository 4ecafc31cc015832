/**
 * Child process: times `seedData({seed: 1, customers: N})` in a fresh Node, then what rewriting
 * that whole store as one JSON file costs (as a lowdb JSONFile commit does: `JSON.stringify(data,
 * null, 2)`, then a temp file written and renamed), to tell serialization from file write in the
 * add figures of a whole-file store. Prints one JSON line.
 *
 * Run: node --import tsx bench/seed-timing.ts N DIR
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedData } from '../seeds/generate.js';

const customers = Number(process.argv[2] ?? '100000');
const dir = process.argv[3];
if (!Number.isSafeInteger(customers) || !dir) {
  process.stderr.write('usage: seed-timing.ts CUSTOMERS DIR\n');
  process.exit(2);
}

const t0 = performance.now();
const data = seedData({ seed: 1, customers });
const seedMs = performance.now() - t0;
const rssAfterSeedMb = process.memoryUsage().rss / 2 ** 20;

// Best of 3: the first stringify also pays for warming up.
const stringifyRuns: number[] = [];
let text = '';
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  text = JSON.stringify(data, null, 2);
  stringifyRuns.push(performance.now() - t);
}
const compactT = performance.now();
const compact = JSON.stringify(data);
const stringifyCompactMs = performance.now() - compactT;

const file = join(dir, 'seed-timing.json');
const writeRuns: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await writeFile(`${file}.tmp`, text, 'utf-8');
  await rename(`${file}.tmp`, file);
  writeRuns.push(performance.now() - t);
}
const parseT = performance.now();
JSON.parse(text);
const parseMs = performance.now() - parseT;
await rm(file, { force: true });

process.stdout.write(
  `${JSON.stringify({
    customers,
    seedMs,
    rssAfterSeedMb,
    fileBytes: Buffer.byteLength(text),
    compactBytes: compact.length,
    stringifyIndentedMs: Math.min(...stringifyRuns),
    stringifyIndentedRunsMs: stringifyRuns,
    stringifyCompactMs,
    writeRenameMs: Math.min(...writeRuns),
    writeRenameRunsMs: writeRuns,
    parseMs,
  })}\n`,
);
