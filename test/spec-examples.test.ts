import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { specValidator } from '../src/validation/ajv.js';
import { doc, SCHEMA_PREFIX, vendorPaths, type Json } from './helpers/spec-document.js';

/** The examples of the OpenAPI document, each validated against the schema it is an example of. */

const RESPONSE_PREFIX = '#/components/responses/';

/** `{ $ref: '#/components/schemas/X' }` → `X`; anything else → undefined. */
function schemaName(schema: Json | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' && ref.startsWith(SCHEMA_PREFIX) ? ref.slice(SCHEMA_PREFIX.length) : undefined;
}

/** The component schemas a media type's schema stands for: one `$ref`, or the `$ref`s of a oneOf/anyOf. */
function alternatives(schema: Json): string[] {
  const single = schemaName(schema);
  if (single) return [single];
  const branches = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  const names = (branches ?? []).map(schemaName);
  if (names.length === 0 || names.some((name) => name === undefined)) {
    throw new Error(`cannot check examples against an inline schema: ${JSON.stringify(schema).slice(0, 120)}`);
  }
  return names as string[];
}

type Example = { label: string; value: unknown; schemas: string[] };

/** Every example in the media types of `content`, labelled `<where> <name>` (`example` is named `example`). */
function examplesOf(where: string, content: Json | undefined): Example[] {
  const found: Example[] = [];
  for (const [mediaType, media] of Object.entries<Json>(content ?? {})) {
    const at = `${where} ${mediaType}`;
    if ('example' in media) found.push({ label: `${at} example`, value: media.example, schemas: alternatives(media.schema) });
    for (const [name, example] of Object.entries<Json>(media.examples ?? {})) {
      found.push({ label: `${at} ${name}`, value: example.value, schemas: alternatives(media.schema) });
    }
  }
  return found;
}

/** The response examples of every operation; a shared `components/responses` entry is listed once, by its name. */
function responseExamples(paths: string[]): Example[] {
  const seen = new Set<string>();
  const found: Example[] = [];
  for (const path of paths) {
    for (const [method, operation] of Object.entries<Json>(doc.paths[path])) {
      for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
        const ref: unknown = response.$ref;
        let where = `${method.toUpperCase()} ${path} ${status}`;
        let resolved = response;
        if (typeof ref === 'string') {
          if (!ref.startsWith(RESPONSE_PREFIX)) throw new Error(`unexpected $ref ${ref}`);
          where = ref.slice(2);
          resolved = doc.components.responses[ref.slice(RESPONSE_PREFIX.length)];
        }
        if (seen.has(where)) continue;
        seen.add(where);
        found.push(...examplesOf(where, resolved.content));
      }
    }
  }
  return found;
}

function requestExamples(paths: string[]): Example[] {
  return paths.flatMap((path) =>
    Object.entries<Json>(doc.paths[path]).flatMap(([method, operation]) =>
      examplesOf(`${method.toUpperCase()} ${path} request`, operation.requestBody?.content),
    ),
  );
}

/** The alternatives (oneOf/anyOf branches) an example validates against, with Ajv's errors for the others. */
function matching(example: Example): { matches: string[]; errors: Record<string, ErrorObject[]> } {
  const matches: string[] = [];
  const errors: Record<string, ErrorObject[]> = {};
  for (const name of example.schemas) {
    const check = specValidator(name);
    if (check(example.value)) matches.push(name);
    else errors[name] = check.errors ?? [];
  }
  return { matches, errors };
}

