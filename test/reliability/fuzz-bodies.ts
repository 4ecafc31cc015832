import fc from 'fast-check';
import { anyText, itemShape, jsonText, NASTY_UNITS, RawJson, validItemArb, type ArbitraryContext, type Entries, type ItemShape, type Value } from './spec-arbitraries.js';

/*
 * Request bodies for the fuzz: valid items from the spec, then mutated (a field dropped, emptied,
 * mistyped, nulled, duplicated, nested thousands deep, made huge or full of hostile unicode; extra
 * keys such as __proto__), batched, or replaced by bodies that are not items at all.
 */

/** One generated request: the exact text sent, and what was done to it (for failure reports). */
export type FuzzBody = { text: string; mutations: string[] };

type Mutation = { label: string; apply: (entries: Entries) => Entries };

/** Deep nesting and huge strings stay below these, so a body of 3 items x 2 mutations stays under the 1 MiB limit. */
const MAX_DEPTH = 20_000;
const MAX_HUGE = 20_000;

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
/** Values that would pollute Object.prototype if a body were merged naively. */
const POLLUTERS = ['{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}'];
const EMPTY_STRINGS = ['', ' ', '   ', '\t\n', '\u00A0', '\u3000', '\uFEFF', '\u2028'];

function set(entries: Entries, key: string, value: Value): Entries {
  const found = entries.some(([k]) => k === key);
  return found ? entries.map(([k, v]): [string, Value] => [k, k === key ? value : v]) : [...entries, [key, value]];
}

function describeValue(value: Value): string {
  if (value instanceof RawJson) return `raw(${value.text.length} chars)`;
  const text = jsonText(value);
  return text.length > 40 ? `${text.slice(0, 37)}...(${text.length} chars)` : text;
}

function jsonValue(): fc.Arbitrary<Value> {
  return fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Value>;
}

function wrongTyped(): fc.Arbitrary<Value> {
  return fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom<Value>(0, -1, -0, 0.5, 1e21, 1e308, 2 ** 53, 2 ** 63, 1234567, 99999999999999999, [], {}, [null], ['1234567890'], { value: 'x' }),
    fc.array(anyText(6), { maxLength: 3 }),
    fc.dictionary(anyText(6), anyText(6), { maxKeys: 3 }) as fc.Arbitrary<Value>,
  );
}

function deepValue(): fc.Arbitrary<RawJson> {
  return fc
    .tuple(fc.integer({ min: 2, max: MAX_DEPTH }), fc.constantFrom('array', 'object'))
    .map(([depth, kind]) =>
      kind === 'array' ? new RawJson(`${'['.repeat(depth)}"x"${']'.repeat(depth)}`) : new RawJson(`${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`),
    );
}

function hugeString(): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 1_000, max: MAX_HUGE }), fc.constantFrom('a', 'é', '😀', '\u0000', 'e\u0301', ' ', '9', '\uD800')).map(([length, unit]) => unit.repeat(length));
}

function hostileUnicode(): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...NASTY_UNITS), minLength: 1, maxLength: 12 });
}

function nearMiss(name: string): string[] {
  return [`${name} `, ` ${name}`, name.toUpperCase(), name.replace(/_/g, ''), name.replace(/_/g, '-'), `${name}\u0000`, `${name}s`];
}

