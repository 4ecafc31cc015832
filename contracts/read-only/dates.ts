import type { CalendarShape } from '../../src/contract/answers.js';
import { fail, type Check } from '../../src/contract/check.js';
import { specValidator } from '../../src/validation/ajv.js';
import { discoverCustomers } from '../support/discovery.js';
import { searchLoosely } from '../support/customers.js';
import { compareCalendar, describeCalendar, GSON_FORMAT, parseGsonDate } from '../support/dates.js';
import type { RunState } from '../support/state.js';

const GSON_FIELDS = ['generationDate', 'dateOfBirth', 'anniversaryDate'];
/** A customer's first contact is created with it: the same second, give or take a minute. */
const SAME_TIME_SECONDS = 60;

function isCalendarLike(value: unknown): value is CalendarShape {
  const calendar = value as Record<string, unknown> | null;
  return !!calendar && ['year', 'month', 'dayOfMonth', 'hourOfDay', 'minute', 'second'].every((field) => Number.isInteger(calendar[field]));
}

export const dateChecks: Array<Check<RunState>> = [
  {
    id: 'dates.gson',
    title: "customers' generationDate (and dateOfBirth, anniversaryDate) are in Java Gson's default date format",
    group: 'read-only',
    source: 'fact',
    tags: ['dates'],
    requires: [],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      for (const id of ids) {
        for (const customer of await searchLoosely(context, id)) {
          for (const field of GSON_FIELDS) {
            const value = customer[field];
            if (field !== 'generationDate' && value === undefined) continue;
            if (!parseGsonDate(value)) {
              fail(`customer ${String(customer.id)}: ${field} is ${JSON.stringify(value)}, not Java Gson's default date format ${GSON_FORMAT}`);
            }
          }
        }
      }
    },
  },
  {
    id: 'dates.calendar-month',
    title: "contacts' generationDate is a java.util.Calendar with a 0-based month (the first contact agrees with its customer's creation)",
    group: 'read-only',
    source: 'fact',
    tags: ['dates'],
    requires: [],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      let compared = 0;
      for (const id of ids) {
        for (const customer of await searchLoosely(context, id)) {
          const created = parseGsonDate(customer.generationDate);
          const contacts = Array.isArray(customer.contacts) ? (customer.contacts as Array<Record<string, unknown>>) : [];
          for (const contact of contacts) {
            const calendar: unknown = contact.generationDate;
            // Compared first: a 1-based December (month 12) is off by one before it is out of range.
            if (created && contact.isPrimaryContact === true && isCalendarLike(calendar)) {
              const verdict = compareCalendar(calendar, created, SAME_TIME_SECONDS);
              if (verdict === 'one-based') {
                fail(`customer ${String(customer.id)}, created ${String(customer.generationDate)}: its primary contact's generationDate ${describeCalendar(calendar)} matches only when the month is read 1-based; java.util.Calendar months are 0-based (the month is off by one)`);
              }
              if (verdict === 'agrees') compared++;
            }
            if (!specValidator('CalendarObject')(calendar)) {
              fail(`customer ${String(customer.id)}, contact ${String(contact.id)}: generationDate ${JSON.stringify(calendar)} is not a java.util.Calendar object with a month from 0 to 11 (0-based: January is 0, December 11)`);
            }
          }
        }
      }
      context.note(compared > 0 ? `${compared} primary contacts agree with their customer's creation time` : 'no primary contact was created with its customer: only the month range was checked');
    },
  },
];
