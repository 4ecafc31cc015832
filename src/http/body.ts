/**
 * The body of a vendor request, read as Kapture's clients send it: one JSON object, or an array of
 * objects. Anything else never reaches an operation and answers ReqFieldMissing with this message.
 */
export type ParsedBody =
  | { ok: true; items: Array<Record<string, unknown>>; isArray: boolean }
  | { ok: false; message: string };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function parseVendorBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (contentType !== undefined && !JSON_TYPE.test(contentType)) {
    return bad(`Content-Type ${contentType.split(';')[0]} is not JSON: send the body as JSON with Content-Type: application/json`);
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return bad('the request body is empty: send a JSON object such as {"customer_id":"272930"}');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return bad(`the request body is not valid JSON (${(error as Error).message})`);
  }
  if (isObject(parsed)) return { ok: true, items: [parsed], isArray: false };
  if (!Array.isArray(parsed)) return bad(`the request body is JSON ${kind(parsed)}: send an object or an array of objects`);
  if (parsed.length === 0) return bad('the request body is an empty array: send at least one object');
  const stray = parsed.findIndex((item) => !isObject(item));
  if (stray >= 0) return bad(`item [${stray}] of the body is JSON ${kind(parsed[stray])}: every item must be an object`);
  return { ok: true, items: parsed as Array<Record<string, unknown>>, isArray: true };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function bad(detail: string): ParsedBody {
  return { ok: false, message: `Mandatory field missing: ${detail}` };
}
