import type { Template } from '../vendor/profile.js';
import { isSafeWord } from './redact.js';

/** What a word may be checked against: the customer values seen, the secrets of the run. */
export type Safety = { seen: ReadonlySet<string>; secrets: readonly string[] };

/** A template inferred from an answer, and the keys whose words could not be kept (customer data, a secret). */
export type Inferred = { template: Template; withheld: string[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A success template from an answer: customers become `$customers` (a list) or `$customer` (one
 * object), the added ids `$customerIds`, the contact ids `$contactIds`; fixed words are kept when
 * safe, else the default template's word for that key (or the key is left out).
 */
export function successTemplate(body: Record<string, unknown>, fallback: Template, safety: Safety): Inferred {
  const template: Template = {};
  const withheld: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value) && /contact ids/i.test(key)) template[key] = '$contactIds';
    else if (Array.isArray(value) && value.every(isObject)) template[key] = '$customers';
    else if (isObject(value) && 'id' in value) template[key] = '$customer';
    else if (/kapture customer id/i.test(key)) template[key] = '$customerIds';
    else keepWord(template, withheld, key, value, fallback, safety);
  }
  return { template, withheld };
}

/** A failure template: the text becomes `$message` (its key says message, or it is the only text beside the status). */
export function failureTemplateOf(body: Record<string, unknown>, fallback: Template, safety: Safety): Inferred & { message: string | undefined; messageKey: string | undefined } {
  const texts = Object.entries(body).filter(([, value]) => typeof value === 'string') as Array<[string, string]>;
  const messageKey =
    texts.find(([key]) => /message/i.test(key))?.[0] ?? texts.find(([key]) => !/status/i.test(key))?.[0];
  const template: Template = {};
  const withheld: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === messageKey) template[key] = '$message';
    else keepWord(template, withheld, key, value, fallback, safety);
  }
  const message = messageKey === undefined ? undefined : (body[messageKey] as string);
  return { template, withheld, messageKey, message: message !== undefined && isSafeWord(message, safety.seen, safety.secrets) ? message : undefined };
}

function keepWord(template: Template, withheld: string[], key: string, value: unknown, fallback: Template, safety: Safety): void {
  const safe =
    (typeof value === 'string' && isSafeWord(value, safety.seen, safety.secrets)) ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1000);
  if (safe) {
    template[key] = value;
    return;
  }
  withheld.push(key);
  if (Object.hasOwn(fallback, key)) template[key] = fallback[key];
}
