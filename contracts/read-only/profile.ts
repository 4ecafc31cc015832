import { nothingToCheck, ProfileDifference, type Check } from '../../src/contract/check.js';
import { customersOf } from '../../src/contract/reading.js';
import { addSeconds, istClock, parseGsonDate, vendorDateTime } from '../support/dates.js';
import { discoverCustomers, recentWindows, someCustomerId } from '../support/discovery.js';
import { searchLoosely } from '../support/customers.js';
import { UNKNOWN_CUSTOMER_ID } from '../support/records.js';
import type { RunState } from '../support/state.js';

/** The string fields a customer may leave unset: an account omits them (Gson) or answers `""`. */
const UNSET_STRINGS = ['address', 'state', 'city', 'country', 'pinCode', 'customerCode', 'classification', 'customerType'];

/**
 * What differs between accounts and generations, compared with the run's profile: the failure
 * bodies and their texts, unset fields, today's Get Customer answers. Against an account without
 * --profile these observe; with one, a difference is drift.
 */
export const profileChecks: Array<Check<RunState>> = [
  {
    id: 'profile.failures',
    title: "refusals answer the profile's failure body and texts (a wrong key on search and select, select without start_date, an unknown customer)",
    group: 'read-only',
    source: 'profile',
    tags: ['errors', 'profile'],
    requires: ['vendor-errors', 'stateful'],
    async run(context, state) {
      const [lastDay] = recentWindows(context);
      const key = `contract-unknown-key-${context.runId}`;
      const range = { start_date: lastDay!.start_date, end_date: lastDay!.end_date };
      await context.failure('searchCustomer', { customer_id: await someCustomerId(context, state) }, { code: 'AuthKeyInvalid', situation: 'a key the account does not have' }, { key });
      await context.failure('selectCustomers', range, { code: 'AuthKeyInvalid', situation: 'a key the account does not have' }, { key });
      await context.failure('selectCustomers', { end_date: range.end_date }, { code: 'ReqFieldMissing', situation: 'no start_date' });
      await context.failure('searchCustomer', { customer_id: UNKNOWN_CUSTOMER_ID }, { code: 'CustomerNotFound', situation: `customer_id ${UNKNOWN_CUSTOMER_ID}` });
    },
  },
  {
    id: 'profile.unset-fields',
    title: 'unset string fields of customers are left out or answered "" as the profile says',
    group: 'read-only',
    source: 'profile',
    tags: ['search', 'profile'],
    requires: ['stateful'],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      const customers = customersOf((await context.send('searchCustomer', { customer_id: ids[0] })).json) ?? [];
      const empty = customers.flatMap((c) => UNSET_STRINGS.filter((field) => c[field] === '').map((field) => `${String(c.id)}.${field}`));
      const absent = customers.flatMap((c) => UNSET_STRINGS.filter((field) => !(field in c)).map((field) => `${String(c.id)}.${field}`));
      const want = context.expectation.profile.shapes.document.unsetFields;
      const wrong = want === 'omit' ? empty : absent;
      if (wrong.length > 0) {
        const field = wrong[0]!.split('.')[1]!;
        throw new ProfileDifference(
          `searchCustomer: unset fields are ${want === 'omit' ? 'answered ""' : 'left out'} (${wrong.slice(0, 3).join(', ')}); the profile "${context.expectation.label}" ${want === 'omit' ? 'leaves them out' : 'answers them ""'}`,
          [{ operation: 'searchCustomer', path: `$.message[0].${field}`, expected: want === 'omit' ? 'absent (unsetFields: omit)' : '"" (unsetFields: empty)', seen: want === 'omit' ? '""' : 'absent' }],
        );
      }
      if (empty.length + absent.length === 0) nothingToCheck(`customer ${ids[0]} has every optional string field set: nothing tells how unset fields are answered`);
    },
  },
  {
    id: 'profile.current-search',
    title: "today's Get Customer (search by kapture_customer_id) answers the profile's answer, and a miss the profile's miss",
    group: 'read-only',
    source: 'profile',
    tags: ['search', 'profile', 'current'],
    requires: ['vendor-errors', 'stateful'],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      const found = await context.success('searchCustomer', { kapture_customer_id: ids[0] }, {}, 'current');
      if (found.message.length !== 1 || String(found.message[0]!.id) !== ids[0]) {
        throw new ProfileDifference(`searchCustomer by kapture_customer_id ${ids[0]} answered ${found.message.length} customers, not the one asked for`, [
          { operation: 'searchCustomer', path: '$', expected: `customer ${ids[0]}`, seen: `${found.message.length} customers` },
        ]);
      }
      await context.failure('searchCustomer', { kapture_customer_id: UNKNOWN_CUSTOMER_ID }, { code: 'CustomerNotFound', situation: `kapture_customer_id ${UNKNOWN_CUSTOMER_ID}`, shape: 'current' });
    },
  },
  {
    id: 'profile.current-pull',
    title: "today's pull by date range (cm_id, createStartDate, createEndDate: 24 hours from a known customer's creation) answers the profile's list answer",
    group: 'read-only',
    source: 'profile',
    tags: ['select', 'profile', 'current'],
    requires: ['stateful'],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      // Read loosely: its dates are the fact checks' business; an unreadable one falls back to the last day.
      const [customer] = await searchLoosely(context, ids[0]!);
      const start = parseGsonDate(customer?.generationDate) ?? addSeconds(istClock(context.now()), -86_399);
      // At most 24 hours per request: one second less, so that no account counts it as more.
      const range = { createStartDate: vendorDateTime(start), createEndDate: vendorDateTime(addSeconds(start, 86_399)) };
      const list = await context.success('selectCustomers', { cm_id: customer?.cmId, ...range }, {}, 'current');
      if (list.message.length === 0) nothingToCheck(`no customer from ${range.createStartDate} to ${range.createEndDate}: the answer's keys and words were compared, but no customer was there to check against the spec`);
      context.note(`${list.message.length} customers from ${range.createStartDate} to ${range.createEndDate}`);
    },
  },
];
