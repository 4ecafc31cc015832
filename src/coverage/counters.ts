import { ERROR_CODES, type ErrorCode } from '../errors.js';
import type { Recorded } from '../journal.js';
import { OPERATION_IDS, type OperationId } from '../operations/ids.js';
import { WARNING_KINDS } from './catalogue.js';

// The cells of one operation: success, each error code caused by the sandbox, each injected,
// the three connection faults, latency, then one per warning kind.
const SUCCESS = 0;
const VENDOR = 1;
const INJECTED = VENDOR + ERROR_CODES.length;
const CONNECTION = INJECTED + ERROR_CODES.length;
const CONNECTIONS = ['reset', 'close', 'hang'] as const;
const CONNECTION_LABELS = CONNECTIONS.map((fault) => `connection=${fault}`);
const LATENCY = CONNECTION + CONNECTIONS.length;
const WARNINGS = LATENCY + 1;
const WIDTH = WARNINGS + WARNING_KINDS.length;
/** Requests whose key named no tenant (missing or unknown). */
const NO_TENANT = 0;

type Bucket = { cells: Float64Array; shapes: Map<string, Float64Array> };

/** One operation's counts, as read. */
export type OperationCounts = {
  success: number;
  errors: Record<ErrorCode, { vendor: number; injected: number }>;
  connection: Record<(typeof CONNECTIONS)[number], number>;
  latency: number;
  warnings: Record<string, number>;
  shapes: Record<string, number>;
};

/**
 * How often each operation met each outcome, per tenant, since the last reset. Kept apart from
 * the journal ring, so nothing is lost when it wraps. Counting runs on every vendor request: it
 * is an increment in a typed array allocated once per tenant, and reads only what the entry
 * holds already (no parsing, no allocation).
 */
export class CoverageCounters {
  #buckets = new Map<number, Bucket>();

  count(entry: Recorded): void {
    if (entry.operation === undefined) return;
    const operation = OPERATION_IDS.indexOf(entry.operation);
    const bucket = this.#bucket(entry.tenant ?? NO_TENANT);
    const cells = bucket.cells;
    const base = operation * WIDTH;
    const faults = entry.faults;
    if (entry.status === undefined) {
      const cut = connectionOf(faults);
      if (cut >= 0) cells[base + CONNECTION + cut]!++;
    } else if (entry.error === undefined) {
      cells[base + SUCCESS]!++;
    } else {
      const code = ERROR_CODES.indexOf(entry.error);
      cells[base + (mentions(faults, entry.error) ? INJECTED : VENDOR) + code]!++;
    }
    if (faults.length > 0 && mentions(faults, 'latency=')) cells[base + LATENCY]!++;
    const warnings = entry.warnings;
    for (let i = 0; i < warnings.length; i++) cells[base + WARNINGS + warningKind(warnings[i]!)]!++;
    const shape = entry.shape;
    let shapes = bucket.shapes.get(shape);
    if (shapes === undefined) bucket.shapes.set(shape, (shapes = new Float64Array(OPERATION_IDS.length)));
    shapes[operation]!++;
  }

  /** Forgets every count, or one tenant's. */
  clear(tenant?: number): void {
    if (tenant === undefined) this.#buckets.clear();
    else this.#buckets.delete(tenant);
  }

  /** The counts of one tenant, or of every request (keyless and unknown keys included). */
  read(tenant?: number): Record<OperationId, OperationCounts> {
    const buckets = tenant === undefined ? [...this.#buckets.values()] : [this.#buckets.get(tenant)].filter((b) => b !== undefined);
    const sum = (cell: number) => buckets.reduce((total, bucket) => total + bucket.cells[cell]!, 0);
    const read = {} as Record<OperationId, OperationCounts>;
    OPERATION_IDS.forEach((operation, index) => {
      const base = index * WIDTH;
      const errors = {} as OperationCounts['errors'];
      ERROR_CODES.forEach((code, c) => (errors[code] = { vendor: sum(base + VENDOR + c), injected: sum(base + INJECTED + c) }));
      const warnings: Record<string, number> = {};
      WARNING_KINDS.forEach(([kind], k) => {
        const seen = sum(base + WARNINGS + k);
        if (seen > 0) warnings[kind] = seen;
      });
      const shapes: Record<string, number> = {};
      for (const bucket of buckets) {
        for (const [shape, counts] of bucket.shapes) if (counts[index]! > 0) shapes[shape] = (shapes[shape] ?? 0) + counts[index]!;
      }
      read[operation] = {
        success: sum(base + SUCCESS),
        errors,
        connection: { reset: sum(base + CONNECTION), close: sum(base + CONNECTION + 1), hang: sum(base + CONNECTION + 2) },
        latency: sum(base + LATENCY),
        warnings,
        shapes,
      };
    });
    return read;
  }

  #bucket(tenant: number): Bucket {
    let bucket = this.#buckets.get(tenant);
    if (bucket === undefined) this.#buckets.set(tenant, (bucket = { cells: new Float64Array(OPERATION_IDS.length * WIDTH), shapes: new Map() }));
    return bucket;
  }
}

/** Whether a fault label names `text` (`rule-2:ServerFailure+latency=5` names both). */
function mentions(faults: readonly string[], text: string): boolean {
  for (let i = 0; i < faults.length; i++) if (faults[i]!.includes(text)) return true;
  return false;
}

/** Which connection fault cut an answer: the first one the labels name (it won), or -1. */
function connectionOf(faults: readonly string[]): number {
  for (let i = 0; i < faults.length; i++) {
    const label = faults[i]!;
    for (let c = 0; c < CONNECTION_LABELS.length; c++) if (label.includes(CONNECTION_LABELS[c]!)) return c;
  }
  return -1;
}

function warningKind(warning: string): number {
  for (let k = 0; k < WARNING_KINDS.length - 1; k++) if (WARNING_KINDS[k]![1].test(warning)) return k;
  return WARNING_KINDS.length - 1;
}
