/**
 * Why the vendor URLs are served by a plain node:http handler and the control surface by Express 5
 * (docs/vendor-path.md): the same search answer, byte for byte, served three ways, each loaded with
 * autocannon after a warm-up, and compared with raw node:http.
 *
 *   raw            node:http: read the body, answer the bytes (the ceiling for this exchange)
 *   express-json   Express 5 as an app is usually written: express.json() parses the body, a route
 *                  answers with res.send (Express's defaults: ETag and X-Powered-By on)
 *   express-raw    Express 5 at its lightest: no body parser (the route reads the body itself),
 *                  ETag and X-Powered-By off, as the sandbox's control app has them
 *
 * Run: npx tsx bench/frameworks.ts [--duration 10] [--warmup 3] [--connections 50] [--rounds 2]
 *                                   [--only raw,express-json]
 *
 * Each server is a child process of its own (one event loop, as the sandbox has), started one at a
 * time; autocannon runs in this process. Client and server share the machine's cores, so figures
 * are lower than with a separate load generator: compare the ratios of one run, not absolutes.
 * Each row says how busy the rest of the machine was (load average, and the cores other processes
 * kept busy during the measurement): on a shared machine a row measured next to someone else's
 * work is low.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { sampleCustomers } from '../seeds/samples.js';
import { presentCustomer } from '../src/vendor/present.js';
import { HEADERS, load, type LoadFigures } from './lib/load.js';

const VARIANTS = ['raw', 'express-json', 'express-raw'] as const;
type Variant = (typeof VARIANTS)[number];

const PATH = '/search-customer-by-customer-id.html';
const REQUEST_BODY = '{"customer_id":"286829"}';
const CONTENT_TYPE = 'application/json;charset=UTF-8';

/** The search answer of the document's customer 286829, as the sandbox's default profile words it. */
function searchAnswer(): Buffer {
  const customer = sampleCustomers().find((c) => c.id === 286829)!;
  return Buffer.from(JSON.stringify({ message: [presentCustomer(customer)], status: 'success' }));
}

function readAll(request: IncomingMessage, done: () => void): void {
  request.on('data', () => {});
  request.on('end', done);
}

/** The request handler of each variant, all answering the same bytes. */
function handlerOf(variant: Variant, payload: Buffer): (request: IncomingMessage, response: ServerResponse) => void {
  if (variant === 'raw') {
    return (request, response) =>
      readAll(request, () => {
        response.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Content-Length': payload.length });
        response.end(payload);
      });
  }
  const app = express();
  if (variant === 'express-json') {
    app.use(express.json());
    app.post(PATH, (_req, res) => {
      res.type(CONTENT_TYPE).send(payload);
    });
  } else {
    app.disable('x-powered-by');
    app.set('etag', false);
    app.post(PATH, (req, res) => readAll(req, () => res.type(CONTENT_TYPE).send(payload)));
  }
  return app;
}

/** Child mode: serve one variant on a free port and say where on stdout. */
function serve(variant: Variant): void {
  const payload = searchAnswer();
  const server = createServer(handlerOf(variant, payload));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, bytes: payload.length })}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

type Child = { process: ChildProcess; url: string; bytes: number };

function startChild(variant: Variant): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', variant], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${variant} server exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const ready = JSON.parse(line) as { url: string; bytes: number };
      resolve({ process: child, ...ready });
    });
  });
}

function stopChild(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.removeAllListeners('exit');
    child.process.once('exit', () => resolve());
    child.process.kill('SIGTERM');
  });
}

/** The three load averages, as `uptime` prints them. */
function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

type Ticks = { busy: number; total: number; ours: number };

/** CPU clock ticks (Linux /proc): the machine's busy and total time, and this process's plus the server's. */
function cpuTicks(serverPid: number | undefined): Ticks | undefined {
  try {
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const used = (pid: string) => {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
      return fields[11]! + fields[12]!; // utime, stime
    };
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait, ours: used('self') + (serverPid === undefined ? 0 : used(String(serverPid))) };
  } catch {
    return undefined;
  }
}

/**
 * How many cores other processes kept busy meanwhile (other engineers' work on a shared machine);
 * loopback networking done in interrupts counts as theirs, so a few hundredths is normal.
 */
function otherCores(before: Ticks | undefined, after: Ticks | undefined): number | undefined {
  if (!before || !after || after.total === before.total) return undefined;
  const other = Math.max(0, after.busy - before.busy - (after.ours - before.ours));
  return (other / (after.total - before.total)) * cpus().length;
}