function mutationArb(shape: ItemShape): fc.Arbitrary<Mutation> {
  const names = shape.properties.map(([name]) => name);
  const field = fc.constantFrom(...names);
  const setTo = (kind: string, value: fc.Arbitrary<Value>) =>
    fc.tuple(field, value).map(([key, v]): Mutation => ({ label: `${kind} ${key}=${describeValue(v)}`, apply: (entries) => set(entries, key, v) }));
  return fc.oneof(
    field.map((key): Mutation => ({ label: `drop ${key}`, apply: (entries) => entries.filter(([k]) => k !== key) })),
    setTo('empty', fc.constantFrom(...EMPTY_STRINGS)),
    setTo('mistype', wrongTyped()),
    setTo('null', fc.constant(null)),
    setTo('deep', deepValue()),
    setTo('huge', hugeString()),
    setTo('unicode', hostileUnicode()),
    fc.tuple(field, jsonValue()).map(([key, v]): Mutation => ({ label: `duplicate ${key}=${describeValue(v)}`, apply: (entries) => [...entries, [key, v]] })),
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), field.chain((name) => fc.constantFrom(...nearMiss(name))), anyText(12)),
        fc.oneof(fc.constantFrom(...POLLUTERS).map((text): Value => new RawJson(text)), jsonValue(), deepValue()),
      )
      .map(([key, v]): Mutation => ({ label: `extra ${JSON.stringify(key)}=${describeValue(v)}`, apply: (entries) => [...entries, [key, v]] })),
  );
}

type Item = { entries: Entries; labels: string[] };

function itemArb(shape: ItemShape, context: ArbitraryContext, neighbours: ItemShape[]): fc.Arbitrary<Item> {
  const valid = validItemArb(shape, context);
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((entries): Item => ({ entries, labels: [] })) },
    {
      weight: 5,
      arbitrary: fc.tuple(valid, fc.array(mutationArb(shape), { minLength: 1, maxLength: 2 })).map(([entries, mutations]): Item => ({
        entries: mutations.reduce((acc, mutation) => mutation.apply(acc), entries),
        labels: mutations.map((m) => m.label),
      })),
    },
    // Add and update share a URL: an item of the other kind makes a mixed batch.
    ...neighbours.map((other) => ({ weight: 1, arbitrary: validItemArb(other, context).map((entries): Item => ({ entries, labels: [`a valid ${other.schema}`] })) })),
  );
}

/** Bodies that are not an object or an array of objects, or not JSON at all. */
function oddBody(): fc.Arbitrary<FuzzBody> {
  const fixed = [
    '', ' ', 'null', 'true', '0', '-1', '"text"', '[]', '[1]', '[null]', '[[]]', '[{}]', '{}', '[{},1]', '{', '{"a":', '{"a":1}}',
    '\u0000', '\uFEFF{}', 'NaN', '{"a":NaN}', "{'a':1}", '{"a":1,}', '[{"a":1}', ...POLLUTERS,
  ];
  return fc.oneof(
    fc.constantFrom(...fixed).map((text) => ({ text, mutations: ['odd body'] })),
    deepValue().map((raw) => ({ text: raw.text, mutations: ['deep body'] })),
    fc.array(deepValue(), { minLength: 1, maxLength: 2 }).map((raws) => ({ text: `[${raws.map((r) => r.text).join(',')}]`, mutations: ['array of deep values'] })),
    anyText(40).map((text) => ({ text, mutations: ['text body'] })),
    jsonValue().map((value) => ({ text: jsonText(value), mutations: ['any JSON'] })),
  );
}

/**
 * Request bodies for one operation's item schema: mostly one item or a batch of up to 3 (each valid
 * or mutated), sometimes a body that is not items at all.
 */
export function bodyArb(itemSchema: string, context: ArbitraryContext, neighbourSchemas: string[] = []): fc.Arbitrary<FuzzBody> {
  const shape = itemShape(itemSchema);
  const items = fc.tuple(fc.array(itemArb(shape, context, neighbourSchemas.map(itemShape)), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([list, asArray]): FuzzBody => {
    const texts = list.map((item) => jsonText(item.entries, true));
    const text = asArray || texts.length > 1 ? `[${texts.join(',')}]` : texts[0]!;
    const mutations = list.flatMap((item, index) => item.labels.map((label) => (texts.length > 1 ? `[${index}] ${label}` : label)));
    return { text, mutations };
  });
  return fc.oneof({ weight: 12, arbitrary: items }, { weight: 1, arbitrary: oddBody() });
}
