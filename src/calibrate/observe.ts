import type { OperationId } from '../operations/ids.js';
import { sendVendor, type Exchange } from '../contract/vendor-client.js';
import { customersOf, isFailureBody } from '../contract/reading.js';
import { collectValues } from './redact.js';

/** One answer the calibration asked for: which aspect of the profile it tells, how it was asked. */
export type Observation = { aspect: string; request: string; exchange: Exchange };

export type ObserveOptions = {
  baseUrl: string;
  key: string;
  allowWrites: boolean;
  runId: string;
  now: () => Date;
  timeoutMs: number;
  /** Existing customers to read (--customer-id) besides those select finds. */
  customerIds?: string[];
};

/** What the run saw: the answers per aspect, the customer values seen (never written), what it created. */
export type Observed = {
  observations: Observation[];
  seen: Set<string>;
  created: string[];
  notes: string[];
};

/** Kapture ids come from one counter, in the hundreds of millions today: no account has this one. */
const UNKNOWN_ID = '999999999999999';
const WINDOW_DAYS = [1, 7, 30, 365];
const DAY_MS = 86_400_000;
const IST_MS = 5.5 * 3_600_000;

/** `2026-12-01` or `2026-12-01 10:15:00`, India time, as Kapture's dates are. */
function ist(at: Date, withTime: boolean): string {
  const text = new Date(at.getTime() + IST_MS).toISOString().replace('T', ' ').slice(0, 19);
  return withTime ? text : text.slice(0, 10);
}

