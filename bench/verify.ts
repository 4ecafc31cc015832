/**
 * `npx tsx bench/verify.ts [--quick] [--out FILE]`: how long POST /__sandbox/verify takes with a full journal
 * (10,000 entries) while searches run, and how soon a waiting verify answers once the request it
 * waits for is journaled. The sandbox is a child process (the CLI); the search load (autocannon)
 * and the verifies run in this process, on the same cores: figures are for comparison, not absolutes.
 *
 * Targets: verify p99 <= 20 ms with the full journal under the search load; a waiting verify
 * answers within 50 ms of the matching request's answer. Exit 0 whether they are met or not; 1
 * when the harness broke. Writes bench/results/verify.json (verify-quick.json), or --out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { searchBodies } from './lib/bodies.js';
import { PATHS } from './lib/config.js';
import { installExitGuards, ROOT, spawnServer } from './lib/children.js';
import { HEADERS, load, round } from './lib/load.js';
import { num, table } from './lib/report.js';

const JOURNAL = 10_000;
const CUSTOMERS = 1_000;

type Timing = { p50Ms: number; p99Ms: number; maxMs: number; samples: number };

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!, 2);
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: round(sorted[sorted.length - 1]!, 2), samples: samples.length };
}

async function verify(url: string, body: unknown): Promise<{ status: number; ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/__sandbox/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, bytes: text.length };
}

/** Verifies one after another until `until` resolves; every answer must have the status expected. */
async function verifyLoop(url: string, body: unknown, status: number, count: number): Promise<{ timing: Timing; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const answer = await verify(url, body);
    if (answer.status !== status) throw new Error(`verify ${JSON.stringify(body)} answered ${answer.status}, expected ${status}`);
    times.push(answer.ms);
    bytes = answer.bytes;
  }
  return { timing: timing(times), bytes };
}

/** A verify waiting for a search not sent yet: the time from that search's answer to the verify's. */
async function waitingVerify(url: string, marker: number): Promise<number> {
  const waiting = verify(url, { body: { bench_marker: marker }, withinMs: 10_000 });
  // Give the verify time to arrive and start listening (its answer, not this delay, is measured).
  await new Promise((resolve) => setTimeout(resolve, 20));
  const body = JSON.stringify({ customer_id: '272930', bench_marker: marker });
  await (await fetch(`${url}${PATHS.search}`, { method: 'POST', headers: HEADERS, body })).text();
  const answered = performance.now();
  const result = await waiting;
  if (result.status !== 200) throw new Error(`the waiting verify answered ${result.status}`);
  return performance.now() - answered;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { quick: { type: 'boolean' }, out: { type: 'string' } }, strict: true });
  const quick = values.quick ?? false;
  installExitGuards();
  const server = await spawnServer({
    name: 'sandbox',
    args: [join(ROOT, 'bin/kapture-sandbox.js'), 'serve', '--port', '0', '--in-memory', '--journal-size', String(JOURNAL), '--customers', String(CUSTOMERS)],
    timeoutMs: 30_000,
  });
  try {
    const bodies = searchBodies(CUSTOMERS);
    // Fill the ring: more searches than it holds (a busy machine may need several rounds).
    let fill;
    let journaled = 0;
    for (let round = 0; round < 10 && journaled <= JOURNAL; round++) {
      fill = await load({ url: server.url, path: PATHS.search, bodies, connections: 10, duration: quick ? 2 : 5 });
      const last = (await (await fetch(`${server.url}/__sandbox/journal?limit=1`)).json()) as { entries: Array<{ id: number }> };
      journaled = last.entries[0]?.id ?? 0;
    }
    if (journaled <= JOURNAL) throw new Error(`the journal did not fill: ${journaled} requests`);
    process.stdout.write(`journal: ${num(journaled)} requests received, the ring holds ${num(Math.min(journaled, JOURNAL))}\n`);

    // What a test asks: did the client send this one request (among 10,000)? Satisfied by one
    // search with a field no other request has; not satisfied: the same with an error never answered.
    await fetch(`${server.url}${PATHS.search}`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ customer_id: '286829', bench_order: 'ord-1' }) });
    const satisfied = { operation: 'searchCustomer', error: 'none', body: { customer_id: '286829', bench_order: 'ord-1' }, atLeast: 1 };
    const unsatisfied = { operation: 'searchCustomer', error: 'APIExpired', body: { customer_id: '286829' } };
    const rounds = quick ? 20 : 200;
    // Warm up: the first verifies compile their code paths; that is not what a test suite sees.
    await verifyLoop(server.url, satisfied, 200, 20);
    await verifyLoop(server.url, unsatisfied, 409, 20);
    const idle = { satisfied: await verifyLoop(server.url, satisfied, 200, rounds), unsatisfied: await verifyLoop(server.url, unsatisfied, 409, rounds) };
    // The same while searches run (10 connections); the search load keeps the ring full.
    const searching = load({ url: server.url, path: PATHS.search, bodies, connections: 10, duration: quick ? 3 : 15 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const busy = { satisfied: await verifyLoop(server.url, satisfied, 200, rounds), unsatisfied: await verifyLoop(server.url, unsatisfied, 409, rounds) };
    const waits: number[] = [];
    for (let i = 0; i < (quick ? 5 : 50); i++) waits.push(await waitingVerify(server.url, i));
    const searchLoad = await searching;
    const waited = timing(waits);

    const rows = [
      ['verify', 'while', 'p50', 'p99', 'max', 'answer'],
      ...(['satisfied', 'unsatisfied'] as const).flatMap((kind) => [
        [`${kind} (${kind === 'satisfied' ? '200' : '409, near misses'})`, 'idle', `${num(idle[kind].timing.p50Ms, 2)} ms`, `${num(idle[kind].timing.p99Ms, 2)} ms`, `${num(idle[kind].timing.maxMs, 2)} ms`, `${num(idle[kind].bytes)} B`],
        ['', 'searches run', `${num(busy[kind].timing.p50Ms, 2)} ms`, `${num(busy[kind].timing.p99Ms, 2)} ms`, `${num(busy[kind].timing.maxMs, 2)} ms`, `${num(busy[kind].bytes)} B`],
      ]),
      ['waiting: search answered -> verify answered', 'searches run', `${num(waited.p50Ms, 2)} ms`, `${num(waited.p99Ms, 2)} ms`, `${num(waited.maxMs, 2)} ms`, ''],
    ];
    process.stdout.write(`${table(rows)}\n`);
    process.stdout.write(
      `search load during the verifies: ${num(searchLoad.okPerSec)} req/s, p99 ${num(searchLoad.p99Ms, 2)} ms (10 connections; autocannon and the verifies share the 2 cores with the sandbox)\n` +
        `verify p99 under load <= 20 ms: ${busy.satisfied.timing.p99Ms <= 20 && busy.unsatisfied.timing.p99Ms <= 20 ? 'met' : 'NOT met'}; ` +
        `waiting verify p99 <= 50 ms: ${waited.p99Ms <= 50 ? 'met' : 'NOT met'}\n`,
    );
    const results = { quick, journalSize: JOURNAL, customers: CUSTOMERS, journaled, fillReqPerSec: fill?.okPerSec, idle, busy, waited, searchLoad };
    const out = values.out ?? join(ROOT, 'bench/results', quick ? 'verify-quick.json' : 'verify.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    return 0;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench/verify: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
