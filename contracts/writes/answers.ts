import { fail, type Check } from '../../src/contract/check.js';
import type { CheckContext } from '../../src/contract/context.js';
import { newContact, newCustomer } from '../support/records.js';
import { needs, type CreatedCustomer, type RunState } from '../support/state.js';

/** Adds one tagged customer with the given body shape; records its id; fails unless one id comes back. */
async function addTagged(context: CheckContext, label: string, asArray: boolean): Promise<CreatedCustomer> {
  const customer = newCustomer(context.runId, label);
  const answer = await context.success('addCustomer', asArray ? [customer] : customer);
  const id = answer['Kapture Customer Id'];
  context.createdCustomers(id);
  if (id.includes(',')) fail(`addCustomer answered the ids ${id} for one customer`);
  context.note(`created customer ${id} (customer_code ${customer.customer_code})`);
  return { id, name: customer.name, email: customer.email, phone: customer.phone, customerCode: customer.customer_code };
}

export const writeAnswerChecks: Array<Check<RunState>> = [
  {
    id: 'add.object-body',
    title: 'addCustomer with an object body answers the new id in the profile\'s add answer (the document: Message/Status, "Kapture Customer Id")',
    group: 'writes',
    source: 'profile',
    tags: ['add'],
    requires: [],
    async run(context, state) {
      state.objectCustomer = await addTagged(context, 'object', false);
    },
  },
  {
    id: 'add.array-body',
    title: 'addCustomer with a one-element array body, as real clients send it, answers one new id',
    group: 'writes',
    source: 'fact',
    tags: ['add', 'arrays'],
    requires: [],
    async run(context, state) {
      state.flowCustomer = await addTagged(context, 'flow', true);
    },
  },
  {
    id: 'contacts.answer',
    title: "addContacts answers the profile's add-contacts answer (the document: Message/Status) for a customer this run created",
    group: 'writes',
    source: 'profile',
    tags: ['contacts'],
    requires: [],
    async run(context, state) {
      const customer = needs(state.objectCustomer, 'a customer created by this run', 'add.object-body');
      const answer = await context.success('addContacts', newContact(context.runId, customer.id, 'object'));
      for (const id of answer['Contact Ids'] ?? []) context.createdContact(id);
    },
  },
];
