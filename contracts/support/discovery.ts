import { skip } from '../../src/contract/check.js';
import type { CheckContext } from '../../src/contract/context.js';
import { customersOf } from '../../src/contract/reading.js';
import { istClock, vendorDate } from './dates.js';
import type { Discovery, RunState } from './state.js';
import { UNKNOWN_CUSTOMER_ID } from './records.js';

/** Recent windows first: on a real account the last day is a small answer, ten years is not. */
const WINDOW_DAYS = [1, 7, 30, 365];
/** A sandbox's data is synthetic and small: after the recent windows, all of it. */
const SANDBOX_SINCE = '2000-01-01';
const MAX_CUSTOMERS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

export type SelectWindow = { start_date: string; end_date: string; label: string };

/**
 * Existing customers for the read-only checks: those the user named (--customer-id), else the
 * newest few that selectCustomers answers over a recent window (widening until one has some).
 * Found once per run; a check that needs customers when there are none is skipped, saying how to
 * name some.
 */
export function discoverCustomers(context: CheckContext, state: RunState): Promise<Discovery> {
  state.discovery ??= find(context);
  return state.discovery;
}

/** A customer id to put in a request whose key must be refused: a found one if any, else any id. */
export async function someCustomerId(context: CheckContext, state: RunState): Promise<string> {
  try {
    return (await discoverCustomers(context, state)).ids[0]!;
  } catch {
    return UNKNOWN_CUSTOMER_ID;
  }
}

/** The select windows, whole IST days ending today: `[today - days, today]`. */
export function recentWindows(context: CheckContext): SelectWindow[] {
  const now = context.now();
  const today = vendorDate(istClock(now));
  const windows = WINDOW_DAYS.map((days) => ({
    start_date: vendorDate(istClock(new Date(now.getTime() - days * DAY_MS))),
    end_date: today,
    label: `the last ${days} day${days === 1 ? '' : 's'}`,
  }));
  if (context.has('control')) windows.push({ start_date: SANDBOX_SINCE, end_date: today, label: `everything since ${SANDBOX_SINCE}` });
  return windows;
}

async function find(context: CheckContext): Promise<Discovery> {
  if (context.customerIds.length > 0) return { ids: context.customerIds, how: 'named with --customer-id' };
  for (const window of recentWindows(context)) {
    const exchange = await context.send('selectCustomers', { start_date: window.start_date, end_date: window.end_date });
    const list = customersOf(exchange.json);
    if (!list) {
      skip(`could not find customers to read: selectCustomers over ${window.label} answered ${context.summary(exchange)}; name some with --customer-id ID`);
    }
    const ids = list
      .map((customer) => (customer as { id?: unknown } | null)?.id)
      .filter((id): id is number | string => typeof id === 'number' || typeof id === 'string')
      .map(String);
    if (ids.length > 0) {
      const range = { start_date: window.start_date, end_date: window.end_date };
      // The newest: the answer is oldest first.
      return { ids: [...new Set(ids)].slice(-MAX_CUSTOMERS), how: `found by selectCustomers over ${window.label}`, window: range };
    }
  }
  skip('no customer found by selectCustomers over the last 365 days: name existing customers with --customer-id ID');
}
