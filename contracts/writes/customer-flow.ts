import type { ContactShape, CustomerShape } from '../../src/contract/answers.js';
import { fail, type Check } from '../../src/contract/check.js';
import { show } from '../../src/contract/schema-check.js';
import { idsOf, searchOne } from '../support/customers.js';
import { addSeconds, compareCalendar, describeCalendar, gsonText, vendorDate, vendorDateTime, type WallClock } from '../support/dates.js';
import { newContact } from '../support/records.js';
import { creationOf, expectWithinRange, select } from '../support/ranges.js';
import { needs, type CreatedCustomer, type RunState } from '../support/state.js';

/** A customer's first contact is created with it. */
const SAME_TIME_SECONDS = 60;
/** A contact added by the flow is added within the hour of its customer (a month off is not). */
const FLOW_SECONDS = 60 * 60;
/** The window after creation that must not find the customer. */
const AFTER_SECONDS = 60 * 60;

function flowCustomer(state: RunState): CreatedCustomer {
  return needs(state.flowCustomer, 'the customer the flow follows', 'add.array-body');
}

function createdAt(state: RunState): WallClock {
  return needs(flowCustomer(state).createdAt, 'the creation time search shows', 'flow.search-after-add');
}

function expectCalendar(customer: CustomerShape, contact: ContactShape, reference: WallClock, toleranceSeconds: number, what: string): void {
  const verdict = compareCalendar(contact.generationDate, reference, toleranceSeconds);
  if (verdict === 'one-based') {
    fail(`customer ${customer.id}: ${what}'s generationDate ${describeCalendar(contact.generationDate)} matches ${gsonText(reference)} only when the month is read 1-based; java.util.Calendar months are 0-based (the month is off by one)`);
  }
  if (verdict === 'differs') {
    fail(`customer ${customer.id}: ${what}'s generationDate ${describeCalendar(contact.generationDate)} is not within ${toleranceSeconds} s of ${gsonText(reference)}`);
  }
}

/**
 * add → search → update → search → add contacts → search → select, on the customer `add.array-body`
 * created. Reads after a write retry for a bounded time (`eventually`): a real service may be
 * eventually consistent; the report says how long each waited.
 */
