/**
 * JSON as documentation shows it: `...` stands for what was left out. An object with `...` shows
 * some of its members; an array with `...` some of its items, in order. Without `...`, an object or
 * array is shown whole. `compareShown` lists where a real answer differs from what was shown, so a
 * README answer that is cut short is still checked for everything it does show.
 *
 * @example
 * compareShown(parseShown('{"message":[{"id":286829,...}],"status":"success"}'), answer)
 * // [] when answer.message has exactly one item whose id is 286829, and status is "success"
 */

export type Shown =
  | { kind: 'value'; value: string | number | boolean | null }
  | { kind: 'object'; members: Array<[string, Shown]>; elided: boolean }
  | { kind: 'array'; items: Shown[]; elided: boolean };

/** How docs write what was left out: three dots, or the one-character ellipsis. */
const ELLIPSES = ['...', '\u2026'];
const STRING = /^"(?:[^"\\]|\\.)*"/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const LITERAL = /^(?:true|false|null)/;

/** Whether a block of docs leaves something out. */
export function isCutShort(text: string): boolean {
  return ELLIPSES.some((ellipsis) => text.includes(ellipsis));
}

/** Parses shown JSON; throws saying where it is neither JSON nor `...`. */
export function parseShown(text: string): Shown {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`shown JSON: expected ${what} at offset ${at}: ${JSON.stringify(text.slice(at, at + 30))}`);
  };
  const skip = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const take = (token: string): boolean => {
    skip();
    if (!text.startsWith(token, at)) return false;
    at += token.length;
    return true;
  };
  const primitive = (pattern: RegExp): Shown | undefined => {
    const match = pattern.exec(text.slice(at));
    if (!match) return undefined;
    at += match[0].length;
    return { kind: 'value', value: JSON.parse(match[0]) as string | number | boolean | null };
  };
  // Members or items up to `close`, each followed by a comma or not (`, ... "key"` is how docs elide).
  const sequence = (close: string, one: () => void): boolean => {
    let elided = false;
    while (!take(close)) {
      if (at >= text.length) fail(`"${close}"`);
      if (ELLIPSES.some(take)) elided = true;
      else one();
      take(',');
    }
    return elided;
  };
  const value = (): Shown => {
    skip();
    if (take('{')) {
      const members: Array<[string, Shown]> = [];
      const elided = sequence('}', () => {
        skip();
        const key = primitive(STRING) ?? fail('a key or "..."');
        if (!take(':')) fail('":"');
        members.push([(key as { value: string }).value, value()]);
      });
      return { kind: 'object', members, elided };
    }
    if (take('[')) {
      const items: Shown[] = [];
      const elided = sequence(']', () => items.push(value()));
      return { kind: 'array', items, elided };
    }
    return primitive(STRING) ?? primitive(NUMBER) ?? primitive(LITERAL) ?? fail('a JSON value');
  };
  const shown = value();
  skip();
  if (at < text.length) fail('the end');
  return shown;
}

/** Where `actual` differs from what was shown, as `path: shown X, answered Y`; empty when it agrees. */
export function compareShown(shown: Shown, actual: unknown, path = '$'): string[] {
  if (shown.kind === 'value') {
    return Object.is(shown.value, actual) ? [] : [`${path}: shown ${JSON.stringify(shown.value)}, answered ${describe(actual)}`];
  }
  if (shown.kind === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: shown an object, answered ${describe(actual)}`];
    const record = actual as Record<string, unknown>;
    const differences = shown.members.flatMap(([key, member]) =>
      Object.hasOwn(record, key) ? compareShown(member, record[key], `${path}.${key}`) : [`${path}.${key}: shown, absent from the answer`],
    );
    if (!shown.elided) {
      const unshown = Object.keys(record).filter((key) => !shown.members.some(([name]) => name === key));
      if (unshown.length > 0) differences.push(`${path}: shown whole, but the answer also has ${unshown.join(', ')}`);
    }
    return differences;
  }
  if (!Array.isArray(actual)) return [`${path}: shown an array, answered ${describe(actual)}`];
  if (!shown.elided) {
    if (actual.length !== shown.items.length) return [`${path}: shown ${shown.items.length} items, answered ${actual.length}`];
    return shown.items.flatMap((item, index) => compareShown(item, actual[index], `${path}[${index}]`));
  }
  // Elided: each shown item must match a later answered item than the one before it.
  let from = 0;
  for (const [index, item] of shown.items.entries()) {
    const found = actual.findIndex((candidate, position) => position >= from && compareShown(item, candidate).length === 0);
    if (found < 0) return [`${path}: shown item ${index} matches no answered item from [${from}] on`];
    from = found + 1;
  }
  return [];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
