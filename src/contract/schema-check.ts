import type { ErrorObject } from 'ajv';
import { loadSpec, type JsonSchema } from '../spec.js';
import { specValidator } from '../validation/ajv.js';

const MAX_PROBLEMS = 5;
const MAX_VALUE_LENGTH = 80;

/**
 * Validates `value` against a component schema of the spec. Undefined when it is valid, else one
 * line per problem: the JSON pointer, the offending value, what the spec wants, and the
 * description of the spec schema that holds the rule (so "must match pattern ^(Jan|Feb..." also
 * says "GsonDate: Java Gson's default date format").
 */
export function schemaProblems(schemaName: string, value: unknown): string | undefined {
  const validate = specValidator(schemaName);
  if (validate(value)) return undefined;
  // The same rule broken by every item of a list is one problem: shown once, with a count.
  const groups = new Map<string, { first: ErrorObject; more: number }>();
  for (const error of (validate.errors ?? []).filter((e) => !isSummaryError(e))) {
    const key = `${error.instancePath.replace(/\/\d+(?=\/|$)/g, '/*')} ${error.schemaPath} ${JSON.stringify(error.params)}`;
    const group = groups.get(key);
    if (group) group.more++;
    else groups.set(key, { first: error, more: 0 });
  }
  const all = [...groups.values()];
  const lines = all.slice(0, MAX_PROBLEMS).map(({ first, more }) => describeError(schemaName, value, first) + (more > 0 ? ` (and ${more} more like it)` : ''));
  if (all.length > MAX_PROBLEMS) lines.push(`and ${all.length - MAX_PROBLEMS} more problems`);
  return lines.join('; ');
}

/** Ajv adds an "must match a schema in anyOf/oneOf" line after the branch errors; the branches say more. */
function isSummaryError(error: ErrorObject): boolean {
  return error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

function describeError(schemaName: string, root: unknown, error: ErrorObject): string {
  const pointer = error.instancePath || '(the body)';
  const rule = ruleAt(schemaName, error.instancePath);
  const where = rule ? ` [${rule}]` : '';
  if (error.keyword === 'required') {
    return `${pointer} lacks the required key "${String(error.params.missingProperty)}"${where}`;
  }
  const shown = show(valueAt(root, error.instancePath));
  if (error.keyword === 'const') {
    return `${pointer} is ${shown}, the spec wants ${JSON.stringify(error.params.allowedValue)}${where}`;
  }
  // A pattern is unreadable in a message; the rule's description says what it means.
  if (error.keyword === 'pattern' && rule) return `${pointer} is ${shown}, not in the form the spec wants${where}`;
  return `${pointer} is ${shown}: ${error.message ?? 'invalid'}${where}`;
}

/** A short rendering of an offending value: JSON, cut at 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}...` : text;
}

/** The value a JSON pointer (RFC 6901) designates, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

/**
 * `Name: description` of the innermost spec schema with a description along the instance path,
 * following `properties`, `items` and `$ref`s. Undefined when none has one.
 */
function ruleAt(schemaName: string, pointer: string): string | undefined {
  const schemas = loadSpec().components.schemas;
  let name = schemaName;
  let schema: JsonSchema | undefined = schemas[name];
  let found: string | undefined;
  const note = () => {
    if (schema && typeof schema.description === 'string') found = `${name}: ${schema.description}`;
  };
  const follow = () => {
    while (schema && typeof schema.$ref === 'string') {
      name = schema.$ref.replace('#/components/schemas/', '');
      schema = schemas[name];
      note();
    }
  };
  note();
  follow();
  const tokens = pointer === '' ? [] : pointer.slice(1).split('/');
  for (const token of tokens) {
    if (!schema) break;
    const properties = schema.properties as Record<string, JsonSchema> | undefined;
    if (properties && Object.hasOwn(properties, token)) {
      schema = properties[token];
      name = `${name}.${token}`;
    } else if (/^\d+$/.test(token) && schema.items && typeof schema.items === 'object') {
      schema = schema.items as JsonSchema;
    } else {
      break;
    }
    note();
    follow();
  }
  return found;
}
