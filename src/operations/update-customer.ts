import { VendorError } from '../errors.js';
import type { CustomerRecord } from '../records.js';
import { createCustomer } from './add-customer.js';
import type { OperationContext, OperationResult } from './context.js';
import type { UpdateCustomerInput } from './inputs.js';
import { findByReference, notFound } from './lookup.js';

type Plan = { kind: 'update'; customer: CustomerRecord } | { kind: 'add'; input: UpdateCustomerInput & { name: string } };

/**
 * Updates the customers named by `customer_id`, or adds them (upsert): `customer_id` is the
 * integrating system's own id, matched as a source id first, then as Kapture's id. An unknown one
 * with every field an add needs (the profile's `addRequires`: name, email and phone on the
 * document's, name plus phone or email on today's) adds a customer that keeps it as its source id,
 * so the same call twice updates the first customer; without them it is CustomerNotFound. Every
 * item is planned before anything changes: a batch with one item that fails changes nothing.
 * `name` is the customer's; `email` and `phone` live on the primary contact at Kapture, so they
 * update that contact.
 */
export function updateCustomers(context: OperationContext, inputs: UpdateCustomerInput[]): OperationResult {
  const warnings: string[] = [];
  // A batch that names one new customer_id twice adds it once: the later item updates that add.
  const adding = new Map<string, Extract<Plan, { kind: 'add' }>>();
  const plans = inputs.map((input, index): Plan | undefined => {
    const pending = adding.get(input.customerRef);
    if (pending) {
      Object.assign(pending.input, definedFields(input));
      return undefined;
    }
    const planned = plan(context, input, inputs.length > 1 ? `[${index}].` : '', warnings);
    if (planned.kind === 'add') adding.set(input.customerRef, planned);
    return planned;
  });
  const added = new Map<string, number>();
  const ids = plans.map((planned, index) => {
    if (planned === undefined) return added.get(inputs[index]!.customerRef)!;
    if (planned.kind === 'add') {
      const { customerRef, ...fields } = planned.input;
      const id = createCustomer(context, fields, customerRef).id;
      added.set(customerRef, id);
      return id;
    }
    apply(context, planned.customer, inputs[index]!);
    return planned.customer.id;
  });
  return { answer: { customerIds: ids }, warnings, mutated: true };
}

/** Whether an add-update body adds its first customer (an unknown `customer_id` with the add fields): the request is then addCustomer. */
export function upsertAdds(context: Pick<OperationContext, 'store' | 'tenant' | 'answers'>, item: Record<string, unknown>): boolean {
  const reference = item.customer_id;
  if ((typeof reference !== 'string' && typeof reference !== 'number') || String(reference).trim() === '') return false;
  return findByReference(context, String(reference)) === undefined && missingForAdd(context, item) === undefined;
}

/** The first of the profile's add requirements the item does not meet (`"phone or email"`), if any. */
function missingForAdd(context: Pick<OperationContext, 'answers'>, item: { name?: unknown; email?: unknown; phone?: unknown }): string | undefined {
  const given = (value: unknown) => (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
  if (!given(item.name)) return 'name';
  return context.answers.addRequires.find((group) => !group.some((field) => given(item[field])))?.join(' or ');
}

function plan(context: OperationContext, input: UpdateCustomerInput, at: string, warnings: string[]): Plan {
  const found = findByReference(context, input.customerRef);
  if (found) {
    if (found.by === 'kapture') {
      warnings.push(
        `${at}customer_id "${input.customerRef}" is no customer's source id: it matched Kapture's id of customer ${found.customer.id} (on this URL customer_id is your system's own id; an unknown one adds a customer)`,
      );
    }
    return { kind: 'update', customer: found.customer };
  }
  const missing = missingForAdd(context, input);
  if (missing !== undefined) {
    const error = notFound(context, `${at}customer_id`, input.customerRef);
    throw new VendorError(error.code, error.vendorMessage, `${error.detail}; to add it instead, send ${missing} too`);
  }
  return { kind: 'add', input: input as UpdateCustomerInput & { name: string } };
}

function definedFields(input: UpdateCustomerInput): Partial<UpdateCustomerInput> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

function apply(context: OperationContext, customer: CustomerRecord, input: UpdateCustomerInput): void {
  const { customerRef: _ref, email, phone, ...fields } = input;
  context.store.update(customer, (draft) => {
    Object.assign(draft, fields);
    const primary = draft.contacts.find((contact) => contact.isPrimaryContact) ?? draft.contacts[0];
    if (primary && email !== undefined) primary.email = email;
    if (primary && phone !== undefined) primary.phone = phone;
  });
}
