import type { CustomerShape } from '../../src/contract/answers.js';
import { fail } from '../../src/contract/check.js';
import type { CheckContext } from '../../src/contract/context.js';
import { customersOf } from '../../src/contract/reading.js';

/** Searches one customer: a success that matches the spec and holds exactly the customer asked for. */
export async function searchOne(context: CheckContext, id: string): Promise<CustomerShape> {
  const list = await context.success('searchCustomer', { customer_id: id });
  const ids = list.message.map((customer) => customer.id);
  if (ids.length !== 1 || String(ids[0]) !== id) {
    fail(`searchCustomer for customer_id ${id} answered ${ids.length > 0 ? `customer ${ids.join(', ')}` : 'no customer'}: it must answer exactly the customer asked for`);
  }
  return list.message[0]!;
}

/**
 * The customer objects of a search answer, unjudged: for checks about one rule (dates, say) that
 * must name that rule, not the first schema error the answer has.
 */
export async function searchLoosely(context: CheckContext, id: string): Promise<Array<Record<string, unknown>>> {
  const exchange = await context.send('searchCustomer', { customer_id: id });
  const list = customersOf(exchange.json);
  if (!list) fail(`searchCustomer for customer_id ${id} did not answer a customer list: ${context.summary(exchange)}`);
  return list;
}

/** The ids of a list answer, as strings. */
export function idsOf(customers: Array<{ id: unknown }>): string[] {
  return customers.map((customer) => String(customer.id));
}
