import { describe, expect, it } from 'vitest';
import { addedId, expectVendorFailure, post, searchCustomer, VENDOR, VENDOR_PATHS } from './helpers/http.js';
import { cross, expectNothingStored, expectOneStored, MiB, unique, VALID, warningsOf, url, useBadInputSandbox } from './helpers/bad-input.js';

/**
 * Bad input on the vendor surface: every bad request gets a vendor-shaped answer
 * that says what is wrong, nothing is stored, and the sandbox keeps serving.
 * This file: bodies that are not JSON objects, the Content-Type, and bodies over 1 MiB.
 */

useBadInputSandbox();

describe('bodies that never reach an operation answer ReqFieldMissing', () => {
  const bodies: Array<[string, string, string]> = [
    ['malformed JSON: an unclosed object', '{"customer_id":"272930"', 'not valid JSON'],
    ['malformed JSON: a trailing comma', '{"customer_id":"272930",}', 'not valid JSON'],
    ['malformed JSON: single quotes', "{'customer_id':'272930'}", 'not valid JSON'],
    ['malformed JSON: trailing garbage', '{"customer_id":"272930"} x', 'not valid JSON'],
    ['malformed JSON: two objects', '{"customer_id":"272930"}{"customer_id":"286829"}', 'not valid JSON'],
    ['malformed JSON: NaN', '{"customer_id":NaN}', 'not valid JSON'],
    ['an empty body', '', 'empty'],
    ['a whitespace body', '   ', 'empty'],
    ['a whitespace body with newlines and tabs', '\r\n\t \n', 'empty'],
    ['JSON 42', '42', 'a number'],
    ['JSON "x"', '"x"', 'a string'],
    ['JSON null', 'null', 'null'],
    ['JSON true', 'true', 'a boolean'],
    ['JSON []', '[]', 'empty array'],
    ['JSON [1]', '[1]', 'item [0]'],
    ['JSON [{}, 2]', '[{}, 2]', 'item [1]'],
    ['JSON [[{}]]', '[[{"customer_id":"272930"}]]', 'item [0]'],
  ];

  it.each(cross(bodies, VENDOR_PATHS))('%s: %s', async (path, _label, body, part) => {
    const answer = await expectNothingStored(() => post(url, path, body, { raw: true }));
    const message = expectVendorFailure(answer, 'ReqFieldMissing');
    expect(message).toMatch(/^Mandatory field missing: /);
    expect(message).toContain(part);
  });
});

describe('content type', () => {
  const wrong: Array<[string]> = [
    ['text/plain'],
    ['text/plain; charset=utf-8'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    ['text/html'],
    ['application/jsonp'],
  ];

  it.each(cross(wrong, [VENDOR.add, VENDOR.search]))('%s: Content-Type %s with a valid body: ReqFieldMissing, nothing stored', async (path, type) => {
    const body = path === VENDOR.add ? { ...VALID, name: unique('Wrong type') } : { customer_id: '272930' };
    const answer = await expectNothingStored(() => post(url, path, body, { headers: { 'content-type': type } }));
    const message = expectVendorFailure(answer, 'ReqFieldMissing');
    expect(message).toContain(`Content-Type ${type.split(';')[0]} is not JSON`);
  });

  const accepted: Array<[string]> = [['application/json'], ['application/json; charset=utf-8'], ['Application/JSON'], ['application/vnd.kapture+json']];

  it.each(accepted)('%s is JSON: the add succeeds without a content-type warning', async (type) => {
    const name = unique('Right type');
    const answer = await expectOneStored(() => post(url, VENDOR.add, { ...VALID, name }, { headers: { 'content-type': type } }));
    const id = addedId(answer);
    expect(answer.headers.get('x-sandbox-warnings')).toBeNull();
    expect((await searchCustomer(url, id)).name).toBe(name);
  });

  it('a missing Content-Type is accepted with a warning, and the customer is stored', async () => {
    const name = unique('No type');
    const answer = await expectOneStored(() => post(url, VENDOR.add, JSON.stringify({ ...VALID, name }), { raw: true, headers: { 'content-type': null } }));
    const id = addedId(answer);
    expect(warningsOf(answer)).toMatch(/no Content-Type/);
    expect((await searchCustomer(url, id)).name).toBe(name);
  });

  it('a missing Content-Type with a malformed body still answers ReqFieldMissing', async () => {
    const answer = await expectNothingStored(() => post(url, VENDOR.add, '{"name":', { raw: true, headers: { 'content-type': null } }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing')).toContain('not valid JSON');
  });
});

describe('oversized bodies', () => {
  /** A valid add body of exactly `size` bytes (the name pads it). */
  function bodyOfSize(size: number): string {
    const empty = JSON.stringify({ ...VALID, name: '' });
    const body = JSON.stringify({ ...VALID, name: 'n'.repeat(size - empty.length) });
    expect(Buffer.byteLength(body)).toBe(size);
    return body;
  }
  function stream(text: string): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
  }

  const cases: Array<[string, string, 'content-length' | 'chunked']> = [
    ['add', VENDOR.add, 'content-length'],
    ['add', VENDOR.add, 'chunked'],
    ['search', VENDOR.search, 'content-length'],
    ['select', VENDOR.select, 'content-length'],
    ['add-contacts', VENDOR.contacts, 'content-length'],
    ['add-contacts', VENDOR.contacts, 'chunked'],
  ];

  it.each(cases)('1 MiB + 1 byte on %s (%s, %s): HTTP 413 vendor failure, nothing stored', async (_label, path, transfer) => {
    const body = bodyOfSize(MiB + 1);
    const answer = await expectNothingStored(() => post(url, path, transfer === 'chunked' ? stream(body) : body, { raw: true }));
    expect(expectVendorFailure(answer, 'ReqFieldMissing', 413)).toContain('1048576');
  });

  it.each([['content-length'], ['chunked']])('exactly 1 MiB (%s) is accepted and stored', async (transfer) => {
    const body = bodyOfSize(MiB);
    const answer = await expectOneStored(() => post(url, VENDOR.add, transfer === 'chunked' ? stream(body) : body, { raw: true }));
    expect(((await searchCustomer(url, addedId(answer))).name as string).length).toBe(MiB - JSON.stringify({ ...VALID, name: '' }).length);
  });
});
