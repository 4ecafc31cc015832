import { FIRST_GENERATED_ID, SAMPLE_IDS } from './config.js';

/** Request bodies of the document's shapes: searches of ids spread over the store, one-day selects. */

/** Search bodies: the document's three sample ids, then up to 61 generated ids spread over the store. */
export function searchBodies(customers: number): string[] {
  const ids = [...SAMPLE_IDS];
  const n = Math.min(61, customers);
  for (let i = 0; i < n; i++) ids.push(FIRST_GENERATED_ID + Math.floor(((i + 0.5) * customers) / n));
  return ids.map((id) => JSON.stringify({ customer_id: String(id) }));
}

/** One-day selects: 16 days spread over 2024-2025, when the generated customers were created. */
export function selectDayBodies(): string[] {
  return oneDaySelects('2024-01-10', 16, 45);
}

/** One-day selects of every day of 2024-2025, in order: together they read every generated customer. */
export function everyDayBodies(): string[] {
  return oneDaySelects('2024-01-01', 731, 1);
}

/** `count` select bodies of one day each, from `first`, `everyDays` apart. */
export function oneDaySelects(first: string, count: number, everyDays: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(start + i * everyDays * 86_400_000).toISOString().slice(0, 10);
    return JSON.stringify({ start_date: day, end_date: day });
  });
}
