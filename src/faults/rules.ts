import { randomInt } from 'node:crypto';
import type { ErrorCode } from '../errors.js';
import { matchesOperation, type OperationId, type OperationMatcher } from '../operations/ids.js';
import type { AppliedFault, ConnectionFault, FaultEffect } from './effects.js';
import { seededRandom } from './random.js';

/** A fault rule as the control surface receives it (validated against the spec's FaultRule). */
export type FaultRuleInput = {
  operation?: OperationMatcher;
  key?: string;
  tenant?: number;
  error?: ErrorCode;
  status?: number;
  latencyMs?: number | [number, number];
  connection?: ConnectionFault;
  probability?: number;
  seed?: number;
  after?: number;
  times?: number;
};

/** A rule as listed: its input, its id and effective seed, and how often it matched and fired. */
export type FaultRuleState = FaultRuleInput & { id: string; seed: number; matched: number; fired: number };

/** What a rule can match on: the request as sent. */
export type FaultCall = { operation: OperationId; key: string | undefined; tenant: number | undefined };

type Rule = { state: FaultRuleState; draw: () => number };

/** The fault rules, oldest first. */
export class FaultRules {
  #rules: Rule[] = [];
  #nextId = 1;

  add(input: FaultRuleInput): FaultRuleState {
    const seed = input.seed ?? randomInt(0, 2 ** 32);
    const state: FaultRuleState = { id: `rule-${this.#nextId++}`, ...input, seed, matched: 0, fired: 0 };
    this.#rules.push({ state, draw: seededRandom(seed) });
    return { ...state };
  }

  /** No rule is set: nothing can fire, whatever the request. */
  get empty(): boolean {
    return this.#rules.length === 0;
  }

  list(): FaultRuleState[] {
    return this.#rules.map((rule) => ({ ...rule.state }));
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((rule) => rule.state.id !== id);
    return this.#rules.length < before;
  }

  /** Deletes every rule, or with `tenant` the rules that match that tenant only. */
  clear(tenant?: number): number {
    const before = this.#rules.length;
    this.#rules = tenant === undefined ? [] : this.#rules.filter((rule) => rule.state.tenant !== tenant);
    return before - this.#rules.length;
  }

  /**
   * The faults of the rules that fire on this call, oldest first. Every matching rule counts the
   * call and (past `after`) draws once, even when an older rule's error will win: a rule's
   * schedule depends only on the calls it matches.
   */
  evaluate(call: FaultCall): AppliedFault[] {
    // The common case, on every vendor request: no rules, so no matching and no used-up filtering.
    if (this.#rules.length === 0) return [];
    const fired: AppliedFault[] = [];
    for (const rule of this.#rules) {
      const { state } = rule;
      if (!matches(state, call)) continue;
      state.matched++;
      if (state.matched <= (state.after ?? 0)) continue;
      if (rule.draw() >= (state.probability ?? 1)) continue;
      state.fired++;
      fired.push({ label: `${state.id}:${describe(state)}`, effect: effectOf(state, rule.draw) });
    }
    // Used up: a rule with `times` removes itself once it has fired that often.
    if (fired.length > 0) this.#rules = this.#rules.filter((rule) => rule.state.times === undefined || rule.state.fired < rule.state.times);
    return fired;
  }
}

function matches(rule: FaultRuleInput, call: FaultCall): boolean {
  return (
    (rule.operation === undefined || matchesOperation(rule.operation, call.operation)) &&
    (rule.key === undefined || rule.key === call.key) &&
    (rule.tenant === undefined || rule.tenant === call.tenant)
  );
}

function effectOf(rule: FaultRuleInput, draw: () => number): FaultEffect {
  const effect: FaultEffect = {};
  if (rule.error !== undefined) effect.error = rule.error;
  if (rule.status !== undefined) effect.status = rule.status;
  if (rule.connection !== undefined) effect.connection = rule.connection;
  if (Array.isArray(rule.latencyMs)) {
    const [min, max] = rule.latencyMs[0] <= rule.latencyMs[1] ? rule.latencyMs : [rule.latencyMs[1], rule.latencyMs[0]];
    effect.latencyMs = min + Math.floor(draw() * (max - min + 1));
  } else if (rule.latencyMs !== undefined) {
    effect.latencyMs = rule.latencyMs;
  }
  return effect;
}

function describe(rule: FaultRuleInput): string {
  const parts: string[] = [];
  if (rule.error !== undefined) parts.push(rule.error);
  if (rule.status !== undefined) parts.push(`status=${rule.status}`);
  if (rule.latencyMs !== undefined) parts.push(`latency=${Array.isArray(rule.latencyMs) ? rule.latencyMs.join('-') : rule.latencyMs}`);
  if (rule.connection !== undefined) parts.push(`connection=${rule.connection}`);
  return parts.join('+');
}
