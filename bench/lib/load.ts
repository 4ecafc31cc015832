import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

export const HEADERS = { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' } as const;

export type LoadOptions = {
  /** Base URL of the target. */
  url: string;
  path: string;
  /** Request bodies; every connection cycles through them in order. */
  bodies: string[];
  connections: number;
  /** Seconds. */
  duration: number;
  /** Seconds before a request counts as a timeout (an error). */
  timeout?: number;
};

/** What one autocannon run measured. Latencies in ms. */
export type LoadFigures = {
  connections: number;
  durationS: number;
  /** Completed responses per second, every status counted. */
  reqPerSec: number;
  /** 2xx responses per second. */
  okPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  responses: number;
  ok2xx: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Mean response size in bytes (headers included). */
  bytesPerResponse: number;
  /** Share of one core that other processes (not the bench, not its servers) used during the load; null where unknown. */
  otherCores?: number | null;
};

/**
 * One autocannon run against `url + path`, POSTing the bodies with the sandbox's default key.
 * Latency percentiles are computed here from every 2xx response time (autocannon's own histogram
 * rounds to whole milliseconds, too coarse for a 5 ms target).
 */
export function load(options: LoadOptions): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.duration,
        timeout: options.timeout ?? 10,
        requests: options.bodies.map((body) => ({ method: 'POST' as const, path: options.path, headers: { ...HEADERS }, body })),
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve(figuresOf(options, result, times));
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    });
  });
}

function figuresOf(options: LoadOptions, result: autocannon.Result, times: number[]): LoadFigures {
  const responses = result.requests.total;
  const duration = result.duration > 0 ? result.duration : options.duration;
  const sorted = Float64Array.from(times).sort();
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!);
  let sum = 0;
  for (const t of sorted) sum += t;
  return {
    connections: options.connections,
    durationS: round(duration, 2),
    reqPerSec: round(responses / duration, 1),
    okPerSec: round(result['2xx'] / duration, 1),
    p50Ms: round(at(0.5), 3),
    p99Ms: round(at(0.99), 3),
    meanMs: sorted.length === 0 ? Number.NaN : round(sum / sorted.length, 3),
    maxMs: sorted.length === 0 ? Number.NaN : round(sorted[sorted.length - 1]!, 1),
    responses,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse: responses > 0 ? Math.round(result.throughput.total / responses) : 0,
  };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One request with fetch (probes: is the answer the one we mean to measure?). */
export async function post(url: string, path: string, body: string, timeoutMs = 30_000): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: HEADERS, body, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export type ProbeOptions = {
  url: string;
  path: string;
  bodies: string[];
  /** Requests per second, sent on a fixed schedule whatever the answers do (open loop). */
  ratePerSec: number;
  /** Seconds. */
  duration: number;
  /** Sockets the prober may open; requests beyond that queue in the agent (their wait counts). */
  maxSockets?: number;
  /** Seconds to wait for the last answers once every request was sent; later ones are cut off. Default 30. */
  graceS?: number;
};

export type ProbeFigures = {
  ratePerSec: number;
  durationS: number;
  sent: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  /** Requests still unanswered `graceS` after the last was sent: cut off, and counted in the percentiles with the time they had waited (a lower bound). */
  unfinished: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
  /** Share of requests slower than 50 ms. */
  over50msShare: number;
  otherCores?: number | null;
};

/**
 * An open-loop latency probe: requests leave on a fixed schedule (`ratePerSec`), and each latency
 * runs from the moment the request was DUE, not from when it was sent. A closed-loop generator
 * such as autocannon stops sending while the server stalls, so a 2 s stall delays only one
 * request per connection and hardly moves its p99 (coordinated omission); here every request
 * that fell due during the stall waits, as a real client's would.
 */
export async function probe(options: ProbeOptions): Promise<ProbeFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const target = new URL(options.path, options.url);
  const total = Math.max(1, Math.round(options.ratePerSec * options.duration));
  const intervalMs = 1000 / options.ratePerSec;
  const latencies: number[] = [];
  let ok2xx = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let cutOff = false;
  const start = performance.now();
  const inFlight = new Map<number, { due: number; destroy: () => void }>();

  const one = (index: number) =>
    new Promise<void>((resolve) => {
      const due = start + index * intervalMs;
      const done = () => {
        inFlight.delete(index);
        resolve();
      };
      const body = options.bodies[index % options.bodies.length]!;
      const req = request(
        target,
        { method: 'POST', agent, headers: { ...HEADERS, 'Content-Length': Buffer.byteLength(body) }, timeout: 60_000 },
        (res) => {
          res.resume();
          res.once('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) ok2xx++;
            else non2xx++;
            done();
          });
          res.once('error', () => {
            if (!cutOff) errors++;
            done();
          });
        },
      );
      inFlight.set(index, { due, destroy: () => req.destroy() });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => {
        if (!cutOff) errors++;
        done();
      });
      req.end(body);
    });

  const pending: Promise<void>[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due) pending.push(one(sent++));
    if (sent >= total) break;
    // Sleep until the next request is due (timers fire >= 1 ms late: that lateness counts against
    // the server, so keep it small; a coarser wake-up would add up to a whole interval of latency).
    const wait = start + sent * intervalMs - performance.now();
    await new Promise((resolve) => (wait > 1 ? setTimeout(resolve, wait - 1) : setImmediate(resolve)));
  }
  let unfinished = 0;
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'cut'>((resolve) => {
    timer = setTimeout(() => resolve('cut'), (options.graceS ?? 30) * 1000);
  });
  if ((await Promise.race([Promise.all(pending), graceOver])) === 'cut') {
    cutOff = true;
    const now = performance.now();
    for (const { due, destroy } of [...inFlight.values()]) {
      latencies.push(now - due);
      unfinished++;
      destroy();
    }
    // Destroyed requests settle at once; a request still queued in the agent may not: do not wait on it.
    await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
  clearTimeout(timer);
  agent.destroy();

  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!);
  let sum = 0;
  let over = 0;
  for (const t of sorted) {
    sum += t;
    if (t > 50) over++;
  }
  return {
    ratePerSec: options.ratePerSec,
    durationS: options.duration,
    sent,
    ok2xx,
    non2xx,
    errors,
    unfinished,
    p50Ms: round(at(0.5), 3),
    p99Ms: round(at(0.99), 3),
    p999Ms: round(at(0.999), 3),
    maxMs: round(sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!, 1),
    meanMs: sorted.length === 0 ? Number.NaN : round(sum / sorted.length, 3),
    over50msShare: sorted.length === 0 ? Number.NaN : round(over / sorted.length, 4),
  };
}
