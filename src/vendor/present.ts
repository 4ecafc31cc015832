import type { CustomerRecord, ReadonlyCustomer } from '../records.js';
import { gsonCalendarDate, presentInstant } from './dates.js';
import { answerOrder, CONTACT_FIELDS, CONTACT_TEXT_KEYS, CUSTOMER_FIELDS, CUSTOMER_TEXT_KEYS, type FieldRow } from './fields.js';

/*
 * Records → the vendor's customer shape, key for key in the order of the document's samples.
 * Fields never set are left out (Gson omits nulls); the constant and zero-valued fields are the
 * ones the samples show for every customer. The fields a request sets come from the table in
 * fields.ts, each placed after the sample's key its row names.
 */

/**
 * The document's customer sample without the fields of the table, in its order: the constants the
 * samples show for every customer, and `undefined` where `presentCustomer` fills a value in.
 */
const CUSTOMER_SKELETON: Record<string, unknown> = {
  id: undefined,
  cmId: undefined,
  isOrganization: false,
  name: undefined,
  currentStatus: 'N',
  generationDate: undefined,
  creatorId: 0,
  channelPartnerId: 0,
  ratePlanId: 0,
  isChannelPartner: false,
  campaignId: 0,
  campaignItemId: 0,
  campaignActivityId: 0,
  totalNoOfEnquiries: 1,
  feedbackOnCustomer: '0',
  contacts: undefined,
  imageReferenceId: undefined,
  customerLevel: 0,
  companyParentId: 0,
  assignedToId: 0,
  maxCreditAmt: 0,
  maxCreditPeriod: 0,
  historyEmpId: 0,
  channelPartnerEmpId: 0,
  deleted: false,
  companyStatus: 'A',
  isExistingCustomer: false,
  isExistingContact: false,
  syncStatus: false,
  syncdLocationId: '0',
  crossRemarks: '',
  syncedStepNumber: 0,
  outStandingAmount: 0,
  salesAdminZone: 0,
  referralId: 0,
};

/** The document's contact sample without the fields of the table, in its order. */
const CONTACT_SKELETON: Record<string, unknown> = {
  id: undefined,
  cmId: undefined,
  leadId: undefined,
  contactPerson: undefined,
  phone: undefined,
  email: undefined,
  isPrimaryContact: undefined,
  isActive: true,
  generationDate: undefined,
  parentContactId: 0,
  subOfficeId: 0,
  creatorId: 0,
  isGuest: false,
  enquiryId: 0,
};

/**
 * An answer's every key in order, with its constant or the value a table field has while unset.
 * Presenting copies it and assigns values to keys it already has: the key order stays the
 * template's, and no object changes shape (several times faster than adding keys one by one).
 */
function template(skeleton: Record<string, unknown>, table: readonly FieldRow[]): Record<string, unknown> {
  const order = answerOrder(Object.keys(skeleton), table);
  return Object.fromEntries(order.map(({ key, row }) => [key, row ? row.unset : skeleton[key]]));
}

const CUSTOMER_TEMPLATE = template(CUSTOMER_SKELETON, CUSTOMER_FIELDS);
const CONTACT_TEMPLATE = template(CONTACT_SKELETON, CONTACT_FIELDS);

/** The table's fields that are set, as answers show them (a calendar date in Gson's format). */
function fillFields(presented: Record<string, unknown>, record: object, table: readonly FieldRow[]): void {
  for (const row of table) {
    const value = (record as Record<string, unknown>)[row.key];
    if (value !== undefined) presented[row.key] = row.kind === 'date' ? gsonCalendarDate(value as string) : value;
  }
}

export function presentCustomer(customer: ReadonlyCustomer): Record<string, unknown> {
  const created = presentInstant(customer.createdAt);
  const presented = { ...CUSTOMER_TEMPLATE };
  presented.id = customer.id;
  presented.cmId = customer.cmId;
  presented.name = customer.name;
  presented.generationDate = created.gson;
  presented.contacts = customer.contacts.map((contact) => presentContact(customer, contact));
  presented.imageReferenceId = created.imageReferenceId;
  fillFields(presented, customer, CUSTOMER_FIELDS);
  return presented;
}

function presentContact(customer: ReadonlyCustomer, contact: ReadonlyCustomer['contacts'][number]): Record<string, unknown> {
  const presented = { ...CONTACT_TEMPLATE };
  presented.id = contact.id;
  presented.cmId = customer.cmId;
  presented.leadId = customer.id;
  presented.contactPerson = contact.contactPerson;
  presented.phone = contact.phone;
  presented.email = contact.email;
  presented.isPrimaryContact = contact.isPrimaryContact;
  presented.generationDate = presentInstant(contact.createdAt).calendar;
  fillFields(presented, contact, CONTACT_FIELDS);
  return presented;
}

/** A customer as vendor JSON, UTF-8 encoded: what search and select answers are assembled from. */
export function presentCustomerBytes(customer: CustomerRecord): Buffer {
  return Buffer.from(JSON.stringify(presentCustomer(customer)), 'utf8');
}

/** A customer as today's Kapture answers it: the same keys in the same order, unset strings `""` (the Get Customer sample). */
export function presentCustomerWithEmptyStrings(customer: CustomerRecord): Record<string, unknown> {
  const presented = presentCustomer(customer);
  for (const key of CUSTOMER_TEXT_KEYS) presented[key] ??= '';
  for (const contact of presented.contacts as Array<Record<string, unknown>>) {
    for (const key of CONTACT_TEXT_KEYS) contact[key] ??= '';
  }
  return presented;
}

export function presentCustomerBytesEmpty(customer: CustomerRecord): Buffer {
  return Buffer.from(JSON.stringify(presentCustomerWithEmptyStrings(customer)), 'utf8');
}
