import type { AddressInfo } from 'node:net';
import { controlClient, type ControlClient } from './client.js';
import { createControlApp } from './control/app.js';
import { CoverageCounters } from './coverage/counters.js';
import { FaultRules } from './faults/rules.js';
import { AnswerCache } from './http/answer-cache.js';
import { createSandboxServer } from './http/server.js';
import { Journal } from './journal.js';
import { Snapshots } from './snapshots.js';
import { openStore } from './store/open.js';
import { resolveProfile, type Profile } from './vendor/profile.js';
import { Tenancy } from './tenants.js';

export type SandboxOptions = {
  /** Port to listen on; 0 picks a free one (what tests want). Default 4010. */
  port?: number;
  /** Default 127.0.0.1. Any other host requires `adminToken`. */
  host?: string;
  /** JSON store file. Without it (or with `inMemory`) the state lives in memory only. */
  db?: string;
  inMemory?: boolean;
  /** Faker seed of the generated customers; the same seed gives byte-identical data. Default 1. */
  seed?: number;
  /** How many faker customers to generate after the document's samples. Default 50. */
  customers?: number;
  /** Required to bind beyond loopback; control requests must then send it in X-Sandbox-Admin-Token. */
  adminToken?: string;
  /** The clock (creation times, key expiry); tests pin it. Default: the real time. */
  now?: () => Date;
  /** Largest accepted vendor request body, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** How many requests the journal keeps (a ring). Default 1000. */
  journalSize?: number;
  /** false: the X-Sandbox-Fault header is ignored, as Kapture would ignore it. Default true. */
  headerFaults?: boolean;
  /** A request (headers and body) must arrive within this time, or the connection is closed. Default 30 s. */
  requestTimeoutMs?: number;
  /** On close, how long requests in flight may take to finish before their connections are cut. Default 5 s. */
  closeGraceMs?: number;
  /**
   * How the sandbox answers: `document` (default: the 2016 document verbatim), `current` (as
   * today's Kapture answers), a profile file's path, or a profile object. A key's own `profile` wins.
   */
  profile?: string | Profile;
};

export type Sandbox = ControlClient & {
  /** Base URL, e.g. `http://127.0.0.1:41234`: vendor URLs and `/__sandbox` hang off it. */
  url: string;
  port: number;
  host: string;
  storage: 'file' | 'memory';
  /** Stops listening, ends open connections, and waits for pending writes. */
  close(): Promise<void>;
};

export const DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  seed: 1,
  customers: 50,
  bodyLimit: 1024 * 1024,
  journalSize: 1000,
  requestTimeoutMs: 30_000,
  closeGraceMs: 5_000,
};

/**
 * Starts a sandbox. In a test suite: start one on a free port, point your Kapture client at
 * `url`, close it afterwards.
 *
 * @example
 * const sandbox = await startSandbox({ port: 0, inMemory: true, seed: 7 });
 * const res = await fetch(`${sandbox.url}/search-customer-by-customer-id.html`, {
 *   method: 'POST',
 *   headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
 *   body: JSON.stringify({ customer_id: '272930' }),
 * });
 * await sandbox.close();
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? DEFAULTS.host;
  if (!isLoopback(host) && !options.adminToken) {
    throw new Error(
      `refusing to listen on ${host} without an admin token: anyone who can reach it could change its data. ` +
        'Pass --admin-token (or set KAPTURE_SANDBOX_ADMIN_TOKEN), or listen on 127.0.0.1.',
    );
  }
  const profile = resolveProfile(options.profile ?? 'document');
  const seedOptions = { seed: options.seed ?? DEFAULTS.seed, customers: options.customers ?? DEFAULTS.customers };
  // Faker is loaded only when seeding (a first start, a reset): a restart does not pay for it.
  const seed = async () => (await import('../seeds/generate.js')).seedData(seedOptions);
  const file = options.inMemory ? undefined : options.db;
  const store = await openStore({ file, seed });
  const storage = store.storage;
  const now = options.now ?? (() => new Date());
  const rules = new FaultRules();
  const journal = new Journal(options.journalSize ?? DEFAULTS.journalSize);
  const snapshots = await Snapshots.open(file ? `${file}.snapshots` : undefined);
  const coverage = new CoverageCounters();
  journal.subscribe((entry) => coverage.count(entry));
  const tenancy = new Tenancy(Date.now());
  const control = createControlApp({ store, storage, seed, seedNumber: seedOptions.seed, rules, journal, snapshots, coverage, tenancy, now, profile, adminToken: options.adminToken, host });
  const vendor = { store, now, rules, journal, bodyLimit: options.bodyLimit ?? DEFAULTS.bodyLimit, headerFaults: options.headerFaults ?? true, profile, answerCache: new AnswerCache() };
  const server = createSandboxServer(vendor, control, options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs);
  try {
    await listen(server, options.port ?? DEFAULTS.port, host);
  } catch (error) {
    // Frees the store (and its lock) for a retry on another port.
    await store.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    ...controlClient(url, options.adminToken ? { adminToken: options.adminToken } : {}),
    url,
    port,
    host,
    storage,
    close: async () => {
      // Graceful: no new connections, idle ones closed now, requests in flight given time to finish
      // (their answers are durable before they are sent), then whatever is left (a hung fault) cut.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), options.closeGraceMs ?? DEFAULTS.closeGraceMs);
      await closed;
      clearTimeout(cut);
      await store.close();
    },
  };
}

function listen(server: ReturnType<typeof createSandboxServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${host} is already in use: stop whatever listens there, or pass another --port (0 picks a free one)`));
      } else if (error.code === 'EACCES') {
        reject(new Error(`not allowed to listen on port ${port}: pick a port above 1023`));
      } else {
        reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