/** Every variant must answer the very bytes the sandbox would, or the comparison means nothing. */
async function expectSameAnswer(variant: Variant, url: string): Promise<void> {
  const response = await fetch(`${url}${PATH}`, { method: 'POST', headers: HEADERS, body: REQUEST_BODY });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200 || !body.equals(searchAnswer()) || response.headers.get('content-type') !== CONTENT_TYPE) {
    throw new Error(`${variant} answered HTTP ${response.status}, ${response.headers.get('content-type')}, ${body.length} bytes: not the search answer`);
  }
}

type Options = { duration: number; warmup: number; connections: number; rounds: number };
type Row = { round: number; variant: Variant; figures: LoadFigures; bytes: number; loadBefore: string; other: number | undefined };

async function measure(round: number, variant: Variant, options: Options): Promise<Row> {
  const child = await startChild(variant);
  try {
    await expectSameAnswer(variant, child.url);
    const target = { url: child.url, path: PATH, bodies: [REQUEST_BODY], connections: options.connections };
    // The warm-up lets the JIT compile the hot path and the sockets open; its figures are dropped.
    await load({ ...target, duration: options.warmup });
    const loadBefore = loadAverage();
    const before = cpuTicks(child.process.pid);
    const figures = await load({ ...target, duration: options.duration });
    const other = otherCores(before, cpuTicks(child.process.pid));
    if (figures.non2xx > 0 || figures.errors > 0) throw new Error(`${variant}: ${figures.non2xx} non-2xx answers, ${figures.errors} errors: the figures would not measure the answer meant`);
    return { round, variant, figures, bytes: child.bytes, loadBefore, other };
  } finally {
    await stopChild(child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each row's ratio is to raw node:http of the same round (the nearest in time, on a machine whose load moves). */
function report(rows: Row[], options: Options): string {
  const rawOf = (round: number) => rows.find((row) => row.round === round && row.variant === 'raw')?.figures.reqPerSec;
  const ratio = (row: Row) => {
    const raw = rawOf(row.round);
    return raw ? row.figures.reqPerSec / raw : undefined;
  };
  const lines = [
    `${new Date().toISOString()}  Node ${process.version}  ${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    `POST ${PATH} ${REQUEST_BODY} -> ${rows[0]?.bytes ?? '?'}-byte answer; autocannon ${options.connections} connections, ${options.warmup} s warm-up, ${options.duration} s measured, on the same cores`,
    '',
    'round  variant        req/s   vs raw   p50 ms   p99 ms   other cores   load average (1, 5, 15 min)',
  ];
  for (const row of rows) {
    const { figures } = row;
    lines.push(
      [
        String(row.round).padStart(5),
        row.variant.padEnd(12),
        String(Math.round(figures.reqPerSec)).padStart(7),
        (ratio(row)?.toFixed(2) ?? 'n/a').padStart(8),
        figures.p50Ms.toFixed(2).padStart(8),
        figures.p99Ms.toFixed(2).padStart(8),
        (row.other?.toFixed(2) ?? 'n/a').padStart(13),
        `  ${row.loadBefore}`,
      ].join(' '),
    );
  }
  if (options.rounds > 1) {
    lines.push('', 'median over the rounds:');
    for (const variant of VARIANTS) {
      const own = rows.filter((row) => row.variant === variant);
      if (own.length === 0) continue;
      const ratios = own.map(ratio).filter((value): value is number => value !== undefined);
      lines.push(`       ${variant.padEnd(12)} ${String(Math.round(median(own.map((row) => row.figures.reqPerSec)))).padStart(7)} ${(ratios.length > 0 ? median(ratios).toFixed(2) : 'n/a').padStart(8)}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '2' },
      only: { type: 'string' },
    },
  });
  if (values.serve !== undefined) {
    if (!(VARIANTS as readonly string[]).includes(values.serve)) throw new Error(`--serve takes one of ${VARIANTS.join(', ')}, got "${values.serve}"`);
    serve(values.serve as Variant);
    return;
  }
  const options: Options = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections), rounds: Number(values.rounds) };
  const chosen = values.only === undefined ? [...VARIANTS] : values.only.split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !(VARIANTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only takes names among ${VARIANTS.join(', ')}; unknown: ${unknown.join(', ')}`);
  const rows: Row[] = [];
  // One server at a time, so that none competes with another for the cores; rounds alternate the
  // variants, so that a change in the machine's load falls on all of them.
  for (let round = 1; round <= options.rounds; round++) {
    for (const variant of chosen as Variant[]) rows.push(await measure(round, variant, options));
  }
  process.stdout.write(`${report(rows, options)}\n`);
}

await main();
