import type { ValidateFunction } from 'ajv';
import { componentSchema, derefSchema, type JsonSchema } from '../spec.js';
import { specValidator } from './ajv.js';
import { suggestField } from './suggest.js';

/** One request field as the spec defines it, with its compiled validator. */
type FieldRule = {
  name: string;
  /** In `required`: missing, empty or malformed fails the request. */
  mandatory: boolean;
  /** Optional, but held to the mandatory rules when sent (`x-sandbox-strict-optional`). */
  strict: boolean;
  /** What a valid value looks like, for messages: the schema's own description. */
  expect: string;
  /** Compiled on first use: compiling every field up front would add ~150 ms to each start. */
  validate: (value: unknown) => boolean;
};

export type ItemRules = {
  fields: Map<string, FieldRule>;
  /**
   * `x-sandbox-requires`: groups of fields of which each needs one (today's Get Customer: one of
   * kapture_customer_id, email_id, phone). The fields of a group are held to the mandatory rules when sent.
   */
  requires?: string[][];
  /** Every field of `requires`, worked out once (the request path reads it). */
  grouped?: ReadonlySet<string>;
  /** `x-sandbox-aliases`: another name accepted for a field (`name` for `contact_person`). */
  aliases: Map<string, string>;
  known: string[];
};

export type ItemVerdict =
  | { ok: true; values: Record<string, unknown>; warnings: string[] }
  | { ok: false; field: string; message: string };

/**
 * Compiles the per-field rules of a request item schema (e.g. `AddCustomerItem`) from the spec.
 * Fields are validated one by one, not the item as a whole, because Kapture treats them
 * differently: a bad mandatory field fails the request, a bad optional one is dropped.
 */
export function compileItemRules(schemaName: string): ItemRules {
  const schema = componentSchema(schemaName);
  const aliases = new Map(Object.entries((schema['x-sandbox-aliases'] ?? {}) as Record<string, string>));
  // Mandatory: `required`, plus an aliased field that an `anyOf` requires under one of its names.
  const required = new Set(asStrings(schema.required));
  const anyOfRequired = ((schema.anyOf as JsonSchema[] | undefined) ?? []).flatMap((branch) => asStrings(branch.required));
  for (const target of aliases.values()) {
    if (anyOfRequired.includes(target)) required.add(target);
  }
  const strict = new Set(asStrings(schema['x-sandbox-strict-optional']));
  const fields = new Map<string, FieldRule>();
  const owners: Array<[string, JsonSchema]> = [[schemaName, schema]];
  for (const part of (schema.allOf as JsonSchema[] | undefined) ?? []) {
    const ref = String(part.$ref ?? '');
    owners.push([ref.split('/').pop() ?? '', derefSchema(part)]);
  }
  for (const [owner, ownerSchema] of owners) {
    const properties = (ownerSchema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, property] of Object.entries(properties)) {
      fields.set(name, {
        name,
        mandatory: required.has(name),
        strict: strict.has(name),
        expect: describe(property),
        validate: lazyValidator(`${owner}/properties/${name}`),
      });
    }
  }
  for (const name of required) {
    if (!fields.has(name)) throw new Error(`openapi: ${schemaName} requires ${name} but does not define it`);
  }
  const requires = schema['x-sandbox-requires'] as string[][] | undefined;
  for (const name of (requires ?? []).flat()) {
    if (!fields.has(name)) throw new Error(`openapi: ${schemaName} x-sandbox-requires ${name} but does not define it`);
  }
  return { fields, aliases, known: [...fields.keys()], ...(requires ? { requires, grouped: new Set(requires.flat()) } : {}) };
}

/** How a profile bends the spec's field rules (see `openapi/profile.schema.json`). */
export type ItemOptions = {
  /** The optional fields the API key was configured with: others are dropped with a warning. */
  mapped?: ReadonlySet<string>;
  /** Groups of mandatory fields replacing the spec's `required` (add: name plus phone or email). */
  requires?: string[][];
  /**
   * A field sent as `""` counts as not sent (today's clients send every key, unused ones empty).
   * `warn`: say so where the 2016 document's rules would refuse the empty value (a document-shape
   * request on a profile of today's Kapture); `silent`: a request of today's shape, where `""` is
   * how a client says "not given".
   */
  emptyMeansAbsent?: 'warn' | 'silent' | false;
};

/**
 * Applies the field rules to one item of a body. `at` prefixes field names in messages for
 * batches (`[1].email`). `mapped`, when given, lists the optional fields the API key was
 * configured with: others are dropped with a warning, as Kapture drops unmapped fields.
 */
