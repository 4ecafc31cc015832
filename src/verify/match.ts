import { hashKey, presentEntry, redactKey, requestBodyOf, type Recorded } from '../journal.js';
import type { Difference, NearMiss, VerifyCriteria } from './criteria.js';

const NEAR_MISSES = 3;

/** A field of `body`; `needle`: a string value's JSON text, which a body without escapes must contain to match it. */
type Leaf = { path: string[]; expected: unknown; needle: Buffer | undefined };
const BACKSLASH = 0x5c;
type Check = { test: (entry: Recorded) => boolean; difference: (entry: Recorded) => Difference };

/**
 * The criteria of a verify compiled once. Scope and `since` bound the window (an entry outside it
 * is never shown, not even as a near miss); every other criterion is one check, and each field of
 * `body` one more, so near misses rank by how many they meet.
 */
export class Matcher {
  readonly #checks: Check[] = [];
  readonly #leaves: Leaf[];

  constructor(
    criteria: VerifyCriteria,
    readonly scope: number | undefined,
    readonly since: number | undefined,
  ) {
    const { operation, tenant, key, error, fault } = criteria;
    if (operation !== undefined) this.#check('operation', operation, (e) => e.operation === operation, (e) => e.operation ?? null);
    if (tenant !== undefined && scope === undefined) this.#check('tenant', tenant, (e) => e.tenant === tenant, (e) => e.tenant ?? null);
    if (key !== undefined) {
      const digest = hashKey(key);
      const bytes = Buffer.from(digest, 'hex');
      this.#check('key', redactKey(key, digest), (e) => e.keyDigest?.equals(bytes) === true, (e) => (e.keyDigest ? presentEntry(e).key : null));
    }
    if (error !== undefined) this.#check('error', error, (e) => (error === 'none' ? e.status !== undefined && e.error === undefined : e.error === error), outcomeOf);
    if (fault !== undefined) this.#check('faults', fault, (e) => e.faults.some((label) => faultMatches(label, fault)), (e) => [...e.faults]);
    this.#leaves = criteria.body === undefined ? [] : leavesOf(criteria.body, []);
  }

  /** How many criteria can be met: the checks and each field of `body`. */
  get total(): number {
    return this.#checks.length + this.#leaves.length;
  }

  inWindow(entry: Recorded): boolean {
    return (this.scope === undefined || entry.tenant === this.scope) && (this.since === undefined || entry.startedAt >= this.since);
  }

