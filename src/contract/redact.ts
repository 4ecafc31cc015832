export const REDACTED = '[redacted key]';

/**
 * A function that replaces every occurrence of the given secrets in a text. Everything the suite
 * prints or writes (report lines, JUnit XML, error messages) goes through it: a target may echo a
 * key back in an answer, and that answer may be quoted in a failure message.
 * Longer secrets are replaced first (a key may contain another); a secret of fewer than 4
 * characters is replaced only as a whole word, so that a one-letter test key does not shred the text.
 */
export function redactor(secrets: Iterable<string>): (text: string) => string {
  const unique = [...new Set([...secrets].filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return (text) => text;
  const pattern = new RegExp(
    unique.map((secret) => (secret.length < 4 ? `(?<![\\w-])${escape(secret)}(?![\\w-])` : escape(secret))).join('|'),
    'g',
  );
  return (text) => text.replace(pattern, REDACTED);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
