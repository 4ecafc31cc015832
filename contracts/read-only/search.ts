import { fail, type Check } from '../../src/contract/check.js';
import { discoverCustomers } from '../support/discovery.js';
import { idsOf, searchOne } from '../support/customers.js';
import type { RunState } from '../support/state.js';

export const searchChecks: Array<Check<RunState>> = [
  {
    id: 'search.answer',
    title: 'searchCustomer answers a customer list that matches the spec (CustomerList: lowercase message/status)',
    group: 'read-only',
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
    title: 'searchCustomer takes an array body and answers the customers of every item, in order',
    group: 'read-only',
    tags: ['search', 'arrays'],
    requires: ['stateful'],
    async run(context, state) {
      const { ids } = await discoverCustomers(context, state);
      const asked = ids.slice(0, 2).reverse();
      const list = await context.success('searchCustomer', asked.map((id) => ({ customer_id: id })));
      const answered = idsOf(list.message);
      if (answered.join() !== asked.join()) {
        fail(`searchCustomer with the array body ${JSON.stringify(asked.map((id) => ({ customer_id: id })))} answered customers [${answered.join(', ')}]; expected [${asked.join(', ')}]`);
      }
    },
  },
];
