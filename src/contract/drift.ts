import type { Template } from '../vendor/profile.js';
import type { Drift } from './outcome.js';

/**
 * Compares an answer with a profile's template, key by key: the keys and their casing, the fixed
 * words (status words, messages), and the kind of value each placeholder stands for. Every
 * difference is one Drift, named by operation and JSON path. Keys the template does not name are
 * not differences (clients read the keys they know), except to name a key renamed.
 */
export function templateDrift(operation: string, template: Template, body: unknown, message?: string): Drift[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [{ operation, path: '$', expected: `an object with the keys ${keyList(Object.keys(template))}`, seen: kindOf(body) }];
  }
  const answer = body as Record<string, unknown>;
  const drift: Drift[] = [];
  const unexplained = Object.keys(answer).filter((key) => !Object.hasOwn(template, key));
  for (const [key, want] of Object.entries(template)) {
    const path = jsonPath(key);
    if (!Object.hasOwn(answer, key)) {
      const cased = unexplained.find((other) => other.toLowerCase() === key.toLowerCase());
      const seen = cased !== undefined ? `the key "${cased}" (another casing)` : unexplained.length > 0 ? `absent; the answer has ${keyList(unexplained)}` : 'absent';
      drift.push({ operation, path, expected: `the key "${key}"`, seen });
      continue;
    }
    const value = answer[key];
    const expected = expectation(want, message);
    if (!expected.matches(value)) drift.push({ operation, path, expected: expected.text, seen: describe(value) });
  }
  return drift;
}

type Expectation = { text: string; matches: (value: unknown) => boolean };

function expectation(want: unknown, message: string | undefined): Expectation {
  switch (want) {
    case '$customers':
      return { text: 'a list of customers', matches: Array.isArray };
    case '$customer':
      return { text: 'one customer (an object)', matches: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) };
    case '$customerIds':
      return { text: 'the customer ids, a string of digits', matches: (v) => typeof v === 'string' && /^\d+(,\d+)*$/.test(v) };
    case '$contactIds':
      return { text: 'the contact ids, a list of strings', matches: (v) => Array.isArray(v) && v.every((id) => typeof id === 'string') };
    case '$message':
      return message === undefined
        ? { text: 'a failure text (a non-empty string)', matches: (v) => typeof v === 'string' && v.length > 0 }
        : { text: JSON.stringify(message), matches: (v) => v === message };
    default:
      return { text: JSON.stringify(want), matches: (v) => JSON.stringify(v) === JSON.stringify(want) };
  }
}

/** `$.status`, `$["Kapture Customer Id"]`. */
export function jsonPath(key: string, parent = '$'): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** A value as a drift report shows it: short JSON for words, the kind for anything larger. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value.length <= 80 ? JSON.stringify(value) : 'a long string';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  return kindOf(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'absent';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with the keys ${keyList(Object.keys(value))}`;
  return `a ${typeof value}`;
}

function keyList(keys: string[]): string {
  return keys.map((key) => `"${key}"`).join(', ') || 'no keys';
}

/** One line per difference, for messages: `addCustomer $.status: expected "Success", seen "success"`. */
export function driftLines(drift: Drift[]): string {
  return drift.map((d) => `${d.operation} ${d.path}: expected ${d.expected}, seen ${d.seen}`).join('\n');
}
