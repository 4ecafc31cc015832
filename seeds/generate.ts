import { Faker, base, en, en_IN } from '@faker-js/faker';
import type { ContactRecord, CustomerRecord, StoreData } from '../src/records.js';
import { DEFAULT_TENANT, defaultKeys } from './keys.js';
import { sampleCustomers } from './samples.js';

export type SeedOptions = {
  /** Faker seed: the same options always give the same data, byte for byte. */
  seed: number;
  /** How many generated customers to add after the document's samples. */
  customers: number;
  /** cmId of the generated customers (the samples and keys stay on 396). Default 396. */
  tenant?: number;
};

/** Generated customers take ids from here upwards; the highest sample id is 287230. */
export const FIRST_GENERATED_CUSTOMER_ID = 287231;
/** Generated contacts take ids from here upwards; the highest sample contact id is 365799. */
export const FIRST_GENERATED_CONTACT_ID = 365800;

/** Faker's reference date is pinned so nothing depends on when the seed runs. */
const REFERENCE_DATE = '2026-01-01T00:00:00.000Z';
/** Generated customers were created between 2024-01-01 00:00:00.000 and 2025-12-31 23:59:59.999 IST. */
const CREATED_FROM_MS = Date.parse('2023-12-31T18:30:00.000Z');
const CREATED_TO_MS = Date.parse('2025-12-31T18:29:59.999Z');

/**
 * A whole store: the document's sample customers first, then `customers` generated Indian customers
 * with one primary contact each, the default keys, and counters set to the next free ids.
 *
 * Deterministic: a dedicated Faker instance, seeded, with a pinned reference date; no global faker,
 * no clock. Generated creation instants are sorted, so generated ids grow with time.
 *
 * @throws RangeError for a seed that is not a safe integer, a negative or fractional customer count,
 *   or a tenant that is not a positive safe integer.
 */
export function seedData(options: SeedOptions): StoreData {
  const { seed, customers: count, tenant = DEFAULT_TENANT } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`customers must be a non-negative integer, got ${count}`);
  }
  if (!Number.isSafeInteger(tenant) || tenant <= 0) {
    throw new RangeError(`tenant must be a positive integer, got ${tenant}`);
  }

  const customers: CustomerRecord[] = [
    ...sampleCustomers(),
    ...generateCustomers({ seed, count, tenant, firstCustomerId: FIRST_GENERATED_CUSTOMER_ID, firstContactId: FIRST_GENERATED_CONTACT_ID }),
  ];

  let maxCustomerId = 0;
  let maxContactId = 0;
  for (const c of customers) {
    if (c.id > maxCustomerId) maxCustomerId = c.id;
    for (const k of c.contacts) if (k.id > maxContactId) maxContactId = k.id;
  }

  return {
    version: 1,
    counters: { customerId: maxCustomerId + 1, contactId: maxContactId + 1 },
    keys: defaultKeys(),
    customers,
  };
}

export type GenerateOptions = { seed: number; count: number; tenant: number; firstCustomerId: number; firstContactId: number };

/**
 * `count` generated Indian customers of `tenant`, one primary contact each, with consecutive ids
 * from the given first ids. Deterministic for the same options.
 */
export function generateCustomers({ seed, count, tenant, firstCustomerId, firstContactId }: GenerateOptions): CustomerRecord[] {
  const faker = new Faker({ locale: [en_IN, en, base] });
  faker.seed(seed);
  faker.setDefaultRefDate(REFERENCE_DATE);

  const instants: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    instants[i] = faker.number.int({ min: CREATED_FROM_MS, max: CREATED_TO_MS });
  }
  instants.sort((a, b) => a - b);

  const customers: CustomerRecord[] = [];
  let customerId = firstCustomerId;
  let contactId = firstContactId;

  for (let i = 0; i < count; i++) {
    const createdAt = new Date(instants[i]!).toISOString();
    const sex = faker.person.sexType();
    const firstName = faker.person.firstName(sex);
    const lastName = faker.person.lastName(sex);
    const name = `${firstName} ${lastName}`;

    const address = faker.location.streetAddress();
    const city = faker.location.city();
    const state = faker.location.state();
    const pinCode = faker.string.numeric({ length: 6, allowLeadingZeros: false });
    // Most customers carry a type; some never had one set (absent key, as Gson omits nulls).
    const customerType = faker.datatype.boolean(0.7) ? faker.helpers.arrayElement(['t', 'c']) : undefined;

    const customer: CustomerRecord = {
      id: customerId++,
      cmId: tenant,
      createdAt,
      name,
      address,
      city,
      state,
      country: 'India',
      pinCode,
      ...(customerType === undefined ? {} : { customerType }),
      contacts: [],
    };

    const contact: ContactRecord = {
      id: contactId++,
      createdAt,
      contactPerson: name,
      // Indian mobile: 10 digits, the first 6-9.
      phone: `${faker.number.int({ min: 6, max: 9 })}${faker.string.numeric(9)}`,
      email: faker.internet.email({ firstName, lastName }).toLowerCase(),
      isPrimaryContact: true,
      // Kapture writes " " for an unknown gender; a known one matches the name drawn.
      gender: faker.datatype.boolean(0.3) ? ' ' : sex === 'female' ? 'Female' : 'Male',
      maritalStatus: ' ',
    };
    customer.contacts.push(contact);
    customers.push(customer);
  }

  return customers;
}
