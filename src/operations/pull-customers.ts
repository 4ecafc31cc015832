import { parseVendorDateTime } from '../vendor/dates.js';
import { VendorError } from '../errors.js';
import type { CustomerRecord } from '../records.js';
import { emailKey, phoneKey } from '../store/identity-index.js';
import type { OperationContext, OperationResult } from './context.js';
import { findByReference } from './lookup.js';

/** Today's "Pull Customer by Date Range", from values the spec's field rules accepted. */
export type PullCustomersInput = {
  cmId: number;
  start: string;
  end: string;
  limit: number;
  offset: number;
  name?: string;
  phone?: string;
  email?: string;
  customerRef?: string;
  customerCode?: string;
  /** Fields of the vendor's sample that the sandbox accepts and does not apply, with a value. */
  unapplied: string[];
};

/** Kapture's words: "at one hit we can pull a data of max 24 hours". */
const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;
const DEFAULT_LIMIT = 100;
const FILTERS = ['name', 'phone', 'email', 'customer_id', 'customerCode'];
const APPLIED = new Set(['cm_id', 'createStartDate', 'createEndDate', 'limit', 'offset', ...FILTERS]);

type Values = Record<string, unknown>;
const text = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

export function toPullCustomersInput(values: Values): PullCustomersInput {
  const input: PullCustomersInput = {
    cmId: Number(values.cm_id),
    start: String(values.createStartDate),
    end: String(values.createEndDate),
    limit: values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit),
    offset: values.offset === undefined ? 0 : Number(values.offset),
    unapplied: Object.keys(values).filter((key) => !APPLIED.has(key) && meaningful(values[key])),
  };
  const filters: Array<[keyof PullCustomersInput, unknown]> = [
    ['name', values.name],
    ['phone', values.phone],
    ['email', values.email],
    ['customerRef', values.customer_id],
    ['customerCode', values.customerCode],
  ];
  for (const [field, value] of filters) if (value !== undefined) (input as Record<string, unknown>)[field] = text(value);
  return input;
}

/** A value that asks for something: not one of the sample's "nothing" values. */
function meaningful(value: unknown): boolean {
  return value !== '' && value !== 0 && value !== false && value !== 'false' && value !== null;
}

/**
 * The key's customers created in `[createStartDate, createEndDate)`, oldest first, filtered, then
 * paged by `offset` and `limit`. A date without a time is midnight IST; an end date equal to the
 * start date means that whole day, so both `2024-05-01`..`2024-05-02` (the vendor's sample) and
 * `2024-05-01`..`2024-05-01` are one day. More than 24 hours is refused, as Kapture documents.
 */
export function pullCustomers(context: OperationContext, inputs: PullCustomersInput[]): OperationResult {
  const warnings: string[] = [];
  let found: CustomerRecord[] = [];
  for (const [index, input] of inputs.entries()) {
    const at = inputs.length > 1 ? `[${index}].` : '';
    if (input.cmId !== context.tenant) {
      throw new VendorError('AuthKeyInvalid', undefined, `${at}cm_id ${input.cmId} is not the account of this key (${context.tenant}): send the key's own cm_id`);
    }
    const { from, to } = window(input, at);
    if (to <= from) {
      warnings.push(`${at}createEndDate ${input.end} is not after createStartDate ${input.start}: no customer can match`);
      continue;
    }
    if (input.unapplied.length > 0) warnings.push(`${at}fields ${input.unapplied.join(', ')} accepted and not applied: the sandbox filters by ${FILTERS.join(', ')} only`);
    found = found.concat(page(context, input, from, to));
  }
  return { answer: { customers: found }, warnings, mutated: false };
}

function window(input: PullCustomersInput, at: string): { from: number; to: number } {
  // The field rules accepted both dates, so they parse.
  const from = parseVendorDateTime(input.start, 'start')!;
  const dateOnly = !/[ T]/.test(input.end);
  const to = dateOnly && input.end === input.start ? parseVendorDateTime(input.end, 'end')! + 1 : parseVendorDateTime(input.end, 'start')!;
  if (to - from > MAX_WINDOW_MS) {
    throw new VendorError(
      'ReqFieldMissing',
      `Mandatory field malformed: ${at}createEndDate (at one hit we can pull a data of max 24 hours; ${input.start} to ${input.end} is ${Math.round((to - from) / 3_600_000)} hours)`,
    );
  }
  return { from, to };
}

/** Without filters a page is a slice of the time index; with them, the window (at most a day) is scanned. */
function page(context: OperationContext, input: PullCustomersInput, from: number, to: number): CustomerRecord[] {
  const { store, tenant } = context;
  const filtered = input.name !== undefined || input.phone !== undefined || input.email !== undefined || input.customerRef !== undefined || input.customerCode !== undefined;
  if (!filtered) return store.customersPage(tenant, from, to, input.offset, input.limit);
  const name = input.name?.toLowerCase();
  const phone = input.phone === undefined ? undefined : phoneKey(input.phone);
  const email = input.email === undefined ? undefined : emailKey(input.email);
  const named = input.customerRef === undefined ? undefined : findByReference(context, input.customerRef)?.customer;
  const matches = store.customersBetween(tenant, from, to - 1).filter(
    (customer) =>
      (name === undefined || customer.name.toLowerCase().includes(name)) &&
      (phone === undefined || customer.contacts.some((c) => phoneKey(c.phone) === phone)) &&
      (email === undefined || customer.contacts.some((c) => emailKey(c.email) === email)) &&
      (input.customerRef === undefined || customer === named) &&
      (input.customerCode === undefined || customer.customerCode === input.customerCode),
  );
  return matches.slice(input.offset, input.offset + input.limit);
}