function phoneFor(runId: string, label: string): string {
  let hash = 0;
  for (const char of `${runId}/${label}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `9${String(hash % 1_000_000_000).padStart(9, '0')}`;
}

/**
 * Asks the account what a profile needs to know: read-only by default (existing customers by
 * select then search, a refused key, missing fields, an unknown customer, in both generations'
 * shapes); with writes also add, update (by Kapture id and by the integrating system's id) and
 * add contacts, every record tagged with the run id. An aspect whose request failed for another
 * reason is left out (it stays the default, listed as unobserved).
 */
export async function observeAccount(options: ObserveOptions): Promise<Observed> {
  const observed: Observed = { observations: [], seen: new Set(), created: [], notes: [] };
  const send = (operation: OperationId, body: unknown, key: string | null = options.key, path?: string) =>
    sendVendor(options.baseUrl, operation, body, { key, timeoutMs: options.timeoutMs, ...(path ? { path } : {}) });
  const record = (aspect: string, request: string, exchange: Exchange) => {
    collectValues(customersOf(exchange.json) ?? [], observed.seen);
    observed.observations.push({ aspect, request, exchange });
  };
  const now = options.now();

  let customers: Array<Record<string, unknown>> = [];
  for (const days of WINDOW_DAYS) {
    const body = { start_date: ist(new Date(now.getTime() - days * DAY_MS), false), end_date: ist(now, false) };
    const exchange = await send('selectCustomers', body);
    if (isFailureBody(exchange.json) || customersOf(exchange.json) === undefined) {
      observed.notes.push(`selectCustomers over the last ${days} days did not answer a customer list (HTTP ${exchange.status})`);
      break;
    }
    record('document.answers.selectCustomers', `selectCustomers {start_date, end_date} over the last ${days} days`, exchange);
    customers = customersOf(exchange.json) ?? [];
    if (customers.length > 0) break;
  }
  const found = customers.map((c) => c.id).filter((id) => typeof id === 'number' || typeof id === 'string').map(String);
  const ids = [...new Set([...(options.customerIds ?? []), ...found.slice(-2)])].slice(0, 2);
  if (ids.length === 0) observed.notes.push('no customer found over the last 365 days: the search answers are unobserved (name some with --customer-id ID)');

  if (ids[0] !== undefined) {
    record('document.answers.searchCustomer', 'searchCustomer {customer_id} of an existing customer', await send('searchCustomer', { customer_id: ids[0] }));
    record('current.answers.searchCustomer', "searchCustomer {kapture_customer_id} (today's Get Customer) of an existing customer", await send('searchCustomer', { kapture_customer_id: ids[0] }));
  }
  if (ids.length === 2) {
    record('document.batch', 'searchCustomer [{customer_id}, {customer_id}] of two existing customers', await send('searchCustomer', ids.map((id) => ({ customer_id: id }))));
  }
  // The account's id, from a customer select found or, failing that, the first one searched.
  const searched = observed.observations.find((o) => o.aspect === 'document.answers.searchCustomer');
  const cmId = customers[0]?.cmId ?? (searched ? customersOf(searched.exchange.json)?.[0]?.cmId : undefined);
  if (typeof cmId === 'number' || typeof cmId === 'string') {
    const pull = { cm_id: cmId, createStartDate: ist(new Date(now.getTime() - DAY_MS + 1000), true), createEndDate: ist(now, true) };
    record('current.answers.selectCustomers', "selectCustomers {cm_id, createStartDate, createEndDate} (today's pull) over the last 24 hours", await send('selectCustomers', pull));
  }

  const refused = `calibrate-refused-${options.runId}`;
  const someId = ids[0] ?? UNKNOWN_ID;
  record('document.errors.AuthKeyInvalid.searchCustomer', 'searchCustomer {customer_id} with a key the account does not have', await send('searchCustomer', { customer_id: someId }, refused));
  record('document.errors.AuthKeyInvalid.selectCustomers', 'selectCustomers {start_date, end_date} with a key the account does not have', await send('selectCustomers', { start_date: ist(now, false), end_date: ist(now, false) }, refused));
  record('current.errors.AuthKeyInvalid.searchCustomer', 'searchCustomer {kapture_customer_id} with a key the account does not have', await send('searchCustomer', { kapture_customer_id: someId }, refused));
  record('document.errors.ReqFieldMissing.selectCustomers', 'selectCustomers without start_date', await send('selectCustomers', { end_date: ist(now, false) }));
  record('document.errors.CustomerNotFound.searchCustomer', 'searchCustomer {customer_id} of a customer no account has', await send('searchCustomer', { customer_id: UNKNOWN_ID }));
  record('current.errors.CustomerNotFound.searchCustomer', 'searchCustomer {kapture_customer_id} of a customer no account has', await send('searchCustomer', { kapture_customer_id: UNKNOWN_ID }));

  if (options.allowWrites) await observeWrites(options, send, record, observed);
  return observed;
}

type Send = (operation: OperationId, body: unknown, key?: string | null, path?: string) => Promise<Exchange>;

async function observeWrites(options: ObserveOptions, send: Send, record: (aspect: string, request: string, exchange: Exchange) => void, observed: Observed): Promise<void> {
  const tag = options.runId;
  const customer = { name: `Calibrate ${tag}`, email: `calibrate.${tag}@example.com`, phone: phoneFor(tag, 'add'), customer_code: `calibrate-${tag}`, city: 'Pune' };
  for (const value of [customer.name, customer.email, customer.phone, customer.customer_code, `calibrate-source-${tag}`]) observed.seen.add(value.toLowerCase());
  const added = await send('addCustomer', customer);
  record('document.answers.addCustomer', 'addCustomer {name, email, phone, customer_code} (a record tagged with the run id)', added);
  const id = idOf(added);
  if (id !== undefined) {
    observed.created.push(id);
    record('document.answers.updateCustomer', 'updateCustomer {customer_id: the Kapture id, city}', await send('updateCustomer', { customer_id: id, city: `Calibrate ${tag}` }));
    const contact = { customer_id: id, contact_person: `Calibrate contact ${tag}`, email: `calibrate.contact.${tag}@example.com`, phone: phoneFor(tag, 'contact') };
    for (const value of [contact.contact_person, contact.email, contact.phone]) observed.seen.add(value.toLowerCase());
    record('document.answers.addContacts', 'addContacts {customer_id, contact_person, email, phone}', await send('addContacts', contact));
  }
  // The integrating system's own id: unknown, it adds (upsert); the same call again updates.
  const source = { ...customer, customer_id: `calibrate-source-${tag}`, phone: phoneFor(tag, 'source'), email: `calibrate.source.${tag}@example.com` };
  for (const value of [source.phone, source.email]) observed.seen.add(value.toLowerCase());
  const upserted = await send('addCustomer', source);
  const upsertedId = idOf(upserted);
  if (upsertedId !== undefined) observed.created.push(upsertedId);
  record('document.upsert', 'addCustomer {customer_id: an id of the integrating system, name, email, phone}', upserted);
  record('document.updateBySource', 'updateCustomer {customer_id: the same id of the integrating system, city}', await send('updateCustomer', { customer_id: source.customer_id, city: `Calibrate ${tag}` }));
  const noEmail = { name: customer.name, phone: phoneFor(tag, 'noemail'), customer_code: customer.customer_code };
  observed.seen.add(noEmail.phone);
  const withoutEmail = await send('addCustomer', noEmail);
  const noEmailId = idOf(withoutEmail);
  if (noEmailId !== undefined) observed.created.push(noEmailId);
  record('document.addRequires', 'addCustomer {name, phone} without email', withoutEmail);
  // Today's clients send every key, the unknown ones as "": counted as not sent, or refused as empty?
  const emptyEmail = { ...noEmail, phone: phoneFor(tag, 'emptyemail'), email: '' };
  observed.seen.add(emptyEmail.phone);
  const withEmptyEmail = await send('addCustomer', emptyEmail);
  const emptyId = idOf(withEmptyEmail);
  if (emptyId !== undefined) observed.created.push(emptyId);
  record('document.emptyMeansAbsent', 'addCustomer {name, phone, email: ""}', withEmptyEmail);
  // A refused key changes nothing, but these are writes: asked only with --allow-writes.
  const refused = `calibrate-refused-${tag}`;
  const refusedBodies: Array<[OperationId, unknown]> = [
    ['addCustomer', { ...customer, phone: phoneFor(tag, 'refused') }],
    ['updateCustomer', { customer_id: id ?? UNKNOWN_ID, city: `Calibrate ${tag}` }],
    ['addContacts', { customer_id: id ?? UNKNOWN_ID, contact_person: `Calibrate contact ${tag}`, phone: phoneFor(tag, 'refused-contact') }],
  ];
  for (const [operation, body] of refusedBodies) {
    record(`document.errors.AuthKeyInvalid.${operation}`, `${operation} with a key the account does not have`, await send(operation, body, refused));
  }
}

function idOf(exchange: Exchange): string | undefined {
  const body = exchange.json as Record<string, unknown> | undefined;
  if (!body || isFailureBody(body)) return undefined;
  const key = Object.keys(body).find((k) => /kapture customer id/i.test(k));
  const value = key === undefined ? undefined : body[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