/** Validates against one component schema; returns the failing instance paths and keywords, sorted. */
function failures(schema: string, value: unknown): string[] {
  const check = specValidator(schema);
  if (check(value)) return [];
  return [...new Set((check.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.keyword}`))].sort();
}

describe('response examples validate against their response schema (exactly one branch)', () => {
  // Which branch each example is meant to be: a new example must be added here, a wrong one fails.
  const expected: Record<string, string> = {
    'components/responses/AddOrUpdateAnswer application/json added': 'AddCustomerSuccess',
    'components/responses/AddOrUpdateAnswer application/json updated': 'UpdateCustomerSuccess',
    'components/responses/AddOrUpdateAnswer application/json expired': 'VendorFailure',
    'components/responses/AddOrUpdateAnswer application/json addedToday': 'CurrentAddCustomerSuccess',
    'components/responses/CustomerListAnswer application/json missToday': 'CustomerDetailsMiss',
    'components/responses/CustomerListAnswer application/json invalidKeyToday': 'CurrentFailure',
    'components/responses/CustomerListAnswer application/json found': 'CustomerList',
    'components/responses/CustomerListAnswer application/json invalidKey': 'VendorFailure',
    'components/responses/AddContactsAnswer application/json added': 'AddContactsSuccess',
    'components/responses/AddContactsAnswer application/json invalidKey': 'VendorFailure',
    'components/responses/MethodNotAllowed application/json example': 'VendorFailure',
    'components/responses/PayloadTooLarge application/json example': 'VendorFailure',
    'components/responses/ServerFailure application/json example': 'VendorFailure',
  };
  const vendor = responseExamples(vendorPaths);

  it('every vendor response example is listed above, and nothing else', () => {
    expect(vendor.map((example) => example.label).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(vendor.map((example) => [example.label, example] as const))('%s', (_label, example) => {
    const { matches, errors } = matching(example);
    expect(matches, JSON.stringify(errors, null, 1)).toEqual([expected[example.label]]);
  });

  it('the found example is the search sample customer 286829, of tenant 396', () => {
    const found = vendor.find((example) => example.label.endsWith('CustomerListAnswer application/json found'));
    expect(found?.value).toMatchObject({ status: 'success', message: [{ id: 286829, cmId: 396, name: 'Nikesh' }] });
  });

  it.each(responseExamples(Object.keys(doc.paths).filter((path) => path.startsWith('/__sandbox/'))).map((e) => [e.label, e] as const))(
    'control: %s',
    (_label, example) => {
      const { matches, errors } = matching(example);
      expect(matches, JSON.stringify(errors, null, 1)).toHaveLength(1);
    },
  );
});

describe('request examples', () => {
  const requests = Object.fromEntries(requestExamples(Object.keys(doc.paths)).map((example) => [example.label, example.value]));
  const add = requests['POST /add-update-customer-from-other-source.html request application/json add'] as Json;
  const update = requests['POST /add-update-customer-from-other-source.html request application/json update'] as Json;
  const select = requests['POST /select-customer-between-start-and-end-dates.html request application/json sample'];
  const search = requests['POST /search-customer-by-customer-id.html request application/json sample'];
  const contacts = requests['POST /add-more-contacts-for-existing-customer.html request application/json sample'] as Json;
  const createKey = requests['POST /__sandbox/keys request application/json example'];

  it('are the ones checked below, and no others', () => {
    expect(Object.keys(requests).sort()).toEqual([
      'POST /__sandbox/faults request application/json chaos',
      'POST /__sandbox/faults request application/json thirdCallFails',
      'POST /__sandbox/keys request application/json example',
      'POST /__sandbox/snapshots request application/json example',
      'POST /add-more-contacts-for-existing-customer.html request application/json sample',
      'POST /add-update-customer-from-other-source.html request application/json add',
      'POST /add-update-customer-from-other-source.html request application/json update',
      'POST /ms/customer/customer/api/v1/add-update request application/json add',
      'POST /search-customer-by-customer-id.html request application/json getByPhone',
      'POST /search-customer-by-customer-id.html request application/json sample',
      'POST /select-customer-between-start-and-end-dates.html request application/json pull',
      'POST /select-customer-between-start-and-end-dates.html request application/json sample',
    ]);
  });

  it('the control request examples are valid', () => {
    expect(failures('FaultRule', requests['POST /__sandbox/faults request application/json chaos'])).toEqual([]);
    expect(failures('FaultRule', requests['POST /__sandbox/faults request application/json thirdCallFails'])).toEqual([]);
    expect(failures('SnapshotRequest', requests['POST /__sandbox/snapshots request application/json example'])).toEqual([]);
  });

  it('the select and search samples are valid', () => {
    expect(select).toEqual({ start_date: '2016-03-31', end_date: '2016-03-31' });
    expect(failures('SelectCustomersBody', select)).toEqual([]);
    expect(search).toEqual({ customer_id: '272930' });
    expect(failures('SearchCustomerBody', search)).toEqual([]);
  });

  it('the createKey example is a valid ApiKey', () => {
    expect(failures('ApiKey', createKey)).toEqual([]);
  });

  // The sandbox accepts this sample (the three values are ignored with warnings); the schema,
  // which describes correct requests, does not. Prism, which enforces the schema, answers 422.
  it('the add sample fails strict validation on /zone, /date_of_birth and /anniversary_date only', () => {
    expect(failures('AddCustomerItem', add)).toEqual([
      '/anniversary_date format', // "YYYY-MM-DD" is a placeholder, not a date
      '/date_of_birth format',
      '/zone oneOf', // "India": neither an integer nor a string of digits
      '/zone pattern',
      '/zone type',
    ]);
    expect(failures('AddCustomerBody', add)).toEqual([
      '(root) oneOf',
      '(root) type', // not an array either
      '/anniversary_date format',
      '/date_of_birth format',
      '/zone oneOf',
      '/zone pattern',
      '/zone type',
    ]);
    const { zone, date_of_birth, anniversary_date, ...rest } = add;
    expect([zone, date_of_birth, anniversary_date]).toEqual(['India', 'YYYY-MM-DD', 'YYYY-MM-DD']);
    expect(failures('AddCustomerBody', rest)).toEqual([]);
    // Not an update either (no customer_id), so it fails the request body's anyOf as a whole.
    expect(failures('UpdateCustomerBody', add)).toContain('(root) required');
  });

  // UpdateCustomerItem does not say additionalProperties: false (unknown keys are ignored with a
  // warning, as at Kapture), so the update sample IS schema-valid; what is wrong with it is
  // exactly its five unknown keys, which the sandbox reports in X-Sandbox-Warnings.
  it('the update sample is schema-valid; its unknown keys are exactly "customer_code ", Field 1, ad, role, Field 2', () => {
    expect(failures('UpdateCustomerBody', update)).toEqual([]);
    const schemas = doc.components.schemas;
    const known = new Set([
      ...Object.keys(schemas.UpdateCustomerItem.properties),
      ...Object.keys(schemas.CustomerFields.properties),
    ]);
    expect(Object.keys(update).filter((key) => !known.has(key))).toEqual(['customer_code ', 'Field 1', 'ad', 'role', 'Field 2']);
    expect(known.has('customer_code')).toBe(true);
  });

  // The contacts sample sends `name`, an alias of `contact_person` (x-sandbox-aliases); the schema
  // says "one of the two" with anyOf, so strict validators (Prism) accept the sample too.
  it('the contacts sample is valid with the alias name, and so is contact_person; neither is not', () => {
    expect(failures('AddContactsItem', contacts)).toEqual([]);
    expect(contacts.name).toBe('adjetter');
    const { name, ...rest } = contacts;
    expect(failures('AddContactsBody', { ...rest, contact_person: name })).toEqual([]);
    const check = specValidator('AddContactsItem');
    expect(check(rest)).toBe(false);
    expect(check.errors?.map((error) => error.params)).toEqual(
      expect.arrayContaining([{ missingProperty: 'contact_person' }, { missingProperty: 'name' }]),
    );
  });
});
