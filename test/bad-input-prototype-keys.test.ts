import { beforeAll, describe, expect, it } from 'vitest';
import { addedId, customerCount, expectVendorFailure, post, searchCustomer, searchText, VENDOR } from './helpers/http.js';
import { expectNothingStored, expectOneStored, warningsOf, url, useBadInputSandbox } from './helpers/bad-input.js';

/**
 * Bad input on the vendor surface: every bad request gets a vendor-shaped answer
 * that says what is wrong, nothing is stored, and the sandbox keeps serving.
 * This file: keys named __proto__, constructor, prototype (no prototype pollution).
 */

useBadInputSandbox();

describe('keys named __proto__, constructor, prototype', () => {
  const fields = '"name":"Proto Check","email":"proto@example.com","phone":"9876543210"';
  const polluting: Array<[string, string, string[]]> = [
    ['__proto__ with an object', `{"__proto__":{"polluted":1,"isAdmin":true},${fields}}`, ['__proto__']],
    ['__proto__ last', `{${fields},"__proto__":{"polluted":1}}`, ['__proto__']],
    ['constructor.prototype', `{"constructor":{"prototype":{"polluted":1}},${fields}}`, ['constructor']],
    ['prototype', `{"prototype":{"polluted":1},${fields}}`, ['prototype']],
    ['all three', `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1},${fields}}`, ['__proto__', 'constructor', 'prototype']],
    ['__proto__ in a batch item', `[{${fields}},{"__proto__":{"polluted":1},${fields}}]`, ['[1].__proto__']],
  ];

  let referenceKeys: string[];
  let referenceContactKeys: string[];
  beforeAll(async () => {
    const reference = await searchCustomer(url, addedId(await post(url, VENDOR.add, JSON.parse(`{${fields}}`))));
    referenceKeys = Object.keys(reference).sort();
    referenceContactKeys = Object.keys((reference.contacts as object[])[0]!).sort();
  });

  async function expectPlainCustomer(id: string): Promise<void> {
    const answer = await post(url, VENDOR.search, { customer_id: id });
    expect(answer.text).not.toContain('polluted');
    const customer = answer.json.message[0] as Record<string, unknown>;
    expect(Object.keys(customer).sort()).toEqual(referenceKeys);
    expect(Object.keys((customer.contacts as object[])[0]!).sort()).toEqual(referenceContactKeys);
    expect(customer.name).toBe('Proto Check');
    expect(Object.getPrototypeOf(customer)).toBe(Object.prototype);
  }

  it.each(polluting)('add with %s: ignored with a warning, nothing polluted', async (_label, body, ignored) => {
    const items = body.startsWith('[') ? 2 : 1;
    const count = await customerCount(url);
    const answer = await post(url, VENDOR.add, body, { raw: true });
    const ids = (answer.json?.['Kapture Customer Id'] as string | undefined)?.split(',') ?? [];
    expect(answer.json?.Status, answer.text).toBe('Success');
    expect(ids).toHaveLength(items);
    for (const key of ignored) expect(warningsOf(answer)).toContain(`unknown field "${key}" ignored`);
    expect(await customerCount(url)).toBe(count + items);
    for (const id of ids) await expectPlainCustomer(id);
    // The server runs in this process: a polluted Object.prototype would show here.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.hasOwn(Object.prototype, 'isAdmin')).toBe(false);
    // A subsequent plain add still works and stores a plain customer.
    const next = await expectOneStored(() => post(url, VENDOR.add, `{${fields}}`, { raw: true }));
    await expectPlainCustomer(addedId(next));
  });

  const searchBodies: Array<[string]> = [
    ['{"constructor":"272930"}'],
    ['{"__proto__":{"customer_id":"272930"}}'],
    ['{"constructor":{"customer_id":"272930"},"__proto__":{"customer_id":"272930"}}'],
    ['{"prototype":{"customer_id":"272930"}}'],
    ['{"toString":"272930","hasOwnProperty":"272930","valueOf":"272930"}'],
    ['[{"__proto__":{"customer_id":"272930"}}]'],
  ];

  it.each(searchBodies)('search with %s: ReqFieldMissing customer_id, not a crash', async (body) => {
    const answer = await expectNothingStored(() => post(url, VENDOR.search, body, { raw: true }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toMatch(/^Mandatory field missing: (\[0\]\.)?customer_id$/);
  });

  it('add-contacts with customer_id only under __proto__: ReqFieldMissing customer_id', async () => {
    const body = '{"__proto__":{"customer_id":"272930"},"name":"Ravi","email":"ravi@example.com","phone":"9876500000"}';
    const answer = await expectNothingStored(() => post(url, VENDOR.contacts, body, { raw: true }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toBe('Mandatory field missing: customer_id');
  });

  it('an add body with customer_id only under __proto__ is an add, not an update of 272930', async () => {
    const before = await searchText(url, 272930);
    const answer = await expectOneStored(() => post(url, VENDOR.add, `{"__proto__":{"customer_id":"272930","name":"Hacked"},${fields}}`, { raw: true }));
    await expectPlainCustomer(addedId(answer));
    expect(await searchText(url, 272930)).toBe(before);
  });

  it('an update of 272930 whose other keys are __proto__/constructor changes nothing', async () => {
    const body = '{"customer_id":"272930","__proto__":{"name":"Hacked","city":"x"},"constructor":{"prototype":{"name":"Hacked"}}}';
    const answer = await expectNothingStored(() => post(url, VENDOR.add, body, { raw: true }));
    expect(answer.json).toEqual({ message: 'Customer Updated Successfully', status: 'success' });
    expect(warningsOf(answer)).toContain('unknown field "__proto__" ignored');
    expect(warningsOf(answer)).toContain('unknown field "constructor" ignored');
  });
});
