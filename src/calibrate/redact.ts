/**
 * What a calibrated profile may hold of an account's answers: their keys, the kinds of their
 * values, and the fixed words (status words, messages) that are the same for every customer.
 * Never a key, never customer data: an example body keeps its keys and has each value replaced by
 * its type, and a word is kept only when it holds nothing the run saw in a customer or sent as a secret.
 */

/** `{"name":"Rahul","contacts":[{"phone":"98..."}]}` -> `{"name":"<string>","contacts":[{"phone":"<string>"}]}`. */
export function typeShape(value: unknown): unknown {
  if (value === null) return '<null>';
  if (Array.isArray(value)) return value.length === 0 ? [] : [typeShape(value[0])];
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, typeShape(inner)]));
  }
  return `<${typeof value}>`;
}

/** Every string and number found in customer objects, to tell a fixed word from customer data. */
export function collectValues(value: unknown, into: Set<string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) for (const item of value) collectValues(item, into);
  else if (typeof value === 'object') for (const inner of Object.values(value as Record<string, unknown>)) collectValues(inner, into);
  else {
    const text = String(value).trim();
    // One or two characters ("N", "0") identify nobody; shorter values are matched as whole words.
    if (text.length >= 3) into.add(text.toLowerCase());
  }
}

/**
 * Whether a word of an answer may go into the profile: short, no digits that could be an id or a
 * phone, no email, nothing the run saw in a customer, no secret.
 */
export function isSafeWord(text: string, seen: ReadonlySet<string>, secrets: readonly string[]): boolean {
  if (text.length === 0 || text.length > 160) return false;
  if (/\d{4,}/.test(text) || /@/.test(text)) return false;
  if (secrets.some((secret) => secret.length > 0 && text.includes(secret))) return false;
  const lower = text.toLowerCase();
  const words = new Set(lower.split(/[^\p{L}\p{N}]+/u));
  for (const value of seen) {
    // A short value ("Rahul", "Pune") only as a word of its own: "success" holds "cess" by chance.
    if (value.length >= 6 ? lower.includes(value) : words.has(value)) return false;
  }
  return true;
}
