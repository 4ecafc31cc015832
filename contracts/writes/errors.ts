import type { Check } from '../../src/contract/check.js';
import { newContact, newCustomer, UNKNOWN_CUSTOMER_ID } from '../support/records.js';
import type { RunState } from '../support/state.js';

export const writeErrorChecks: Array<Check<RunState>> = [
  {
    id: 'add.missing-mandatory-field',
    title: "addCustomer without email is refused with ReqFieldMissing where the profile makes email mandatory (the document), and accepted where name and phone are enough",
    group: 'writes',
    source: 'profile',
    tags: ['add', 'errors'],
    requires: ['vendor-errors'],
    async run(context) {
      const { email: _email, ...withoutEmail } = newCustomer(context.runId, 'noemail');
      const exchange = await context.send('addCustomer', withoutEmail);
      // Should it have been created after all, it is tagged: list it with what the run created.
      const id = (exchange.json as Record<string, unknown> | undefined)?.['Kapture Customer Id'];
      if (typeof id === 'string') context.createdCustomers(id);
      const groups = context.expectation.profile.shapes.document.addRequires;
      if (!groups.some((group) => group.length === 1 && group[0] === 'email')) {
        context.expectSuccess('addCustomer', exchange);
        return;
      }
      context.expectFailure('addCustomer', exchange, { code: 'ReqFieldMissing', situation: 'no email (a mandatory field)' });
    },
  },
  {
    id: 'update.unknown-customer',
    title: 'updateCustomer of a customer the account does not have answers CustomerNotFound',
    group: 'writes',
    source: 'fact',
    tags: ['update', 'errors'],
    requires: ['vendor-errors', 'stateful'],
    async run(context) {
      await context.failure(
        'updateCustomer',
        { customer_id: UNKNOWN_CUSTOMER_ID, city: `contract ${context.runId}` },
        { code: 'CustomerNotFound', situation: `customer_id ${UNKNOWN_CUSTOMER_ID}, which no account has` },
      );
    },
  },
  {
    id: 'contacts.unknown-customer',
    title: 'addContacts for a customer the account does not have answers CustomerNotFound',
    group: 'writes',
    source: 'fact',
    tags: ['contacts', 'errors'],
    requires: ['vendor-errors', 'stateful'],
    async run(context) {
      await context.failure('addContacts', newContact(context.runId, UNKNOWN_CUSTOMER_ID, 'unknown'), {
        code: 'CustomerNotFound',
        situation: `customer_id ${UNKNOWN_CUSTOMER_ID}, which no account has`,
      });
    },
  },
  {
    id: 'contacts.missing-customer-id',
    title: 'addContacts without customer_id is refused with ReqFieldMissing',
    group: 'writes',
    source: 'fact',
    tags: ['contacts', 'errors'],
    requires: ['vendor-errors'],
    async run(context) {
      const { customer_id: _id, ...contact } = newContact(context.runId, UNKNOWN_CUSTOMER_ID, 'orphan');
      await context.failure('addContacts', contact, { code: 'ReqFieldMissing', situation: 'no customer_id' });
    },
  },
];
