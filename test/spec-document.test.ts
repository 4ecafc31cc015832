import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { loadSpec, SPEC_PATH } from '../src/spec.js';
import { doc, SCHEMA_PREFIX, vendorPaths, type Json } from './helpers/spec-document.js';

/** The OpenAPI document itself: how it parses, that it is valid, and the vendor surface it describes. */

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const VENDOR_OPERATIONS = ['addCustomer', 'updateCustomer', 'selectCustomers', 'searchCustomer', 'addContacts'];

/** A (possibly deliberately broken) document, typed as what validate() accepts. */
const asDocument = (value: Json) => value as unknown as Exclude<Parameters<typeof validate>[0], string>;

describe('the spec as the sandbox loads it', () => {
  it('is what a second YAML parser reads too (the sandbox uses js-yaml for speed)', () => {
    expect(JSON.parse(JSON.stringify(loadSpec()))).toEqual(doc);
  });
});

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 according to @readme/openapi-parser', async () => {
    const result = await validate(SPEC_PATH);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.specification).toBe('OpenAPI');
    expect(result.warnings).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
  });

  // validate() reports problems in its result (it does not throw): these prove it actually looks.
  it('the validator rejects a copy with a $ref to a missing schema', async () => {
    const broken = structuredClone(doc);
    broken.components.schemas.AddCustomerItem.properties.email = { $ref: `${SCHEMA_PREFIX}NoSuchSchema` };
    const result = await validate(asDocument(broken));
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : compileErrors(result)).toContain('Missing $ref pointer "#/components/schemas/NoSuchSchema"');
  });

  it('the validator rejects a copy with a duplicated operationId and one without info', async () => {
    const duplicated = structuredClone(doc);
    duplicated.paths['/search-customer-by-customer-id.html'].post.operationId = 'selectCustomers';
    const first = await validate(asDocument(duplicated));
    expect(first.valid ? '' : compileErrors(first)).toContain('The operationId `selectCustomers` is duplicated');

    const headless = structuredClone(doc);
    delete headless.info;
    const second = await validate(asDocument(headless));
    expect(second.valid ? '' : compileErrors(second)).toContain("must have required property 'info'");
  });
});

describe('the vendor surface', () => {
  it('is the four documented URLs and today\'s nested add-update', () => {
    expect(vendorPaths.sort()).toEqual([
      '/add-more-contacts-for-existing-customer.html',
      '/add-update-customer-from-other-source.html',
      '/ms/customer/customer/api/v1/add-update',
      '/search-customer-by-customer-id.html',
      '/select-customer-between-start-and-end-dates.html',
    ]);
  });

  it.each(vendorPaths)('%s has exactly one operation, a POST tagged vendor', (path) => {
    const item = doc.paths[path] as Json;
    expect(Object.keys(item).filter((key) => HTTP_METHODS.includes(key))).toEqual(['post']);
    expect(item.post.tags).toEqual(['vendor']);
  });

  it('operationIds and x-sandbox-operations name exactly the five vendor operations', () => {
    const named = vendorPaths.flatMap((path) => {
      const operation = doc.paths[path].post as Json;
      return (operation['x-sandbox-operations'] as string[] | undefined) ?? [operation.operationId as string];
    });
    expect([...new Set(named)].sort()).toEqual([...VENDOR_OPERATIONS].sort());
    // Only the add/update URLs (the document's and today's) need the extension; elsewhere operationId is the name.
    const extended = vendorPaths.filter((path) => 'x-sandbox-operations' in doc.paths[path].post);
    expect(extended).toEqual(['/add-update-customer-from-other-source.html', '/ms/customer/customer/api/v1/add-update']);
    for (const path of extended) expect(doc.paths[path].post['x-sandbox-operations']).toEqual(['addCustomer', 'updateCustomer']);
  });

  it('the operations a key can be granted are the same five', () => {
    expect([...doc.components.schemas.ApiKey.properties.operations.items.enum].sort()).toEqual([...VENDOR_OPERATIONS].sort());
  });
});
