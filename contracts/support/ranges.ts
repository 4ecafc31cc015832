import type { CustomerShape } from '../../src/contract/answers.js';
import { fail } from '../../src/contract/check.js';
import type { CheckContext } from '../../src/contract/context.js';
import { clockMs, GSON_FORMAT, parseGsonDate, type WallClock } from './dates.js';

/**
 * Asserts that every customer a select answered was created within its range (dates alone are
 * whole days, both ends inclusive, IST): the check that catches a range that is not applied.
 */
export function expectWithinRange(range: { start_date: string; end_date: string }, customers: CustomerShape[]): void {
  const from = boundMs(range.start_date, 'start');
  const to = boundMs(range.end_date, 'end');
  for (const customer of customers) {
    const created = parseGsonDate(customer.generationDate);
    if (!created) fail(`customer ${customer.id}: generationDate ${JSON.stringify(customer.generationDate)} is not in Gson's format ${GSON_FORMAT}, so the range cannot be checked`);
    const at = clockMs(created);
    if (at < from || at > to) {
      fail(`selectCustomers from ${range.start_date} to ${range.end_date} answered customer ${customer.id}, created ${customer.generationDate}, outside that range: the date range is not applied`);
    }
  }
}

/** A select bound as a wall-clock ms: a date alone is 00:00:00 as a start and 23:59:59 as an end. */
function boundMs(text: string, bound: 'start' | 'end'): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/.exec(text)!;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const time = m[4] === undefined ? (bound === 'start' ? [0, 0, 0] : [23, 59, 59]) : [Number(m[4]), Number(m[5]), Number(m[6])];
  return clockMs({ year, month, day, hour: time[0]!, minute: time[1]!, second: time[2]! });
}

/** Selects a range and returns the answer (success, spec-valid). */
export async function select(context: CheckContext, range: { start_date: string; end_date: string }): Promise<CustomerShape[]> {
  return (await context.success('selectCustomers', { start_date: range.start_date, end_date: range.end_date })).message;
}

/** When a customer was created, from its Gson generationDate; fails naming the rule otherwise. */
export function creationOf(customer: CustomerShape): WallClock {
  const created = parseGsonDate(customer.generationDate);
  if (!created) fail(`customer ${customer.id}: generationDate ${JSON.stringify(customer.generationDate)} is not in Gson's format ${GSON_FORMAT}`);
  return created;
}
