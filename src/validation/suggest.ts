/**
 * "Did you mean" for unknown request fields. Kapture drops a misspelt field silently; the sandbox
 * is where a developer learns that `"customer_code "` (trailing space, as in the document's update
 * sample) or `customerCode` never reached the customer.
 */
export function suggestField(key: string, known: readonly string[]): string | undefined {
  const normalized = normalize(key);
  const exact = known.find((field) => field === normalized);
  if (exact) return exact;
  // One edit in a short name, two in a longer one: "emial" -> email, but not "role" -> zone.
  const allowed = normalized.length <= 5 ? 1 : 2;
  let best: { field: string; distance: number } | undefined;
  for (const field of known) {
    const distance = editDistance(normalized, field);
    if (distance <= allowed && (!best || distance < best.distance)) best = { field, distance };
  }
  return best?.field;
}

/** `Customer Code`, `customerCode`, ` customer-code ` all normalize to `customer_code`. */
function normalize(key: string): string {
  return key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