export const customerFlowChecks: Array<Check<RunState>> = [
  {
    id: 'flow.search-after-add',
    title: 'search shows the added customer as sent, created now (Gson date), its first contact a 0-based Calendar of the same time',
    group: 'writes',
    source: 'fact',
    tags: ['flow', 'search', 'dates'],
    requires: ['stateful'],
    async run(context, state) {
      const created = flowCustomer(state);
      const customer = await context.eventually('search to show the added customer', () => searchOne(context, created.id));
      const expected = { name: created.name, customerCode: created.customerCode };
      for (const [field, value] of Object.entries(expected)) {
        const shown = (customer as Record<string, unknown>)[field];
        if (shown !== value) fail(`customer ${created.id}: search shows ${field} ${show(shown)}, add sent ${show(value)}`);
      }
      const primary = customer.contacts.find((contact) => contact.isPrimaryContact);
      if (!primary || primary.email !== created.email || primary.phone !== created.phone) {
        fail(`customer ${created.id}: search shows no primary contact with the email and phone add sent (${created.email}, ${created.phone}): ${JSON.stringify(customer.contacts)}`);
      }
      const at = creationOf(customer);
      expectCalendar(customer, primary, at, SAME_TIME_SECONDS, 'its primary contact');
      created.createdAt = at;
    },
  },
  {
    id: 'flow.update',
    title: 'updateCustomer of a customer this run created answers success',
    group: 'writes',
    source: 'fact',
    tags: ['flow', 'update'],
    requires: ['stateful'],
    async run(context, state) {
      const created = flowCustomer(state);
      const changes = { city: `Contract City ${context.runId}`, state: 'Maharashtra' };
      await context.success('updateCustomer', { customer_id: created.id, ...changes });
      created.updated = changes;
    },
  },
  {
    id: 'flow.search-shows-update',
    title: 'search shows what the update set, and keeps what it did not touch',
    group: 'writes',
    source: 'fact',
    tags: ['flow', 'update', 'search'],
    requires: ['stateful'],
    async run(context, state) {
      const created = flowCustomer(state);
      const updated = needs(created.updated, 'an update that answered success', 'flow.update');
      const customer = await context.eventually('search to show the update', async () => {
        const shown = await searchOne(context, created.id);
        if (shown.city !== updated.city || shown.state !== updated.state) {
          fail(`updateCustomer answered success, but search shows city ${show(shown.city)} and state ${show(shown.state)} for customer ${created.id}, not the ${show(updated.city)} and ${show(updated.state)} the update set: the update was not persisted`);
        }
        return shown;
      });
      if (customer.name !== created.name) fail(`customer ${created.id}: the update changed the name to ${JSON.stringify(customer.name)}, though it did not send one`);
    },
  },
  {
    id: 'flow.add-contacts',
    title: 'addContacts adds a contact to the new customer',
    group: 'writes',
    source: 'fact',
    tags: ['flow', 'contacts'],
    requires: ['stateful'],
    async run(context, state) {
      const created = flowCustomer(state);
      const contact = newContact(context.runId, created.id, 'flow');
      const answer = await context.success('addContacts', contact);
      const ids = answer['Contact Ids'] ?? [];
      for (const id of ids) context.createdContact(id);
      created.contact = { name: contact.contact_person, email: contact.email, phone: contact.phone, ...(ids[0] ? { id: ids[0] } : {}) };
    },
  },
  {
    id: 'flow.search-shows-contacts',
    title: 'search shows the added contact, not primary, dated by a 0-based Calendar',
    group: 'writes',
    source: 'fact',
    tags: ['flow', 'contacts', 'dates'],
    requires: ['stateful'],
    async run(context, state) {
      const created = flowCustomer(state);
      const added = needs(created.contact, 'a contact that addContacts accepted', 'flow.add-contacts');
      const at = createdAt(state);
      const { customer, contact } = await context.eventually('search to show the added contact', async () => {
        const shown = await searchOne(context, created.id);
        const found = shown.contacts.find((c) => c.contactPerson === added.name && c.email === added.email);
        if (!found) {
          fail(`addContacts answered success, but search does not show contact ${JSON.stringify(added.name)} on customer ${created.id} (it shows ${JSON.stringify(shown.contacts.map((c) => c.contactPerson))})`);
        }
        return { customer: shown, contact: found };
      });
      if (added.id !== undefined && String(contact.id) !== added.id) fail(`customer ${created.id}: the contact shows id ${contact.id}, addContacts answered ${added.id}`);
      if (contact.isPrimaryContact) fail(`customer ${created.id}: the added contact is primary; the customer's primary contact is the one add created`);
      expectCalendar(customer, contact, at, FLOW_SECONDS, 'the added contact');
    },
  },
  {
    id: 'flow.select-finds-in-range',
    title: 'select finds the new customer in its creation second and day',
    group: 'writes',
    source: 'fact',
    tags: ['flow', 'select', 'dates'],
    requires: ['stateful'],
    async run(context, state) {
      const created = flowCustomer(state);
      const at = createdAt(state);
      for (const range of [
        { start_date: vendorDateTime(at), end_date: vendorDateTime(at) },
        { start_date: vendorDate(at), end_date: vendorDate(at) },
      ]) {
        await context.eventually(`select from ${range.start_date} to ${range.end_date} to find the new customer`, async () => {
          const found = await select(context, range);
          if (!idsOf(found).includes(created.id)) {
            fail(`selectCustomers from ${range.start_date} to ${range.end_date} does not answer customer ${created.id}, created ${gsonText(at)}, within that range`);
          }
          expectWithinRange(range, found);
        });
      }
    },
  },
  {
    id: 'flow.select-excludes-outside-range',
    title: 'select does not find the new customer just after its creation, nor the day before',
    group: 'writes',
    source: 'fact',
    tags: ['flow', 'select', 'dates'],
    requires: ['stateful'],
    async run(context, state) {
      const created = flowCustomer(state);
      const at = createdAt(state);
      const dayBefore = vendorDate(addSeconds({ ...at, hour: 0, minute: 0, second: 0 }, -1));
      for (const range of [
        { start_date: vendorDateTime(addSeconds(at, 1)), end_date: vendorDateTime(addSeconds(at, AFTER_SECONDS)) },
        { start_date: dayBefore, end_date: dayBefore },
      ]) {
        const found = await select(context, range);
        if (idsOf(found).includes(created.id)) {
          fail(`selectCustomers from ${range.start_date} to ${range.end_date} answered customer ${created.id}, created ${gsonText(at)}, outside that range: the date range is not applied`);
        }
        expectWithinRange(range, found);
      }
    },
  },
];
