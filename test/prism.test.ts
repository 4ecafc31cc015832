import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_PATH } from '../src/spec.js';
import { describeErrors, specValidator } from '../src/validation/ajv.js';
import { startPrism, type PrismServer } from './helpers/prism.js';

// Prism 5.14.2 (`prism mock`, static mode, default flags) serving the spec as it is: no patched
// copy. What it does, measured:
// - It loads the spec without complaint. The custom format `kapture-date-time` is neither an
//   error nor a warning: Prism's Ajv runs with `strict: false` and a logger that drops
//   "unknown format" messages, so the format is simply not checked (any string passes).
//   Known formats are checked: `date` (date_of_birth) and `email`.
// - Request bodies are validated against the schema; an invalid one gets Prism's own 422
//   (application/problem+json, one entry per Ajv error in `validation`), never the vendor's
//   HTTP 200 failure. The spec declares no 422, so Prism makes one up.
// - Security: `Authorization` OR `x-api-key` must be present. The value is not checked.
//   Without either: Prism's own 401 problem+json (the spec declares no 401; the sandbox answers
//   AuthKeyInvalid with HTTP 200).
// - Answers are the first example of the lowest 2xx response (`found`, `added`), whatever the
//   request; `Prefer: example=<name>` or `Prefer: code=<status>` choose another.
// - Every header the response declares is sent, generated from its schema: X-Sandbox-Error is
//   the enum's first value `AuthKeyInvalid` and X-Sandbox-Warnings is the literal `string`, on
//   successes too. A contract suite must not read those headers from Prism.
// - Prism validates its own answer; a mismatch would be listed in an `sl-violations` header.
//   The spec's examples match, so no answer below carries one.

const VENDOR = {
  addOrUpdate: '/add-update-customer-from-other-source.html',
  select: '/select-customer-between-start-and-end-dates.html',
  search: '/search-customer-by-customer-id.html',
  addContacts: '/add-more-contacts-for-existing-customer.html',
} as const;

const AUTH = { Authorization: 'Basic sandbox-key' };

let prism: PrismServer | undefined;

beforeAll(async () => {
  prism = await startPrism(SPEC_PATH);
}, 60_000);

afterAll(async () => {
  if (!prism) return;
  const { pid } = prism;
  await prism.close();
  // The process is gone, not merely signalled.
  expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
}, 15_000);

type Answer = { status: number; headers: Headers; body: any };