export function checkItem(rules: ItemRules, item: Record<string, unknown>, at = '', options: ItemOptions = {}): ItemVerdict {
  const { mapped, emptyMeansAbsent } = options;
  const requires = options.requires ?? rules.requires;
  const grouped = options.requires ? new Set(options.requires.flat()) : rules.grouped;
  let warnings = NO_WARNINGS;
  // Only names of the spec's fields become keys of `present` and `values` (never a body's own
  // key), so a key such as "__proto__" can never reach a prototype.
  const present: Record<string, unknown> = {};
  for (const key of Object.keys(item)) {
    const rule = rules.fields.get(key);
    if (rule) {
      if (emptyMeansAbsent && item[key] === '') {
        if (emptyMeansAbsent === 'warn' && (rule.mandatory || rule.strict)) warnings = warned(warnings, `field "${at}${key}" is empty: taken as not sent, as today's Kapture does (the 2016 document refuses an empty ${key})`);
        continue;
      }
      present[rule.name] = item[key];
      continue;
    }
    const hint = suggestField(key, rules.known);
    warnings = warned(warnings, `unknown field ${quoteKey(at + key)} ignored${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  for (const [alias, target] of rules.aliases) {
    if (!Object.hasOwn(present, alias)) continue;
    if (Object.hasOwn(present, target)) warnings = warned(warnings, `field "${at}${alias}" ignored: "${target}" was sent too and wins`);
    else present[target] = present[alias];
    delete present[alias];
  }
  const values: Record<string, unknown> = {};
  for (const rule of rules.fields.values()) {
    if (rules.aliases.has(rule.name)) continue;
    const mandatory = grouped ? false : rule.mandatory;
    if (!Object.hasOwn(present, rule.name)) {
      if (mandatory) return fail(at + rule.name, `Mandatory field missing: ${at}${rule.name}${aliasHint(rules, rule.name)}`);
      if (options.requires && rule.mandatory) warnings = warned(warnings, `no ${at}${rule.name}: accepted, as this profile requires ${describeGroups(options.requires)}; the 2016 document's add requires ${rule.name}`);
      continue;
    }
    const value = present[rule.name];
    if (rule.mandatory || rule.strict || grouped?.has(rule.name)) {
      const problem = mandatoryProblem(rule, value);
      if (problem) return fail(at + rule.name, `Mandatory field ${problem.kind}: ${at}${rule.name}${problem.detail}`);
      values[rule.name] = value;
      continue;
    }
    if (mapped && !mapped.has(rule.name)) {
      warnings = warned(warnings, `field "${at}${rule.name}" ignored: this API key is not configured with it`);
    } else if (!rule.validate(value)) {
      warnings = warned(warnings, `field "${at}${rule.name}" ignored: expected ${rule.expect}, got ${snippet(value)}`);
    } else {
      values[rule.name] = value;
    }
  }
  for (const group of requires ?? []) {
    if (!group.some((field) => Object.hasOwn(values, field))) {
      const missing = `${at}${group.join(` or ${at}`)}`;
      return fail(`${at}${group[0]}`, `Mandatory field missing: ${missing}`);
    }
  }
  return { ok: true, values, warnings };
}

/** The warnings of an item that raised none: shared, never written (see `warned`). */
const NO_WARNINGS: string[] = [];

/** `warnings` with `message` added: a list of its own once there is one (a plain function: no closure per item). */
function warned(warnings: string[], message: string): string[] {
  const list = warnings === NO_WARNINGS ? [] : warnings;
  list.push(message);
  return list;
}

function describeGroups(groups: string[][]): string {
  return groups.map((group) => group.join(' or ')).join(' plus ');
}

function lazyValidator(pointer: string): (value: unknown) => boolean {
  let compiled: ValidateFunction | undefined;
  return (value) => (compiled ??= specValidator(pointer))(value);
}

function mandatoryProblem(rule: FieldRule, value: unknown): { kind: string; detail: string } | undefined {
  if (value === null || value === undefined) return { kind: 'missing', detail: ' (it is null)' };
  if (typeof value === 'string' && value.trim() === '') return { kind: 'empty', detail: '' };
  if (rule.validate(value)) return undefined;
  return { kind: 'malformed', detail: ` (expected ${rule.expect}, got ${snippet(value)})` };
}

function aliasHint(rules: ItemRules, name: string): string {
  const alias = [...rules.aliases].find(([, target]) => target === name)?.[0];
  return alias ? ` (or ${alias})` : '';
}

function fail(field: string, message: string): ItemVerdict {
  return { ok: false, field, message };
}

function describe(property: JsonSchema): string {
  const target = derefSchema(property);
  const text = target.description ?? property.description;
  if (typeof text === 'string') return text.split('\n')[0]!.replace(/\.$/, '');
  return typeof target.type === 'string' ? `a ${target.type}` : 'a valid value';
}

/**
 * A short rendering of a bad value: enough to recognise it, never a flood, and never a walk of the
 * whole value (a body may nest thousands of levels deep).
 */
export function snippet(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A field name as a message quotes it: a body's key can be any length. */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key);
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
