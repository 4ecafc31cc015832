import { post } from './load.js';

/*
 * Search bodies of today's Get Customer (by phone) and of lookups by source id, for a running
 * sandbox: phones are read from the store (one select per day), source ids are given to customers
 * added here (an add-update naming an unknown customer_id adds it and keeps that id).
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
