import type { ValidateFunction } from 'ajv';
import type { OpenAPIV3_1 } from 'openapi-types';
import { componentSchema, isReference, loadSpec, type JsonSchema, type SpecOperation } from '../../src/spec.js';
import { describeErrors, specValidator } from '../../src/validation/ajv.js';
import { itemShape } from './spec-arbitraries.js';

/*
 * What the spec says a request and its answer must be: the URL of each operation, the schemas its
 * answers validate against, and what a body deserves (ReqFieldMissing, CustomerNotFound, Success).
 */

export const FUZZED_OPERATIONS = ['addCustomer', 'updateCustomer', 'selectCustomers', 'searchCustomer', 'addContacts'] as const;
export type FuzzedOperation = (typeof FUZZED_OPERATIONS)[number];

/** The request item schema of each operation. */
export const ITEM_SCHEMAS: Record<FuzzedOperation, string> = {
  addCustomer: 'AddCustomerItem',
  updateCustomer: 'UpdateCustomerItem',
  selectCustomers: 'SelectCustomersItem',
  searchCustomer: 'SearchCustomerItem',
  addContacts: 'AddContactsItem',
};

function post(path: string): OpenAPIV3_1.OperationObject<SpecOperation> {
  const operation = loadSpec().paths[path]?.post;
  if (!operation) throw new Error(`the spec has no POST ${path}`);
  return operation;
}

/** The JSON schema of a request body or response, as the spec writes it for this sandbox's paths (no `$ref` of the whole body). */
function jsonSchemaOf(part: OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.RequestBodyObject | OpenAPIV3_1.ResponseObject | undefined, what: string): JsonSchema {
  const schema = part && !isReference(part) ? part.content?.['application/json']?.schema : undefined;
  if (!schema) throw new Error(`the spec gives no application/json schema for ${what}`);
  return schema as JsonSchema;
}

/** The vendor URL of an operation, from the spec's paths (operationId, or x-sandbox-operations for the shared URL). */
export function operationPath(operation: FuzzedOperation): string {
  for (const [path, methods] of Object.entries(loadSpec().paths)) {
    const candidate = methods?.post;
    if (candidate && (candidate.operationId === operation || candidate['x-sandbox-operations']?.includes(operation))) return path;
  }
  throw new Error(`the spec has no path for operation ${operation}`);
}

/** The component schemas named by a schema that is a `$ref` or a oneOf/anyOf of `$ref`s. */
function componentNames(schema: JsonSchema): string[] {
  if (typeof schema.$ref === 'string') return [schema.$ref.split('/').pop()!];
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (!branches) throw new Error(`expected a $ref or a oneOf/anyOf of $refs, got ${JSON.stringify(schema)}`);
  return branches.flatMap(componentNames);
}

type NamedValidator = { name: string; validate: ValidateFunction };

function validators(schema: JsonSchema): NamedValidator[] {
  return componentNames(schema).map((name) => ({ name, validate: specValidator(name) }));
}

/** The schemas the HTTP 200 answer of a path may match (the spec's oneOf). */
export function answerValidators(path: string): NamedValidator[] {
  let response = post(path).responses?.['200'];
  if (response && isReference(response)) response = loadSpec().components.responses?.[response.$ref.split('/').pop()!];
  return validators(jsonSchemaOf(response, `the 200 answer of ${path}`));
}

/** Which of the answer schemas the answer matches, or a message saying why none does. */
export function matchAnswer(path: string, json: unknown): { ok: true; schema: string } | { ok: false; why: string } {
  const why: string[] = [];
  for (const { name, validate } of answerValidators(path)) {
    if (validate(json)) return { ok: true, schema: name };
    why.push(`${name}: ${describeErrors(validate)}`);
  }
  return { ok: false, why: why.join(' | ') };
}

/** The schemas a request body of a path may match (add and update share a URL: either body). */
export function bodyValidators(path: string): NamedValidator[] {
  return validators(jsonSchemaOf(post(path).requestBody, `the request body of ${path}`));
}

