/**
 * The records this run creates. Every one carries the run id in its customer_code, its name and
 * its email address, so that it can be found (and cleaned) in the account later.
 */
export type NewCustomer = { name: string; email: string; phone: string; customer_code: string; city: string; country: string };

export function newCustomer(runId: string, label: string): NewCustomer {
  return {
    name: `Contract ${label} ${runId}`,
    email: `contract.${label.toLowerCase()}.${runId}@example.com`,
    phone: phoneFor(runId, label),
    customer_code: `contract-${runId}`,
    city: 'Pune',
    country: 'India',
  };
}

export function newContact(runId: string, customerId: string, label: string) {
  return {
    customer_id: customerId,
    contact_person: `Contract contact ${label} ${runId}`,
    email: `contract.contact.${label.toLowerCase()}.${runId}@example.com`,
    phone: phoneFor(runId, `contact-${label}`),
  };
}

/**
 * An id no account has: Kapture's ids come from one counter, in the hundreds of millions today,
 * and the spec allows at most 15 digits.
 */
export const UNKNOWN_CUSTOMER_ID = '999999999999999';

/** A 10-digit Indian mobile number derived from the run id and a label, so each record differs. */
function phoneFor(runId: string, label: string): string {
  let hash = 0;
  for (const char of `${runId}/${label}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `9${String(hash % 1_000_000_000).padStart(9, '0')}`;
}
