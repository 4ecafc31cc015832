import type { ContactFields, CustomerFields } from './vendor/fields.js';

/**
 * What the store holds. Records keep machine-friendly values (ISO instants, numbers); the vendor
 * shapes (Gson dates, Calendar objects, zero-valued fields) are produced by `vendor/present.ts` on the way
 * out, so the JSON file stays readable and diffable.
 *
 * Optional fields are absent when never set: Kapture serializes with Gson, which omits nulls, so a
 * customer created without a city has no `city` key at all (the document's first sample shows this).
 */
export type ContactRecord = ContactFields & {
  id: number;
  /** Creation instant, ISO 8601 UTC with milliseconds. */
  createdAt: string;
  contactPerson: string;
  phone: string;
  email: string;
  isPrimaryContact: boolean;
};

/** `CustomerFields`: what a request may set (address, city, zone, dates of birth...), from the table in vendor/fields.ts. */
export type CustomerRecord = CustomerFields & {
  id: number;
  /** The Kapture account (tenant) the customer belongs to; `cmId` in vendor answers. */
  cmId: number;
  /**
   * The integrating system's own id of the customer (`customer_id` on the add-update URL, any
   * non-empty string): an add-update naming an unknown one adds the customer and keeps it here.
   */
  sourceId?: string;
  /** Creation instant, ISO 8601 UTC with milliseconds; select-between-dates filters on it. */
  createdAt: string;
  name: string;
  contacts: ContactRecord[];
};

/** An API key: what Kapture's admin console calls an API configuration. */
export type KeyRecord = {
  key: string;
  tenant: number;
  /** operationIds this key is granted; absent means every operation. */
  operations?: string[];
  /** ISO 8601 instant after which the key answers APIExpired; absent means never. */
  expiresAt?: string;
  name?: string;
  /** Additional fields the API was configured with; absent means all fields are mapped. */
  fields?: string[];
  /**
   * How requests made with this key are answered: a built-in profile's name (`document`,
   * `current`) or a profile object (`openapi/profile.schema.json`); absent: the sandbox's profile.
   */
  profile?: string | Record<string, unknown>;
};

export type Counters = { customerId: number; contactId: number };

/** The whole persisted state: one JSON document. */
export type StoreData = {
  version: 1;
  /**
   * File store only: the log generation this snapshot starts. Logs of older generations are
   * already in it; logs of this generation and later are replayed on top of it at start-up.
   */
  generation?: number;
  counters: Counters;
  keys: KeyRecord[];
  customers: CustomerRecord[];
};

/**
 * A value as code outside the store reads it: the store hands out its own objects (no copy per
 * read), and this type is what keeps a reader from changing them behind the store's back (its
 * indexes and cached JSON would go stale). Changes go through `Store.update` and its siblings.
 */
export type DeepReadonly<T> = T extends (infer Item)[] ? readonly DeepReadonly<Item>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type ReadonlyCustomer = DeepReadonly<CustomerRecord>;
export type ReadonlyStoreData = DeepReadonly<StoreData>;
