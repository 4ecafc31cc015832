/**
 * Builds the Postman collection from the spec: one request per vendor operation (add and update
 * apart), the document's sample bodies from the spec's examples, then one request per example of
 * today's request shapes (the spec's other vendor examples: Get Customer, the pull by date range,
 * the nested add-update), which answer `"status": "success"` on every built-in profile, `Authorization: Basic {{apiKey}}`
 * with `apiKey` defined, and `X-Sandbox-Fault` present but disabled (an enabled placeholder
 * would fail every request). Each request carries a test that its answer is the operation's success,
 * so `newman run` is green exactly when the sandbox answers the samples as documented.
 *
 * `npm run postman` rewrites postman/kapture-sandbox.postman_collection.json;
 * test/postman.test.ts fails when the file is not what this produces.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenAPIV3_1 } from 'openapi-types';
import { isReference, loadSpec, type OpenApiDocument } from '../src/spec.js';

export const COLLECTION_PATH = fileURLToPath(new URL('./kapture-sandbox.postman_collection.json', import.meta.url));

/** Which success schema answers each operation: its `Status`/`status` const is what the request's test expects. */
const SUCCESS_SCHEMA: Record<string, string> = {
  addCustomer: 'AddCustomerSuccess',
  updateCustomer: 'UpdateCustomerSuccess',
  selectCustomers: 'CustomerList',
  searchCustomer: 'CustomerList',
  addContacts: 'AddContactsSuccess',
};

type Json = Record<string, any>;

type Request = { name: string; operation: string; path: string; summary: string; example: OpenAPIV3_1.ExampleObject; today: boolean };

/** The request examples of an operation (this spec writes them inline, never as `$ref`s). */
function examplesOf(operation: OpenAPIV3_1.OperationObject): Array<[string, OpenAPIV3_1.ExampleObject]> {
  const body = operation.requestBody;
  const examples = body && !isReference(body) ? body.content['application/json']?.examples : undefined;
  return Object.entries(examples ?? {}).flatMap(([label, example]) => (isReference(example) ? [] : [[label, example] as [string, OpenAPIV3_1.ExampleObject]]));
}

/**
 * The vendor requests in the spec's order; on the shared add/update URL each operation takes the
 * example named after it (add, update). The examples left over, and those of a URL whose operations
 * came already (today's nested add-update), are today's request shapes.
 */
function vendorRequests(spec: OpenApiDocument): Request[] {
  const requests: Request[] = [];
  const today: Request[] = [];
  const done = new Set<string>();
  for (const [path, item] of Object.entries(spec.paths)) {
    const operation = item?.post;
    if (path.startsWith('/__sandbox/') || !operation?.tags?.includes('vendor')) continue;
    const examples = examplesOf(operation);
    const names: string[] = operation['x-sandbox-operations'] ?? (operation.operationId ? [operation.operationId] : []);
    const used = new Set<string>();
    for (const name of names) {
      if (done.has(name)) continue;
      const found = names.length === 1 ? examples[0] : examples.find(([label]) => name.startsWith(label));
      if (!found) throw new Error(`the spec has no request example for ${name} on ${path}: add one named after the operation`);
      used.add(found[0]);
      requests.push({ name, operation: name, path, summary: operation.summary ?? '', example: found[1], today: false });
    }
    for (const [label, example] of examples) {
      if (used.has(label)) continue;
      const name = names.length === 1 ? names[0]! : (names.find((candidate) => candidate.startsWith(label)) ?? names[0]!);
      today.push({ name: `${name} (${label})`, operation: name, path, summary: operation.summary ?? '', example, today: true });
    }
    for (const name of names) done.add(name);
  }
  return [...requests, ...today];
}

/** The success check of one operation, from its success schema: `{"Status": "Success"}` or `{"status": "success"}`. */
function successField(spec: OpenApiDocument, operation: string): [string, string] {
  const properties = spec.components.schemas[SUCCESS_SCHEMA[operation] ?? '']?.properties as Record<string, { const?: unknown }> | undefined;
  for (const field of ['Status', 'status']) {
    const value = properties?.[field]?.const;
    if (typeof value === 'string') return [field, value];
  }
  throw new Error(`cannot tell what success looks like for ${operation}: its success schema has no Status/status const`);
}

function testScript(field: string, value: string): string[] {
  return [
    `pm.test('answers ${field}: ${value}', function () {`,
    '  pm.response.to.have.status(200);',
    "  pm.expect(pm.response.headers.get('X-Sandbox-Error'), 'X-Sandbox-Error').to.equal(undefined);",
    `  pm.expect(pm.response.json()[${JSON.stringify(field)}], pm.response.text().slice(0, 300)).to.equal(${JSON.stringify(value)});`,
    '});',
  ];
}

function item(spec: OpenApiDocument, request: Request): Json {
  const [field, value] = request.today ? ['status', 'success'] : successField(spec, request.operation);
  const segment = request.path.replace(/^\//, '');
  const fault = spec.components.parameters?.XSandboxFault;
  if (!fault || isReference(fault)) throw new Error('the spec has no X-Sandbox-Fault header parameter (components.parameters.XSandboxFault)');
  return {
    name: request.name,
    request: {
      description: `${request.summary}. Body: ${request.example.summary ?? 'the document sample'}.`,
      method: 'POST',
      header: [
        { key: 'Authorization', value: 'Basic {{apiKey}}' },
        { key: 'Content-Type', value: 'application/json' },
        {
          key: 'X-Sandbox-Fault',
          value: String(fault.example),
          disabled: true,
          description: 'Sandbox only: tick it to inject faults into this request (an error code, status=NNN, latency=MS, connection=reset|close|hang).',
        },
      ],
      body: { mode: 'raw', raw: JSON.stringify(request.example.value, null, 2), options: { raw: { language: 'json' } } },
      url: { raw: `{{baseUrl}}/${segment}`, host: ['{{baseUrl}}'], path: [segment] },
    },
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: testScript(field, value) } }],
  };
}

/** The collection (Postman v2.1) for a parsed spec. */
export function buildCollection(spec: OpenApiDocument = loadSpec()): Json {
  return {
    info: {
      name: spec.info.title,
      description:
        "Kapture CRM's Customer API as kapture-sandbox serves it, generated from openapi/kapture-customer-api.yaml. " +
        'Start a sandbox (npm start), then run the requests in order; baseUrl and apiKey are collection variables.',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: vendorRequests(spec).map((request) => item(spec, request)),
    variable: [
      { key: 'baseUrl', value: spec.servers?.[0]?.url },
      { key: 'apiKey', value: 'sandbox-key' },
    ],
  };
}

export function collectionText(): string {
  return `${JSON.stringify(buildCollection(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(COLLECTION_PATH, collectionText());
  process.stdout.write(`wrote ${COLLECTION_PATH}\n`);
}
