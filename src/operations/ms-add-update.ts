import { VendorError } from '../errors.js';
import type { ContactRecord, CustomerRecord } from '../records.js';
import type { CustomerDraft } from '../store/store.js';
import { checkItem, compileItemRules, type ItemRules } from '../validation/request-fields.js';
import { createCustomer } from './add-customer.js';
import type { OperationContext, OperationResult } from './context.js';
import { customerFields, type CustomerFieldsInput } from './inputs.js';
import { findByKaptureId, notFound } from './lookup.js';

/**
 * Today's Add/Update Customer (`/ms/customer/customer/api/v1/add-update`): a nested body whose
 * `customer_info.customer_id` is empty for an add and Kapture's id for an update; `contact_info[]`
 * adds contacts, or updates one named by `contact_id` with `update: true`; `enquiry_info` is accepted
 * and ignored. `""` means not given, as today's clients send every key.
 */
export type MsAddUpdateInput = {
  customerId?: string;
  name?: string;
  email?: string;
  phone?: string;
  fields: CustomerFieldsInput;
  contacts: MsContactInput[];
  warnings: string[];
};

type MsContactInput = { at: string; contactId?: string; update: boolean; person?: string; email?: string; phone?: string; gender?: string };

let rules: { customer: ItemRules; contact: ItemRules } | undefined;
const rulesOf = () => (rules ??= { customer: compileItemRules('MsCustomerInfo'), contact: compileItemRules('MsContactInfo') });

type Values = Record<string, unknown>;
const text = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

/** Validates the nested parts (the top level was checked against MsAddUpdateItem). */
export function toMsAddUpdateInput(values: Values): MsAddUpdateInput {
  const warnings: string[] = [];
  const info = check(rulesOf().customer, values.customer_info as Values, 'customer_info.', warnings);
  const contacts = ((values.contact_info as Values[] | undefined) ?? []).map((contact, index) => {
    const at = `contact_info[${index}].`;
    const checked = check(rulesOf().contact, contact, at, warnings);
    const person = text(checked.contact_person_name) ?? ([checked.first_name, checked.last_name].filter((part) => part !== undefined).join(' ') || undefined);
    const input: MsContactInput = { at, update: checked.update === true };
    if (checked.contact_id !== undefined) input.contactId = String(checked.contact_id);
    if (person !== undefined) input.person = person;
    if (checked.contact_person_email !== undefined) input.email = String(checked.contact_person_email);
    if (checked.contact_person_phone !== undefined) input.phone = String(checked.contact_person_phone);
    if (checked.gender !== undefined) input.gender = String(checked.gender);
    return input;
  });
  if (values.enquiry_info !== undefined) warnings.push('enquiry_info accepted and ignored: the sandbox keeps customers and contacts, not enquiries');
  const input: MsAddUpdateInput = { fields: customerFields({ ...info, pin_code: info.pincode }), contacts, warnings };
  if (info.customer_id !== undefined) input.customerId = String(info.customer_id);
  if (info.name !== undefined) input.name = String(info.name);
  if (info.email !== undefined) input.email = String(info.email);
  if (info.phone !== undefined) input.phone = String(info.phone);
  return input;
}

function check(itemRules: ItemRules, item: Values, at: string, warnings: string[]): Values {
  const verdict = checkItem(itemRules, item, at, { emptyMeansAbsent: 'silent' });
  if (!verdict.ok) throw new VendorError('ReqFieldMissing', verdict.message);
  warnings.push(...verdict.warnings);
  return verdict.values;
}

/** Whether this body adds (no Kapture id in customer_info.customer_id) or updates. */
export function msUpdates(item: Values): boolean {
  const info = item.customer_info;
  if (info === null || typeof info !== 'object' || Array.isArray(info)) return false;
  const id = (info as Values).customer_id;
  return id !== undefined && id !== null && String(id).trim() !== '';
}