  matches(entry: Recorded): boolean {
    if (!this.inWindow(entry)) return false;
    for (const check of this.#checks) if (!check.test(entry)) return false;
    if (this.#leaves.length === 0) return true;
    return this.#possibleLeaves(entry) === this.#leaves.length && this.#bestItem(entry).met === this.#leaves.length;
  }

  /**
   * The entries of `entries` that match, and (`nearMisses` > 0) the closest others, best first
   * (newest first among equals). Bodies are parsed only where needed: each entry's score is first
   * bounded from its raw bytes, then entries are scored exactly from the highest bound down, until
   * no bound left can match or enter the near misses (a full journal is 10,000 bodies).
   */
  search(entries: Recorded[], nearMisses = NEAR_MISSES): { matching: Recorded[]; nearMisses: NearMiss[] } {
    const total = this.total;
    // By bound, each in journal order (oldest first): no sort of the whole window.
    const byBound: Array<Array<{ entry: Recorded; checks: number }>> = Array.from({ length: total + 1 }, () => []);
    for (const entry of entries) {
      if (!this.inWindow(entry)) continue;
      let checks = 0;
      for (const check of this.#checks) if (check.test(entry)) checks++;
      const bound = checks + (this.#leaves.length === 0 ? 0 : this.#possibleLeaves(entry));
      if (bound === total || (nearMisses > 0 && bound > 0)) byBound[bound]!.push({ entry, checks });
    }
    const matching: Recorded[] = [];
    const close: Array<{ entry: Recorded; met: number }> = [];
    for (let bound = total; bound >= 0; bound--) {
      if (bound < total && (nearMisses === 0 || (close.length === nearMisses && bound < close[nearMisses - 1]!.met))) break;
      const bucket = byBound[bound]!;
      for (let i = bucket.length - 1; i >= 0; i--) {
        const { entry, checks } = bucket[i]!;
        // No field of `body` possible: nothing to parse.
        const met = bound === checks ? checks : checks + this.#bestItem(entry).met;
        if (met === total) matching.push(entry);
        else if (nearMisses > 0 && met > 0) keepClosest(close, { entry, met }, nearMisses);
      }
    }
    matching.sort((a, b) => a.id - b.id);
    return { matching, nearMisses: close.map(({ entry }) => ({ entry: presentEntry(entry), differences: this.#differences(entry) })) };
  }

  /** How many fields of `body` the entry may meet, judged from its raw bytes (an upper bound). */
  #possibleLeaves(entry: Recorded): number {
    const raw = entry.requestBody;
    // Escapes could spell a value differently: then every field may match.
    if (entry.requestBytes !== undefined || raw.includes(BACKSLASH)) return this.#leaves.length;
    let possible = 0;
    for (const leaf of this.#leaves) if (leaf.needle === undefined || raw.includes(leaf.needle)) possible++;
    return possible;
  }

  #check(path: string, expected: unknown, test: Check['test'], actual: (entry: Recorded) => unknown): void {
    this.#checks.push({ test, difference: (entry) => ({ path, expected, actual: actual(entry) }) });
  }

  #differences(entry: Recorded): Difference[] {
    const differences = this.#checks.filter((check) => !check.test(entry)).map((check) => check.difference(entry));
    if (this.#leaves.length === 0) return differences;
    const { item, index, isArray } = this.#bestItem(entry);
    const prefix = isArray ? `request.body[${index}]` : 'request.body';
    for (const leaf of this.#leaves) {
      const actual = valueAt(item, leaf.path);
      if (!partiallyEqual(leaf.expected, actual)) differences.push({ path: [prefix, ...leaf.path].join('.'), expected: leaf.expected, actual: actual === undefined ? null : actual });
    }
    return differences;
  }

  /** The request item meeting the most body fields (a batch body holds several). */
  #bestItem(entry: Recorded): { item: unknown; index: number; isArray: boolean; met: number } {
    const body = requestBodyOf(entry);
    const items = Array.isArray(body) ? body : [body];
    let best = { item: items[0], index: 0, isArray: Array.isArray(body), met: -1 };
    items.forEach((item, index) => {
      const met = this.#leaves.reduce((n, leaf) => n + (partiallyEqual(leaf.expected, valueAt(item, leaf.path)) ? 1 : 0), 0);
      if (met > best.met) best = { item, index, isArray: best.isArray, met };
    });
    return best;
  }
}

/** Inserts `miss` into `close` (most criteria met first, then newest), keeping at most `limit`. */
function keepClosest(close: Array<{ entry: Recorded; met: number }>, miss: { entry: Recorded; met: number }, limit: number): void {
  let at = close.length;
  while (at > 0 && (close[at - 1]!.met < miss.met || (close[at - 1]!.met === miss.met && close[at - 1]!.entry.id < miss.entry.id))) at--;
  if (at >= limit) return;
  close.splice(at, 0, miss);
  if (close.length > limit) close.pop();
}

/** `ServerFailure` matches `rule-2:ServerFailure+latency=5`; `latency` matches `header:latency=800`; a whole label matches itself. */
export function faultMatches(label: string, fault: string): boolean {
  if (label === fault) return true;
  const items = label.slice(label.indexOf(':') + 1).split('+');
  return items.some((item) => item === fault || item.startsWith(`${fault}=`));
}

/** How an entry was answered, in the words `error` takes. */
function outcomeOf(entry: Recorded): string {
  if (entry.status === undefined) return 'no answer (connection cut)';
  return entry.error ?? 'none';
}

/** The fields of a partial body, nested objects flattened to their own fields. */
function leavesOf(body: Record<string, unknown>, path: string[]): Leaf[] {
  return Object.entries(body).flatMap(([name, value]) =>
    isPlainObject(value) && Object.keys(value).length > 0
      ? leavesOf(value, [...path, name])
      : [{ path: [...path, name], expected: value, needle: typeof value === 'string' ? Buffer.from(JSON.stringify(value)) : undefined }],
  );
}

function valueAt(value: unknown, path: string[]): unknown {
  let at = value;
  for (const name of path) {
    if (!isPlainObject(at) || !Object.hasOwn(at, name)) return undefined;
    at = at[name];
  }
  return at;
}

/** Equal, where objects need only the expected fields (arrays: the same length, items compared so). */
export function partiallyEqual(expected: unknown, actual: unknown): boolean {
  if (isPlainObject(expected)) return isPlainObject(actual) && Object.entries(expected).every(([name, value]) => Object.hasOwn(actual, name) && partiallyEqual(value, actual[name]));
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((value, i) => partiallyEqual(value, actual[i]));
  return Object.is(expected, actual);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
