import { post } from './load.js';

/*
 * Bodies of today's request shapes for a running sandbox: Get Customer by phone (phones read from
 * the store, one select per day), lookups by source id (given to customers added here: an
 * add-update naming an unknown customer_id adds it and keeps that id), and pull pages.
 */

const SEARCH = '/search-customer-by-customer-id.html';
const SELECT = '/select-customer-between-start-and-end-dates.html';
const ADD = '/add-update-customer-from-other-source.html';

/** Up to `count` phones of generated customers (created in 2024-2025), as the Python client sends them: every key, the unused ones "". */
export async function phoneBodies(url: string, count: number): Promise<string[]> {
  const phones = new Set<string>();
  for (let day = 0; phones.size < count && day < 731; day += 17) {
    const date = new Date(Date.parse('2024-01-05T00:00:00Z') + day * 86_400_000).toISOString().slice(0, 10);
    const answer = await post(url, SELECT, JSON.stringify({ start_date: date, end_date: date }), 60_000);
    const customers = (JSON.parse(answer.text) as { message?: Array<{ contacts: Array<{ phone: string }> }> }).message ?? [];
    for (const customer of customers.slice(0, 3)) phones.add(customer.contacts[0]!.phone);
  }
  if (phones.size === 0) throw new Error('no generated customer found to search by phone: is the store seeded?');
  return [...phones].slice(0, count).map((phone) => JSON.stringify([{ kapture_customer_id: '', customer_id: '', email_id: '', phone }]));
}

/** Adds `count` customers with source ids `bench-source-N` (upsert), and answers search bodies naming them. */
export async function sourceIdBodies(url: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `bench-source-${i}`);
  const batch = ids.map((id, i) => ({ customer_id: id, name: `Source ${i}`, phone: String(9_700_000_000 + i), email: `source${i}@bench.test` }));
  const answer = await post(url, ADD, JSON.stringify(batch), 60_000);
  if (!/"Kapture Customer Id"/.test(answer.text)) throw new Error(`adding the customers with source ids failed: ${answer.text.slice(0, 300)}`);
  const check = await post(url, SEARCH, JSON.stringify({ customer_id: ids[0] }), 60_000);
  if (!check.text.includes('"status":"success"')) throw new Error(`search by source id ${ids[0]} failed: ${check.text.slice(0, 300)}`);
  return ids.map((id) => JSON.stringify({ customer_id: id }));
}

/**
 * Pull-by-date-range bodies of 50 customers for each day of `days` (select bodies of one day
 * each): the first page, and the last full page of that day (its offset read from the store), so
 * the two loads compare a page's cost at offset 0 and at the end of the day.
 */
export async function pullPageBodies(url: string, days: string[]): Promise<{ first: string[]; last: string[] }> {
  const first: string[] = [];
  const last: string[] = [];
  for (const day of days.map((body) => (JSON.parse(body) as { start_date: string }).start_date)) {
    const window = { cm_id: 396, createStartDate: day, createEndDate: day };
    const all = await post(url, SELECT, JSON.stringify({ ...window, limit: 1_000_000 }), 60_000);
    const count = ((JSON.parse(all.text) as { 'Customer Details'?: unknown[] })['Customer Details'] ?? []).length;
    if (count === 0) throw new Error(`no customer created on ${day} to page through: ${all.text.slice(0, 200)}`);
    first.push(JSON.stringify({ ...window, limit: 50, offset: 0 }));
    last.push(JSON.stringify({ ...window, limit: 50, offset: Math.max(0, count - 50) }));
  }
  return { first, last };
}
