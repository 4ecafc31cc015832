import { fail, nothingToCheck, ProfileDifference, type Check } from '../../src/contract/check.js';
import { discoverCustomers } from '../support/discovery.js';
import { idsOf, searchOne } from '../support/customers.js';
import type { RunState } from '../support/state.js';

export const searchChecks: Array<Check<RunState>> = [
  {
    id: 'search.answer',
    title: "searchCustomer answers the profile's search answer (its keys and status word) with customers that match the spec",
    group: 'read-only',
    source: 'profile',
    tags: ['search'],
    requires: [],
    async run(context, state) {
      const { ids, how } = await discoverCustomers(context, state);
      const list = await context.success('searchCustomer', { customer_id: ids[0] });
      if (list.message.length === 0) fail(`searchCustomer for customer_id ${ids[0]} (${how}) answered an empty list`);
      context.note(`customer ${ids[0]}, ${how}`);
    },
  },
  {
    id: 'search.asked-customer',
    title: 'searchCustomer answers exactly the customer asked for, each in the same account (cmId)',
    group: 'read-only',
    source: 'fact',
    tags: ['search'],
    requires: ['stateful'],
    async run(context, state) {
      const { ids, how } = await discoverCustomers(context, state);
      const accounts = new Set<number>();
      for (const id of ids) accounts.add((await searchOne(context, id)).cmId);
      if (accounts.size > 1) fail(`customers ${ids.join(', ')} (${how}) belong to several accounts (cmId ${[...accounts].join(', ')}): one key sees one account`);
      context.note(`customers ${ids.join(', ')}, ${how}`);
    },
  },
  {
    id: 'search.array-body',
    title: "searchCustomer takes an array body and answers the customers of every item, in order (or the first item's only, as the profile says)",
    group: 'read-only',
    source: 'decision',
    tags: ['search', 'arrays'],
    requires: ['stateful'],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      const asked = ids.slice(0, 2).reverse();
      const list = await context.success('searchCustomer', asked.map((id) => ({ customer_id: id })));
      if (asked.length < 2) nothingToCheck(`found only one customer (${ids.join(', ')}): a body of two items needs two; name another with --customer-id ID`);
      const answered = idsOf(list.message);
      // Nothing public says whether a body of several items is answered whole: the profile says.
      const batch = context.expectation.profile.shapes.document.batch;
      const expected = batch === 'all' ? asked : asked.slice(0, 1);
      if (answered.join() !== expected.join()) {
        throw new ProfileDifference(
          `searchCustomer with the array body ${JSON.stringify(asked.map((id) => ({ customer_id: id })))} answered customers [${answered.join(', ')}]; the profile "${context.expectation.label}" answers ${batch === 'all' ? 'every item' : 'the first item only'}: [${expected.join(', ')}]`,
          [{ operation: 'searchCustomer', path: '$.message', expected: `${batch === 'all' ? 'every item' : 'the first item'} (batch: ${batch})`, seen: `${answered.length} of ${asked.length} items` }],
        );
      }
    },
  },
];