export type Expected =
  | { outcome: 'Success'; operation: FuzzedOperation; items: Array<Record<string, unknown>> }
  | { outcome: 'ReqFieldMissing' | 'CustomerNotFound'; why: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What the sandbox must answer to a body, from the spec's item schema and its field rules:
 * a body that is not an object or non-empty array of objects, a missing mandatory field, a
 * mandatory (or strict optional) field the spec's schema rejects, or a batch mixing adds and updates
 * fails with ReqFieldMissing; otherwise an unknown customer fails with CustomerNotFound; otherwise
 * it succeeds (bad optional fields and unknown keys are only warnings).
 */
export function expectedOutcome(path: string, text: string, existing: ReadonlySet<number>, sources: ReadonlyMap<string, number> = new Map()): Expected {
  const fieldMissing = (why: string): Expected => ({ outcome: 'ReqFieldMissing', why });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fieldMissing('the body is not JSON');
  }
  const items = isObject(parsed) ? [parsed] : Array.isArray(parsed) ? parsed : undefined;
  if (!items || items.length === 0 || !items.every(isObject)) return fieldMissing('the body is not an object or a non-empty array of objects');
  const operations = FUZZED_OPERATIONS.filter((op) => operationPath(op) === path);
  // The shared URL: a first item with customer_id is an update.
  const operation = operations.length === 1 ? operations[0]! : Object.hasOwn(items[0]!, 'customer_id') ? 'updateCustomer' : 'addCustomer';
  const schemaName = ITEM_SCHEMAS[operation];
  const shape = itemShape(schemaName);
  const schema = componentSchema(schemaName);
  const aliases = Object.entries((schema['x-sandbox-aliases'] ?? {}) as Record<string, string>);
  const strict = (schema['x-sandbox-strict-optional'] ?? []) as string[];
  for (const [index, item] of items.entries()) {
    if (operations.length > 1 && Object.hasOwn(item, 'customer_id') !== (operation === 'updateCustomer')) return fieldMissing(`item [${index}] mixes adds and updates`);
    for (const name of shape.required) if (!Object.hasOwn(item, name)) return fieldMissing(`item [${index}] lacks ${name}`);
    for (const group of shape.groups) if (!group.some((name) => Object.hasOwn(item, name))) return fieldMissing(`item [${index}] lacks all of ${group.join(', ')}`);
    // Mandatory and strict fields must be valid when sent; an alias counts only when its target is absent.
    const checked = [...shape.required, ...strict, ...shape.groups.flat()].filter((name) => {
      const target = aliases.find(([alias]) => alias === name)?.[1];
      return Object.hasOwn(item, name) && !(target !== undefined && Object.hasOwn(item, target));
    });
    for (const name of checked) {
      if (!specValidator(`${schemaName}/properties/${name}`)(item[name])) return fieldMissing(`item [${index}].${name} is not what the spec allows`);
    }
  }
  if (shape.required.includes('customer_id')) {
    // customer_id is a source id first, then Kapture's id; an update naming an unknown one adds the
    // customer when it carries every field an add needs (name, email and phone: the default profile).
    const known = (item: Record<string, unknown>) => resolveCustomer(item.customer_id, existing, sources) !== undefined;
    const adds = (item: Record<string, unknown>) => operation === 'updateCustomer' && ['name', 'email', 'phone'].every((name) => Object.hasOwn(item, name));
    const unknown = items.find((item) => !known(item) && !adds(item));
    if (unknown) return { outcome: 'CustomerNotFound', why: `customer ${String(unknown.customer_id)} does not exist` };
  }
  return { outcome: 'Success', operation, items };
}

/** The Kapture id a `customer_id` names: a source id first, then Kapture's own id (digits only). */
export function resolveCustomer(reference: unknown, existing: ReadonlySet<number>, sources: ReadonlyMap<string, number>): number | undefined {
  const text = String(reference);
  const bySource = sources.get(text);
  if (bySource !== undefined) return bySource;
  return /^[0-9]{1,15}$/.test(text) && existing.has(Number(text)) ? Number(text) : undefined;
}

/** True when the spec's request body schema accepts the text (then the sandbox must not say ReqFieldMissing). */
export function specAccepts(path: string, text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  return bodyValidators(path).some(({ validate }) => validate(parsed));
}

/** Where an optional plain-string request field shows in a vendor answer: `answered as \`x\`` in its description, else its camelCase. */
export function answeredAs(property: JsonSchema, name: string): string {
  const said = /answered as `(\w+)`/.exec(String(property.description ?? ''))?.[1];
  return said ?? name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
