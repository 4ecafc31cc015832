import { describe, expect, it } from 'vitest';
import { expectVendorFailure, post, rawHttp, request, VENDOR, VENDOR_PATHS } from './helpers/http.js';
import { CONTACT, cross, expectNothingStored, unique, VALID, url, useBadInputSandbox } from './helpers/bad-input.js';

/**
 * Bad input on the vendor surface: every bad request gets a vendor-shaped answer
 * that says what is wrong, nothing is stored, and the sandbox keeps serving.
 * This file: methods other than POST, unknown URLs, and requests malformed at the HTTP level.
 */

useBadInputSandbox();

describe('methods other than POST', () => {
  const methods: Array<[string]> = [['GET'], ['PUT'], ['DELETE'], ['PATCH'], ['OPTIONS']];

  it.each(cross(methods, VENDOR_PATHS))('%s with %s: 405, Allow: POST, vendor failure, nothing stored', async (path, method) => {
    const carriesBody = method !== 'GET';
    const body = path === VENDOR.add ? { ...VALID, name: unique('Wrong method') } : { ...CONTACT, start_date: '2016-03-31', end_date: '2016-03-31' };
    const answer = await expectNothingStored(() => post(url, path, carriesBody ? body : undefined, { method, raw: !carriesBody }));
    expect(answer.headers.get('allow')).toBe('POST');
    expect(expectVendorFailure(answer, 'ReqFieldMissing', 405)).toContain(`Method ${method} is not allowed`);
  });

  it('PROPFIND (sent raw): 405 with Allow: POST and a JSON vendor body', async () => {
    const reply = await expectNothingStored(() =>
      rawHttp(url, `PROPFIND ${VENDOR.search} HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`),
    );
    const [head, body] = reply.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 405 /);
    expect(head).toMatch(/\r\nAllow: POST\r\n/i);
    expect(head).toMatch(/\r\nContent-Type: application\/json/i);
    expect(JSON.parse(body!)).toMatchObject({ Status: 'Fail' });
  });
});

describe('unknown URLs answer a JSON 404, never HTML', () => {
  const paths: Array<[string]> = [
    ['/'],
    ['/nope'],
    ['/index.html'],
    ['/search-customer-by-customer-id'],
    ['/search-customer-by-customer-id.html/'],
    ['/SEARCH-CUSTOMER-BY-CUSTOMER-ID.HTML'],
    ['/add-update-customer-from-other-source.htm'],
    ['/__proto__'],
    ['/constructor'],
    ['/hasOwnProperty'],
    ['/%zz'],
    ['/__sandbox/nope'],
  ];

  it.each(cross(paths, ['GET', 'POST']))('%s %s', async (method, path) => {
    // Outside /__sandbox nothing reads the body: a malformed one changes nothing.
    const body = path.startsWith('/__sandbox') ? '{}' : '{"customer_id":';
    const init: RequestInit = method === 'POST' ? { method, headers: { 'content-type': 'application/json', authorization: 'Basic sandbox-key' }, body } : { method };
    const answer = await expectNothingStored(() => request(url, path, init));
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/i);
    expect(answer.json).toBeTypeOf('object');
    expect(answer.text).not.toMatch(/<html|<!doctype|<pre/i);
  });
});

describe('raw HTTP oddities', () => {
  const rawAdd = (contentLength: number, body: string) =>
    `POST ${VENDOR.add} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Basic sandbox-key\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n${body}`;
  const add = JSON.stringify({ ...VALID, name: 'Raw' });

  it('a body longer than its Content-Length: the answer is never HTML, nothing stored, still serving', async () => {
    // The first 8 bytes are not JSON; the rest is garbage for the HTTP parser.
    const reply = await expectNothingStored(() => rawHttp(url, rawAdd(8, add)));
    expect(reply).toMatch(/^HTTP\/1\.1 [2-5]\d\d /);
    expect(reply).not.toMatch(/<html|<!doctype/i);
  });

  it('a body shorter than its Content-Length, then the client goes away: nothing stored, still serving', async () => {
    const reply = await expectNothingStored(() => rawHttp(url, rawAdd(add.length + 100, add), { end: false, destroyAfterMs: 200 }));
    expect(reply).not.toMatch(/<html|<!doctype/i);
  });

  it('a body shorter than its Content-Length, then a half-close: nothing stored, still serving', async () => {
    const reply = await expectNothingStored(() => rawHttp(url, rawAdd(add.length + 100, add)));
    expect(reply).not.toMatch(/<html|<!doctype/i);
  });
});
