import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// js-yaml, not `yaml`: it parses this spec ~10x faster (30 ms against 300 ms), and the spec is
// parsed at every start.
import { load } from 'js-yaml';
import type { OpenAPIV3_1 } from 'openapi-types';

/** Where the hand-written spec lives; everything that validates is compiled from it. */
export const SPEC_PATH = fileURLToPath(new URL('../openapi/kapture-customer-api.yaml', import.meta.url));

/**
 * A component schema, read keyword by keyword: OpenAPI 3.1 schemas are JSON Schema, which Ajv
 * compiles as it is, and this spec's own keywords (`x-sandbox-aliases`, `x-sandbox-requires`...)
 * sit beside the standard ones, where openapi-types' SchemaObject has no room for them.
 */
export type JsonSchema = { [keyword: string]: unknown };

/** What this spec's operations add to OpenAPI's: the operationIds a shared URL serves (add and update). */
export type SpecOperation = { 'x-sandbox-operations'?: string[] };

/**
 * The spec as parsed: an OpenAPI 3.1 document (openapi-types), with the paths and components this
 * spec always has (Redocly lints it: test/spec-lint.test.ts), its component schemas as JSON Schema.
 */
export type OpenApiDocument = Omit<OpenAPIV3_1.Document<SpecOperation>, 'paths' | 'components'> & {
  paths: OpenAPIV3_1.PathsObject<SpecOperation>;
  components: Omit<OpenAPIV3_1.ComponentsObject, 'schemas'> & { schemas: Record<string, JsonSchema> };
};

let loaded: OpenApiDocument | undefined;

/** The spec, parsed once per process (it is read-only at run time). */
export function loadSpec(): OpenApiDocument {
  loaded ??= load(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;
  return loaded;
}

/** Whether a part of the spec (a response, a request body, a schema) is a `$ref` to a component rather than the thing itself. */
export function isReference(value: object): value is OpenAPIV3_1.ReferenceObject {
  return typeof (value as { $ref?: unknown }).$ref === 'string';
}

/** A component schema by name; throws when the spec lacks it (a programming error, caught by tests). */
export function componentSchema(name: string): JsonSchema {
  const schema = loadSpec().components.schemas[name];
  if (!schema) throw new Error(`openapi spec has no components.schemas.${name}`);
  return schema;
}

/** Follows one local `$ref` (`#/components/schemas/X`), the only kind the spec uses. */
export function derefSchema(schema: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref} in the openapi spec`);
  return componentSchema(ref.slice(prefix.length));
}