export function msAddUpdate(context: OperationContext, inputs: MsAddUpdateInput[]): OperationResult {
  const warnings = inputs.flatMap((input) => input.warnings);
  // Everything is checked before anything changes.
  const targets = inputs.map((input) => (input.customerId === undefined ? undefined : target(context, input)));
  inputs.forEach((input) => input.customerId === undefined && requireAddFields(input));
  const contactIds: number[] = [];
  const ids = inputs.map((input, index) => {
    const found = targets[index];
    const customer = found ?? add(context, input);
    context.store.update(customer, (draft) => {
      if (found) update(draft, input);
      for (const contact of input.contacts) {
        const id = applyContact(context, draft, contact, warnings);
        if (id !== undefined) contactIds.push(id);
      }
    });
    return customer.id;
  });
  return { answer: { customerIds: ids, contactIds }, warnings, mutated: true };
}

function target(context: OperationContext, input: MsAddUpdateInput): CustomerRecord {
  const customer = findByKaptureId(context, input.customerId!);
  if (!customer) throw notFound(context, 'customer_info.customer_id', input.customerId!);
  for (const contact of input.contacts) {
    if (contact.contactId !== undefined && contact.update && !customer.contacts.some((c) => String(c.id) === contact.contactId)) {
      throw new VendorError('CustomerNotFound', `Contact not found: customer ${customer.id} has no contact with ${contact.at}contact_id ${contact.contactId}`);
    }
  }
  return customer;
}

/** Kapture's rule: a name, and a phone or an email (in customer_info or in a contact). */
function requireAddFields(input: MsAddUpdateInput): void {
  const reachable = input.phone !== undefined || input.email !== undefined || input.contacts.some((c) => c.phone !== undefined || c.email !== undefined);
  if (input.name === undefined || !reachable) {
    throw new VendorError('ReqFieldMissing', undefined, `an add needs customer_info.customer_name (or name), and a phone or an email${input.name === undefined ? ': no name' : ': neither phone nor email'}`);
  }
}

function add(context: OperationContext, input: MsAddUpdateInput): CustomerRecord {
  // Without a phone or email of its own, the first contact that has one is the primary contact.
  const first = input.phone === undefined && input.email === undefined ? input.contacts.find((c) => c.phone !== undefined || c.email !== undefined) : undefined;
  if (first) input.contacts.splice(input.contacts.indexOf(first), 1);
  return createCustomer(context, {
    ...input.fields,
    name: input.name!,
    ...(first?.email ?? input.email) !== undefined ? { email: (first?.email ?? input.email)! } : {},
    ...(first?.phone ?? input.phone) !== undefined ? { phone: (first?.phone ?? input.phone)! } : {},
    ...(first?.person === undefined ? {} : { contactPerson: first.person }),
  });
}

function update(customer: CustomerDraft, input: MsAddUpdateInput): void {
  Object.assign(customer, input.fields);
  if (input.name !== undefined) customer.name = input.name;
  const primary = customer.contacts.find((contact) => contact.isPrimaryContact) ?? customer.contacts[0];
  if (primary && input.email !== undefined) primary.email = input.email;
  if (primary && input.phone !== undefined) primary.phone = input.phone;
}

/** Adds or updates one contact; answers the id of an added one. A contact with nothing in it (the sample's) is skipped. */
function applyContact(context: OperationContext, customer: CustomerDraft, contact: MsContactInput, warnings: string[]): number | undefined {
  const existing = contact.contactId === undefined ? undefined : customer.contacts.find((c) => String(c.id) === contact.contactId);
  if (existing) {
    if (!contact.update) {
      warnings.push(`${contact.at}contact_id ${contact.contactId} left unchanged: send "update": true to change it`);
      return undefined;
    }
    if (contact.person !== undefined) existing.contactPerson = contact.person;
    if (contact.email !== undefined) existing.email = contact.email;
    if (contact.phone !== undefined) existing.phone = contact.phone;
    if (contact.gender !== undefined) existing.gender = contact.gender;
    return undefined;
  }
  if (contact.person === undefined && contact.email === undefined && contact.phone === undefined) return undefined;
  if (contact.contactId !== undefined) warnings.push(`${contact.at}contact_id ${contact.contactId} is no contact of customer ${customer.id}: added as a new contact`);
  const added: ContactRecord = {
    id: context.store.nextContactId(),
    createdAt: context.now.toISOString(),
    contactPerson: contact.person ?? customer.name,
    phone: contact.phone ?? '',
    email: contact.email ?? '',
    isPrimaryContact: false,
    ...(contact.gender === undefined ? {} : { gender: contact.gender }),
  };
  customer.contacts.push(added);
  return added.id;
}