async function post(path: string, body: unknown, headers: Record<string, string> = AUTH): Promise<Answer> {
  const response = await fetch(`${prism!.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Asserts that `value` is valid for the component schema, with Ajv's reasons in the failure message. */
function expectValid(schema: string, value: unknown): void {
  const check = specValidator(schema);
  expect(check(value), `${schema}: ${describeErrors(check)}`).toBe(true);
}

/** The `location`s of a Prism 422, e.g. `body.zone`, deduplicated and sorted. */
function violated(answer: Answer): string[] {
  const validation = (answer.body?.validation ?? []) as Array<{ location: string[] }>;
  return [...new Set(validation.map((entry) => entry.location.join('.')))].sort();
}

/** A vendor answer Prism produced from the spec's examples. */
function expectMocked(answer: Answer): void {
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.headers.get('sl-violations')).toBeNull();
  // Generated from the header schemas (see above): present even on a success.
  expect(answer.headers.get('x-sandbox-error')).toBe('AuthKeyInvalid');
  expect(answer.headers.get('x-sandbox-warnings')).toBe('string');
}

describe('Prism 5.14.2 mocking the spec', () => {
  it('answers the select sample with a CustomerList (the `found` example)', async () => {
    const answer = await post(VENDOR.select, { start_date: '2016-03-31', end_date: '2016-03-31' });
    expectMocked(answer);
    expectValid('CustomerList', answer.body);
    expect(answer.body).toMatchObject({ status: 'success', message: [{ id: 286829, name: 'Nikesh' }] });
  });

  it('answers the search sample with a CustomerList (the same example: it does not look at the id)', async () => {
    const answer = await post(VENDOR.search, { customer_id: '272930' });
    expectMocked(answer);
    expectValid('CustomerList', answer.body);
    expect(answer.body.message.map((customer: { id: number }) => customer.id)).toEqual([286829]);
  });

  it('answers a valid add with AddCustomerSuccess (the first example, `added`)', async () => {
    const answer = await post(VENDOR.addOrUpdate, { name: 'rahul', email: 'abc@gmail.com', phone: '1234567890' });
    expectMocked(answer);
    expectValid('AddCustomerSuccess', answer.body);
    expect(specValidator('UpdateCustomerSuccess')(answer.body)).toBe(false);
    expect(specValidator('VendorFailure')(answer.body)).toBe(false);
    expect(answer.body).toEqual({ Message: 'Customer Added Successfully', 'Kapture Customer Id': '287281', Status: 'Success' });
  });

  it('answers an update with `added` too, unless `Prefer: example=updated` asks for the other one', async () => {
    const plain = await post(VENDOR.addOrUpdate, { customer_id: '272930', city: 'mysore' });
    expectValid('AddCustomerSuccess', plain.body);
    const preferred = await post(VENDOR.addOrUpdate, { customer_id: '272930', city: 'mysore' }, { ...AUTH, Prefer: 'example=updated' });
    expectMocked(preferred);
    expectValid('UpdateCustomerSuccess', preferred.body);
  });

  it('answers `Prefer: code=500` with the ServerFailure example', async () => {
    const answer = await post(VENDOR.search, { customer_id: '272930' }, { ...AUTH, Prefer: 'code=500' });
    expect(answer.status).toBe(500);
    expectValid('VendorFailure', answer.body);
  });

  it('answers a valid addContacts (with contact_person) with AddContactsSuccess', async () => {
    const answer = await post(VENDOR.addContacts, {
      customer_id: '272930',
      contact_person: 'adjetter',
      phone: '1234567890',
      email: 'help@adjetter.com',
    });
    expectMocked(answer);
    expectValid('AddContactsSuccess', answer.body);
  });

  it('enforces the security schemes: no Authorization and no x-api-key is its own 401', async () => {
    const answer = await post(VENDOR.search, { customer_id: '272930' }, {});
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ type: 'https://stoplight.io/prism/errors#UNAUTHORIZED', status: 401 });
  });

  it('accepts either header, with any value: only presence is checked', async () => {
    expect((await post(VENDOR.search, { customer_id: '272930' }, { 'x-api-key': 'k' })).status).toBe(200);
    expect((await post(VENDOR.search, { customer_id: '272930' }, { Authorization: 'not even Basic' })).status).toBe(200);
  });

  it('rejects the document add sample with 422 on zone, date_of_birth and anniversary_date (the sandbox accepts it)', async () => {
    const answer = await post(VENDOR.addOrUpdate, {
      name: 'rahul', phone: '1234567890', email: 'abc@gmail.com', city: 'bangalore', country: 'india',
      customer_code: '1', state: 'karanataka', type: 't', classification: 'abc', zone: 'India',
      address: 'domlur', date_of_birth: 'YYYY-MM-DD', anniversary_date: 'YYYY-MM-DD',
    });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body.type).toBe('https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY');
    expect(violated(answer)).toEqual(['body', 'body.anniversary_date', 'body.date_of_birth', 'body.zone']);
  });

  it('accepts contacts named by contact_person or by its alias name, and 422s a contact with neither', async () => {
    const base = { customer_id: '272930', phone: '1234567890', email: 'help@adjetter.com' };
    expectMocked(await post(VENDOR.addContacts, { ...base, name: 'adjetter' }));
    expectMocked(await post(VENDOR.addContacts, { ...base, contact_person: 'adjetter' }));
    expect((await post(VENDOR.addContacts, base)).status).toBe(422);
  });

  it('checks required keys and the shape of select dates, but not the calendar (custom format kapture-date-time)', async () => {
    const missing = await post(VENDOR.select, { end_date: '2016-03-31' });
    expect(missing.status).toBe(422);
    expect(missing.body.validation[0].message).toBe("Request body must have required property 'start_date'");
    expect((await post(VENDOR.select, { start_date: 'garbage', end_date: '2016-03-31' })).status).toBe(422);
    // The unknown format is silently not checked: Prism mocks an answer for a date our Ajv rejects.
    const body = { start_date: '2016-03-01', end_date: '2016-02-30' };
    expect(specValidator('SelectCustomersBody')(body)).toBe(false);
    expectMocked(await post(VENDOR.select, body));
  });

  it('answers a GET on a vendor URL with its own 405, not the spec MethodNotAllowed example', async () => {
    const response = await fetch(`${prism!.url}${VENDOR.search}`, { headers: AUTH });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ type: 'https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR' });
  });
});
