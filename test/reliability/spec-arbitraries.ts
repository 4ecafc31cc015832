import fc from 'fast-check';
import { componentSchema, derefSchema, type JsonSchema } from '../../src/spec.js';

/*
 * fast-check arbitraries derived from the spec's request item schemas: which fields exist, which
 * are required, and what a valid value of each looks like are read from the loaded spec, so a
 * field added to the spec is fuzzed without touching this file.
 */

const REF_PREFIX = '#/components/schemas/';

/** A JSON value, or raw JSON text spliced in as is (deep nesting that JSON.stringify cannot write). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type Value = RawJson | null | boolean | number | string | Value[] | { [key: string]: Value };
/** An object as a list of entries: keys such as `__proto__` stay plain keys, and a key may repeat. */
export type Entries = Array<[string, Value]>;

/** The fields of a request item schema, as the spec defines them. */
export type ItemShape = {
  schema: string;
  properties: Array<[string, JsonSchema]>;
  required: string[];
  /** From `anyOf` branches: at least one field of each group must be sent (`contact_person` or `name`). */
  groups: string[][];
};

export function itemShape(schemaName: string): ItemShape {
  const schema = componentSchema(schemaName);
  const parts: JsonSchema[] = [schema, ...((schema.allOf as JsonSchema[] | undefined) ?? []).map(derefSchema)];
  const properties = parts.flatMap((part) => Object.entries((part.properties ?? {}) as Record<string, JsonSchema>));
  const branches = (schema.anyOf as JsonSchema[] | undefined) ?? [];
  const group = branches.flatMap((branch) => strings(branch.required));
  return { schema: schemaName, properties, required: strings(schema.required), groups: group.length > 0 ? [group] : [] };
}

export type ArbitraryContext = {
  /** Ids of customers that exist (the seed's): a CustomerId is usually one of them, so updates can succeed. */
  existingCustomerIds: number[];
};

/** Units that break naive string handling: NUL, combining marks, astral and lone surrogates, bidi, BOM, ZWJ. */
export const NASTY_UNITS = [
  '\u0000', 'e\u0301', '\u0301', '😀', '𝕏', '👩‍💻', '\uD800', '\uDFFF', '\u202E', '\uFEFF', '\u200D',
  '\u00A0', '\u2028', ' ', '\t', '\n', '"', '\\', "'", '<', '&', '%', '$', '`', 'a', 'Z', '9', 'é', 'ß', 'ı', 'İ',
];

/** Strings of every kind: ASCII, graphemes, any code point, and the nasty units above. */
export function anyText(maxLength = 24): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom(...NASTY_UNITS), maxLength }),
  );
}

/** A valid value for a property schema (a `$ref`, `oneOf`, string with pattern or format, integer...). */
export function valueArb(property: JsonSchema, context: ArbitraryContext): fc.Arbitrary<Value> {
  // Both customer id schemas: Kapture's id, and the source id that falls back to it.
  const customerId = property.$ref === `${REF_PREFIX}CustomerId` || property.$ref === `${REF_PREFIX}SourceCustomerId`;
  if (customerId && context.existingCustomerIds.length > 0) {
    const existing = fc.constantFrom(...context.existingCustomerIds);
    // Both forms the schema allows: digits as a string, or a number.
    return fc.oneof(
      { weight: 6, arbitrary: existing.chain((id) => fc.constantFrom<Value>(String(id), id)) },
      { weight: 1, arbitrary: schemaValueArb(derefSchema(property), context) },
    );
  }
  return schemaValueArb(derefSchema(property), context);
}

function schemaValueArb(schema: JsonSchema, context: ArbitraryContext): fc.Arbitrary<Value> {
  if (schema.const !== undefined) return fc.constant(schema.const as Value);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Value[]));
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (branches) return fc.oneof(...branches.map((branch) => valueArb(branch, context)));
  if (schema.$ref) return valueArb(schema, context);
  switch (schema.type) {
    case 'integer': {
      const min = BigInt((schema.minimum as number | undefined) ?? Number.MIN_SAFE_INTEGER);
      const max = BigInt((schema.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER);
      return fc.bigInt({ min, max }).map(Number);
    }
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringArb(schema);
    default:
      throw new Error(`the fuzz cannot generate a value for ${JSON.stringify(schema)}: teach spec-arbitraries.ts this schema`);
  }
}

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  switch (schema.format) {
    case 'email':
      return fc.emailAddress();
    case 'date':
      return calendarDate().map((date) => date.slice(0, 10));
    case 'kapture-date-time':
      // The sandbox's own format: `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` or `YYYY-MM-DDThh:mm:ss` (see its pattern).
      return fc.tuple(calendarDate(), fc.constantFrom('', ' ', 'T')).map(([iso, separator]) => (separator === '' ? iso.slice(0, 10) : `${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}`));
    case undefined:
      break;
    default:
      throw new Error(`the fuzz cannot generate format ${String(schema.format)}: teach spec-arbitraries.ts this format`);
  }
  if (typeof schema.pattern === 'string') {
    const core = fc.stringMatching(new RegExp(schema.pattern));
    // An unanchored pattern (`\S`) matches any text around a match: hostile unicode fits in there.
    const anchored = schema.pattern.startsWith('^') || schema.pattern.endsWith('$');
    const text = anchored ? core : fc.tuple(anyText(8), core, anyText(8)).map(([before, match, after]) => before + match + after);
    return text.filter((value) => value.length >= minLength);
  }
  return anyText().filter((text) => text.length >= minLength);
}

/** An ISO instant between 2010 and 2035 (the seed's customers are from 2016 and 2024-2025, the fuzz's from 2026). */
function calendarDate(): fc.Arbitrary<string> {
  return fc.date({ min: new Date('2010-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString());
}

/** A valid item of the shape: every required field, at least one of each group, some optional fields. */
export function validItemArb(shape: ItemShape, context: ArbitraryContext): fc.Arbitrary<Entries> {
  const mandatory = new Set(shape.required);
  const inGroup = new Set(shape.groups.flat());
  const groupChoice = fc.tuple(...shape.groups.map((group) => fc.subarray(group, { minLength: 1 })));
  const fields = shape.properties.map(([name, property]) => {
    const entry = valueArb(property, context).map((value): [string, Value] => [name, value]);
    // Mandatory and group fields are always generated (a group field is kept if chosen below).
    return mandatory.has(name) || inGroup.has(name) ? entry : fc.option(entry, { nil: undefined, freq: 2 });
  });
  return fc.tuple(groupChoice, fc.tuple(...fields)).map(([chosen, generated]) => {
    const sent = new Set(chosen.flat());
    return generated.filter((entry): entry is [string, Value] => entry !== undefined && (!inGroup.has(entry[0]) || sent.has(entry[0])));
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** JSON text of a value: entries keep their order and duplicates, RawJson is spliced in as is. */
export function jsonText(value: Value | Entries, asEntries = false): string {
  if (asEntries) return `{${(value as Entries).map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => jsonText(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') return jsonText(Object.entries(value), true);
  return JSON.stringify(value);
}
