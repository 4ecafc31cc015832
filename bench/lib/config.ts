import type { Figures, LoadName, NotReached, PartGroup } from './figures.js';
import type { LoadFigures, ProbeFigures } from './load.js';
import type { machineInfo } from './machine.js';

/** The benchmark's settings (full and quick runs), the URLs it loads, and the shapes of its results. */

export const PATHS = {
  add: '/add-update-customer-from-other-source.html',
  select: '/select-customer-between-start-and-end-dates.html',
  search: '/search-customer-by-customer-id.html',
} as const;

export const SPEC = 'openapi/kapture-customer-api.yaml';

export const BIN = 'bin/kapture-sandbox.js';

export const PRISM_CLI = 'node_modules/@stoplight/prism-cli/dist/index.js';

/** The document's sample customers; generated ids run from 287231 upwards. */
export const SAMPLE_IDS = [272930, 286829, 287230];

export const FIRST_GENERATED_ID = 287231;

export const ADD_BODY = JSON.stringify({ name: 'Bench', email: 'bench@example.in', phone: '9000000000' });

/** Share of non-2xx answers, or of connection errors (timeouts excluded), above which a load counts as broken. */
export const MAX_BAD_SHARE = 0.01;

/** Other processes using more than this share of one core during a part make its figures suspect. */
export const OTHER_CPU_WARNING = 0.15;

export type BenchConfig = {
  mode: 'full' | 'quick' | 'profile';
  /** Customers stored: small (1k), big (100k), huge (1M, in memory). */
  sizes: { small: number; big: number; huge: number };
  durationS: number;
  warmupS: number;
  /** Seconds of load that warm WireMock's JVM up after its cold load, before the measured one. */
  jvmWarmupS: number;
  /** The groups of parts to run (`--only`); every group when absent. */
  only?: PartGroup[];
  connections: { search: number; select: number; add: number; mixedAdd: number; mixedSearch: number; hugeSelect: number };
  /** Requests per second of the open-loop search probe (see `probe`). */
  probeRate: number;
  /** How many times a part is run again when other processes competed for the CPU during it. */
  busyRetries: number;
  /** Adds per second of the open-loop add probe: low enough that the store stays near its size. */
  addProbeRate: number;
  /** autocannon's per-request timeout (s): a slower answer counts as a timeout. */
  requestTimeoutS: number;
  startTimeoutMs: number;
  hugeStartTimeoutMs: number;
  drainTimeoutMs: number;
};

export const FULL: BenchConfig = {
  mode: 'full',
  sizes: { small: 1_000, big: 100_000, huge: 1_000_000 },
  durationS: 10,
  warmupS: 2,
  jvmWarmupS: 10,
  connections: { search: 50, select: 10, add: 10, mixedAdd: 10, mixedSearch: 10, hugeSelect: 1 },
  probeRate: 500,
  addProbeRate: 100,
  busyRetries: 2,
  requestTimeoutS: 30,
  startTimeoutMs: 60_000,
  hugeStartTimeoutMs: 240_000,
  drainTimeoutMs: 60_000,
};

export const QUICK: BenchConfig = {
  mode: 'quick',
  sizes: { small: 100, big: 1_000, huge: 5_000 },
  durationS: 1,
  warmupS: 0,
  jvmWarmupS: 1,
  connections: { search: 10, select: 5, add: 5, mixedAdd: 5, mixedSearch: 5, hugeSelect: 1 },
  probeRate: 200,
  addProbeRate: 50,
  busyRetries: 0,
  requestTimeoutS: 10,
  startTimeoutMs: 30_000,
  hugeStartTimeoutMs: 30_000,
  drainTimeoutMs: 10_000,
};

export type TargetResult = {
  id: string;
  what: string;
  measured: number | null;
  unit: string;
  bound: string;
  met: boolean | null;
  note?: string;
};

/** What a run writes to bench/results/<mode>.json. */
export type BenchResults = {
  meta: {
    mode: BenchConfig['mode'];
    date: string;
    machine: ReturnType<typeof machineInfo>;
    /** 1-minute load average before and after the run: other work on the machine skews every figure. */
    loadAverage: { before: number; after: number };
    /** Average share of one core that OTHER processes used, over the run and per part (see cpu.ts). */
    otherCpu: { run: number | null; parts: Array<{ part: string; otherCores: number; busyShare: number; attempts: number }> };
    loadGenerator: string;
    git: { commit: string; dirtySrc: boolean | null };
    /** False when files under src/, seeds/ or bin/ changed while the run went on: its figures mix code versions. */
    codeUnchanged: boolean;
    sizes: BenchConfig['sizes'];
    /** The groups of parts run (`--only`), or null for all of them. */
    only: PartGroup[] | null;
    durationS: number;
    warmupS: number;
    jvmWarmupS: number;
    connections: BenchConfig['connections'];
    totalS: number;
  };
  figures: Figures;
  notReached: NotReached;
  loads: Loads;
  /** Open-loop search probes: alone, and while adds run at full speed. */
  probes: Record<string, ProbeFigures>;
  targets: TargetResult[];
  diagnostics: Record<string, unknown>;
  /** Harness failures: a non-empty list means exit code 1. */
  problems: string[];
};


/** Every autocannon run kept in the results: the loads with figures of their own, and the add loads run beside a search. */
export type Loads = Partial<Record<LoadName | 'mixedAddBig' | 'mixedProbeAddBig', LoadFigures>>;
