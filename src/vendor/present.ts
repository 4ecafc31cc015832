import { gsonCalendarDate, presentInstant } from './dates.js';
import type { ContactRecord, CustomerRecord } from '../records.js';

/**
 * Records → the vendor's customer shape, key for key in the order of the document's samples.
 * Fields never set are left out (Gson omits nulls); the constant and zero-valued fields are the
 * ones the samples show for every customer.
 */
export function presentCustomer(customer: CustomerRecord): Record<string, unknown> {
  const created = presentInstant(customer.createdAt);
  return {
    id: customer.id,
    cmId: customer.cmId,
    isOrganization: false,
    name: customer.name,
    address: customer.address,
    state: customer.state,
    city: customer.city,
    country: customer.country,
    currentStatus: 'N',
    generationDate: created.gson,
    creatorId: 0,
    channelPartnerId: 0,
    ratePlanId: 0,
    isChannelPartner: false,
    pinCode: customer.pinCode,
    campaignId: 0,
    campaignItemId: 0,
    campaignActivityId: 0,
    totalNoOfEnquiries: 1,
    feedbackOnCustomer: '0',
    contacts: customer.contacts.map((contact) => presentContact(customer, contact)),
    imageReferenceId: created.imageReferenceId,
    customerCode: customer.customerCode,
    classification: customer.classification,
    customerType: customer.customerType,
    dateOfBirth: customer.dateOfBirth === undefined ? undefined : gsonCalendarDate(customer.dateOfBirth),
    anniversaryDate: customer.anniversaryDate === undefined ? undefined : gsonCalendarDate(customer.anniversaryDate),
    customerLevel: 0,
    zone: customer.zone ?? 0,
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
}

function presentContact(customer: CustomerRecord, contact: ContactRecord): Record<string, unknown> {
  return {
    id: contact.id,
    cmId: customer.cmId,
    leadId: customer.id,
    contactPerson: contact.contactPerson,
    gender: contact.gender ?? ' ',
    phone: contact.phone,
    email: contact.email,
    designation: contact.designation,
    additionalEmail: contact.additionalEmail,
    additionalPhone: contact.additionalPhone,
    isPrimaryContact: contact.isPrimaryContact,
    isActive: true,
    generationDate: presentInstant(contact.createdAt).calendar,
    parentContactId: 0,
    subOfficeId: 0,
    creatorId: 0,
    age: contact.age ?? 0,
    maritalStatus: contact.maritalStatus ?? ' ',
    isGuest: false,
    enquiryId: 0,
  };
}

/** A customer as vendor JSON, UTF-8 encoded: what search and select answers are assembled from. */
export function presentCustomerBytes(customer: CustomerRecord): Buffer {
  return Buffer.from(JSON.stringify(presentCustomer(customer)), 'utf8');
}

/** The string fields a customer or contact may leave unset: today's Kapture answers them as `""`. */
const UNSET_CUSTOMER_STRINGS = ['address', 'state', 'city', 'country', 'pinCode', 'customerCode', 'classification', 'customerType'] as const;
const UNSET_CONTACT_STRINGS = ['designation', 'additionalEmail', 'additionalPhone'] as const;

/** A customer as today's Kapture answers it: the same keys in the same order, unset strings `""` (the Get Customer sample). */
export function presentCustomerWithEmptyStrings(customer: CustomerRecord): Record<string, unknown> {
  const presented = presentCustomer(customer);
  for (const key of UNSET_CUSTOMER_STRINGS) presented[key] ??= '';
  for (const contact of presented.contacts as Array<Record<string, unknown>>) {
    for (const key of UNSET_CONTACT_STRINGS) contact[key] ??= '';
  }
  return presented;
}

export function presentCustomerBytesEmpty(customer: CustomerRecord): Buffer {
  return Buffer.from(JSON.stringify(presentCustomerWithEmptyStrings(customer)), 'utf8');
}
