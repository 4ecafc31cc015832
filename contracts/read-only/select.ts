import { fail, nothingToCheck, type Check } from '../../src/contract/check.js';
import { discoverCustomers, recentWindows } from '../support/discovery.js';
import { idsOf, searchOne } from '../support/customers.js';
import { addSeconds, vendorDate, vendorDateTime } from '../support/dates.js';
import { creationOf, expectWithinRange, select } from '../support/ranges.js';
import type { RunState } from '../support/state.js';

export const selectChecks: Array<Check<RunState>> = [
  {
    id: 'select.answer',
    title: "selectCustomers answers the profile's list answer for a recent range (YYYY-MM-DD dates), with customers that match the spec",
    group: 'read-only',
    source: 'profile',
    tags: ['select', 'dates'],
    requires: [],
    async run(context, state) {
      // The window discovery found customers in, else the last day (which may hold none).
      const found = await discoverCustomers(context, state).catch(() => undefined);
      const [lastDay] = recentWindows(context);
      const range = found?.window ? { ...found.window, label: `${found.window.start_date} to ${found.window.end_date}` } : lastDay!;
      const customers = await select(context, range);
      if (customers.length === 0) nothingToCheck(`no customer over ${range.label}: the answer's keys and words were compared, but no customer was there to check against the spec`);
      context.note(`${customers.length} customers over ${range.label}`);
    },
  },
  {
    id: 'select.array-body',
    title: 'selectCustomers takes a one-element array body, as real clients send it',
    group: 'read-only',
    source: 'fact',
    tags: ['select', 'arrays'],
    requires: [],
    async run(context) {
      const [lastDay] = recentWindows(context);
      await context.success('selectCustomers', [{ start_date: lastDay!.start_date, end_date: lastDay!.end_date }]);
    },
  },
  {
    id: 'select.within-range',
    title: 'selectCustomers answers only customers created within the range asked for',
    group: 'read-only',
    source: 'fact',
    tags: ['select', 'dates'],
    requires: ['stateful'],
    async run(context, state) {
      const { window } = await discoverCustomers(context, state);
      const range = window ?? recentWindows(context)[2]!;
      const customers = await select(context, range);
      expectWithinRange(range, customers);
      context.note(`${customers.length} customers from ${range.start_date} to ${range.end_date}`);
    },
  },
  {
    id: 'select.finds-known-customer',
    title: 'selectCustomers finds a known customer on its creation day and second, and not the day before',
    group: 'read-only',
    source: 'fact',
    tags: ['select', 'dates'],
    requires: ['stateful'],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      const customer = await searchOne(context, ids[0]!);
      const created = creationOf(customer);
      const day = { start_date: vendorDate(created), end_date: vendorDate(created) };
      const second = { start_date: vendorDateTime(created), end_date: vendorDateTime(created) };
      for (const range of [day, second]) {
        const found = await select(context, range);
        if (!idsOf(found).includes(String(customer.id))) {
          fail(`selectCustomers from ${range.start_date} to ${range.end_date} does not answer customer ${customer.id}, created ${customer.generationDate}, within that range (both ends are inclusive; a date alone is the whole day)`);
        }
        expectWithinRange(range, found);
      }
      const before = vendorDate(addSeconds({ ...created, hour: 0, minute: 0, second: 0 }, -1));
      const dayBefore = await select(context, { start_date: before, end_date: before });
      if (idsOf(dayBefore).includes(String(customer.id))) {
        fail(`selectCustomers from ${before} to ${before} answered customer ${customer.id}, created ${customer.generationDate}, the next day: the date range is not applied`);
      }
      expectWithinRange({ start_date: before, end_date: before }, dayBefore);
    },
  },
];
