/**
 * Reading answers whatever the account's casing and shape: fact checks look at what the vendor
 * documents hold on every account (ids, dates, ranges), never at the key names, which differ per
 * account and generation and are the profile checks' business.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The customers of a list answer: the list under `message` (or any list of objects), or one customer object (`"Customer Details"`). */
export function customersOf(body: unknown): Json[] | undefined {
  if (!isObject(body)) return undefined;
  const values = [body.message, body['Customer Details'], ...Object.values(body)];
  for (const value of values) {
    if (Array.isArray(value) && value.every(isObject)) return value;
    if (isObject(value) && 'id' in value) return [value];
  }
  return undefined;
}

/** The status word of an answer (`Status` or `status`, any casing). */
export function statusOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'status');
  const value = key === undefined ? undefined : body[key];
  return typeof value === 'string' ? value : undefined;
}

/** The text of a failure (`Message` or `message`, or today's Get Customer miss in `"Customer Details"`). */
export function messageOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'message') ?? (typeof body['Customer Details'] === 'string' ? 'Customer Details' : undefined);
  const value = key === undefined ? undefined : body[key];
  return typeof value === 'string' ? value : undefined;
}

/** Kapture's failures say so in their status word (`Fail`, `failed`): what tells a failure from a success on every account. */
export function isFailureBody(body: unknown): boolean {
  const status = statusOf(body);
  return status !== undefined && /^fail/i.test(status);
}

/** The customer id(s) an add or update answered (`"Kapture Customer Id"`, any casing). */
export function customerIdsOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'kapture customer id');
  const value = key === undefined ? undefined : body[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The contact ids an add-contacts answered, when it lists them. */
export function contactIdsOf(body: unknown): string[] | undefined {
  if (!isObject(body)) return undefined;
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'contact ids');
  const value = key === undefined ? undefined : body[key];
  return Array.isArray(value) ? value.map(String) : undefined;
}
