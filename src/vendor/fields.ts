/**
 * The fields a request may set on a customer or a contact, in one table each: the name a request
 * gives it (the document's snake_case), the name records and answers give it, how its value is
 * kept, and where an answer shows it (after which key of the document's samples), with the value
 * answered while it is unset (none: left out, as Gson leaves out nulls). Adding a field is a row
 * here and its rule in the spec's request schemas (openapi/kapture-customer-api.yaml): the inputs,
 * the record types and the answers follow from the row.
 */

type Kind = 'text' | 'integer' | 'date';
export type FieldRow = { readonly key: string; readonly request: string; readonly kind: Kind; readonly after: string; readonly unset?: string | number };

export const CUSTOMER_FIELDS = [
  { key: 'address', request: 'address', kind: 'text', after: 'name' },
  { key: 'state', request: 'state', kind: 'text', after: 'address' },
  { key: 'city', request: 'city', kind: 'text', after: 'state' },
  { key: 'country', request: 'country', kind: 'text', after: 'city' },
  { key: 'pinCode', request: 'pin_code', kind: 'text', after: 'isChannelPartner' },
  { key: 'customerCode', request: 'customer_code', kind: 'text', after: 'imageReferenceId' },
  { key: 'classification', request: 'classification', kind: 'text', after: 'customerCode' },
  { key: 'customerType', request: 'type', kind: 'text', after: 'classification' },
  { key: 'dateOfBirth', request: 'date_of_birth', kind: 'date', after: 'customerType' },
  { key: 'anniversaryDate', request: 'anniversary_date', kind: 'date', after: 'dateOfBirth' },
  { key: 'zone', request: 'zone', kind: 'integer', after: 'customerLevel', unset: 0 },
] as const satisfies readonly FieldRow[];

export const CONTACT_FIELDS = [
  { key: 'gender', request: 'gender', kind: 'text', after: 'contactPerson', unset: ' ' },
  { key: 'designation', request: 'designation', kind: 'text', after: 'email' },
  { key: 'additionalEmail', request: 'additional_email', kind: 'text', after: 'designation' },
  { key: 'additionalPhone', request: 'additional_phone', kind: 'text', after: 'additionalEmail' },
  { key: 'age', request: 'age', kind: 'integer', after: 'creatorId', unset: 0 },
  { key: 'maritalStatus', request: 'marital_status', kind: 'text', after: 'age', unset: ' ' },
] as const satisfies readonly FieldRow[];

/** Records keep text as text, integers as numbers, calendar dates as `YYYY-MM-DD` text. */
type Stored<K extends Kind> = K extends 'integer' ? number : string;
type Fields<T extends readonly FieldRow[]> = { -readonly [R in T[number] as R['key']]?: Stored<R['kind']> };

export type CustomerFields = Fields<typeof CUSTOMER_FIELDS>;
export type ContactFields = Fields<typeof CONTACT_FIELDS>;

/** The values of a row's fields, from values the spec's field rules accepted: integers as numbers, the rest as text. */
export function fieldsOf<T extends readonly FieldRow[]>(table: T, values: Record<string, unknown>): Fields<T> {
  const fields: Record<string, unknown> = {};
  for (const row of table) {
    const value = values[row.request];
    if (value !== undefined) fields[row.key] = row.kind === 'integer' ? Number(value) : String(value);
  }
  return fields as Fields<T>;
}

/** The text fields, which today's Kapture answers as `""` while they are unset. */
export const CUSTOMER_TEXT_KEYS = CUSTOMER_FIELDS.filter((row) => row.kind === 'text').map((row) => row.key);
export const CONTACT_TEXT_KEYS = CONTACT_FIELDS.filter((row) => row.kind === 'text').map((row) => row.key);

/**
 * The keys of an answer in order: the skeleton's (the document's samples without the table's
 * fields), each followed by the table's rows that come after it.
 */
export function answerOrder<T extends readonly FieldRow[]>(skeleton: readonly string[], table: T): Array<{ key: string; row?: T[number] }> {
  const order: Array<{ key: string; row?: T[number] }> = [];
  const place = (key: string) => {
    for (const row of table) {
      if (row.after !== key) continue;
      order.push({ key: row.key, row });
      place(row.key);
    }
  };
  for (const key of skeleton) {
    order.push({ key });
    place(key);
  }
  const missing = table.filter((row) => !order.some((entry) => entry.row === row));
  if (missing.length > 0) throw new Error(`src/vendor/fields.ts: no answer key for ${missing.map((row) => `${row.key} (after ${row.after})`).join(', ')}`);
  return order;
}
