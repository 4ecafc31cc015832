import { WRITES, type OperationId } from '../operations/ids.js';
import type { OpenAPIV3_1 } from 'openapi-types';
import { isReference, loadSpec } from '../spec.js';

/**
 * What the contract suite knows about each vendor operation, read from the spec (never from the
 * sandbox's own code, so that a sandbox bug cannot agree with itself): its URL, the schema of its
 * success answer, and the schema of a failure. The success schema of each operation is named
 * here once and checked against the spec's response, so the suite cannot drift from the spec.
 */
export type OperationContract = {
  operation: OperationId;
  path: string;
  /** components/schemas name of the success answer, e.g. `UpdateCustomerSuccess`. */
  successSchema: string;
  /** Add, update and add-contacts change data; only they are refused without --allow-writes. */
  writes: boolean;
};

export const FAILURE_SCHEMA = 'VendorFailure';

const SUCCESS_SCHEMAS: Record<OperationId, string> = {
  addCustomer: 'AddCustomerSuccess',
  updateCustomer: 'UpdateCustomerSuccess',
  selectCustomers: 'CustomerList',
  searchCustomer: 'CustomerList',
  addContacts: 'AddContactsSuccess',
};

let contracts: Record<OperationId, OperationContract> | undefined;

/** The contract of one operation; throws when the spec and this module disagree (a bug, caught by tests). */
export function operationContract(operation: OperationId): OperationContract {
  contracts ??= readContracts();
  return contracts[operation];
}

function readContracts(): Record<OperationId, OperationContract> {
  const spec = loadSpec();
  const found: Partial<Record<OperationId, OperationContract>> = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    const post = item?.post;
    if (!post) continue;
    const names = post['x-sandbox-operations'] ?? (post.operationId ? [post.operationId] : []);
    for (const name of names) {
      // The suite checks the 2016 document's URLs, which come first; today's nested add-update
      // URL names the same two operations.
      if (!Object.hasOwn(SUCCESS_SCHEMAS, name) || found[name as OperationId]) continue;
      const operation = name as OperationId;
      const successSchema = SUCCESS_SCHEMAS[operation];
      const answer = post.responses?.['200'];
      const declared = responseSchemas(spec.components.responses ?? {}, answer && isReference(answer) ? answer.$ref : undefined);
      for (const schema of [successSchema, FAILURE_SCHEMA]) {
        if (!declared.includes(schema)) {
          throw new Error(`the spec's 200 answer of ${operation} (${path}) does not list ${schema}: update src/contract/operations.ts or the spec`);
        }
      }
      found[operation] = { operation, path, successSchema, writes: WRITES.has(operation) };
    }
  }
  for (const operation of Object.keys(SUCCESS_SCHEMAS) as OperationId[]) {
    if (!found[operation]) throw new Error(`the spec has no vendor URL for ${operation}`);
  }
  return found as Record<OperationId, OperationContract>;
}

/** The component schema names a response `$ref` allows: its JSON schema, or each branch of its oneOf/anyOf. */
function responseSchemas(responses: Record<string, OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.ResponseObject>, ref: string | undefined): string[] {
  const response = ref === undefined ? undefined : responses[ref.replace('#/components/responses/', '')];
  const schema = response && !isReference(response) ? response.content?.['application/json']?.schema : undefined;
  if (!schema) return [];
  const branches = isReference(schema) ? [schema] : (schema.oneOf ?? schema.anyOf ?? []);
  return branches.flatMap((branch) => (isReference(branch) ? [branch.$ref.replace('#/components/schemas/', '')] : []));
}
