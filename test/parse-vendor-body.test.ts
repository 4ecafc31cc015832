import { describe, expect, it } from 'vitest';
import { parseVendorBody } from '../src/http/body.js';

/** The body parser of the vendor surface, tested without HTTP. */

describe('parseVendorBody', () => {
  const rejected: Array<[string, string, string | undefined, string]> = [
    ['an empty body', '', 'application/json', 'the request body is empty'],
    ['whitespace', ' \r\n\t ', 'application/json', 'the request body is empty'],
    ['malformed JSON', '{"customer_id":', 'application/json', 'the request body is not valid JSON ('],
    ['42', '42', 'application/json', 'the request body is JSON a number'],
    ['"x"', '"x"', 'application/json', 'the request body is JSON a string'],
    ['null', 'null', 'application/json', 'the request body is JSON null'],
    ['true', 'true', 'application/json', 'the request body is JSON a boolean'],
    ['[]', '[]', 'application/json', 'the request body is an empty array'],
    ['[1]', '[1]', 'application/json', 'item [0] of the body is JSON a number'],
    ['[{}, 2]', '[{}, 2]', 'application/json', 'item [1] of the body is JSON a number'],
    ['[{}, null]', '[{}, null]', 'application/json', 'item [1] of the body is JSON null'],
    ['[{}, []]', '[{}, []]', 'application/json', 'item [1] of the body is JSON an array'],
    ['text/plain', '{"customer_id":"1"}', 'text/plain', 'Content-Type text/plain is not JSON'],
    ['text/plain with a charset', '{"customer_id":"1"}', 'text/plain; charset=utf-8', 'Content-Type text/plain is not JSON'],
    ['a form', 'customer_id=1', 'application/x-www-form-urlencoded', 'Content-Type application/x-www-form-urlencoded is not JSON'],
    ['application/jsonx', '{"customer_id":"1"}', 'application/jsonx', 'Content-Type application/jsonx is not JSON'],
  ];

  it.each(rejected)('%s: rejected', (_label, raw, type, message) => {
    const parsed = parseVendorBody(Buffer.from(raw, 'utf8'), type);
    if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.items)}`);
    expect(parsed.message.startsWith(`Mandatory field missing: ${message}`)).toBe(true);
  });

  const accepted: Array<[string, string, string | undefined, unknown[], boolean]> = [
    ['an object', '{"customer_id":"1"}', 'application/json', [{ customer_id: '1' }], false],
    ['an object without a content type', '{"customer_id":"1"}', undefined, [{ customer_id: '1' }], false],
    ['an array', '[{"a":1},{"b":2}]', 'application/json; charset=utf-8', [{ a: 1 }, { b: 2 }], true],
    ['a one-element array', '[{"a":1}]', 'APPLICATION/JSON', [{ a: 1 }], true],
    ['a +json type', '{"a":1}', 'application/vnd.kapture+json', [{ a: 1 }], false],
    ['UTF-8 text', '{"name":"राहुल 😀"}', 'application/json', [{ name: 'राहुल 😀' }], false],
    ['surrounding whitespace', ' \n{"a":1}\n ', 'application/json', [{ a: 1 }], false],
  ];

  it.each(accepted)('%s: accepted', (_label, raw, type, items, isArray) => {
    const parsed = parseVendorBody(Buffer.from(raw, 'utf8'), type);
    expect(parsed).toEqual({ ok: true, items, isArray });
  });

  it('__proto__ in a body is an own key of a plain object, not a prototype', () => {
    const parsed = parseVendorBody(Buffer.from('{"__proto__":{"polluted":1},"a":1}'), 'application/json');
    if (!parsed.ok) throw new Error(parsed.message);
    const item = parsed.items[0]!;
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.hasOwn(item, '__proto__')).toBe(true);
    expect((item as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
