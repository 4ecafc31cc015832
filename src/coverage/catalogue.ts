import type { OperationId } from '../operations/ids.js';

/**
 * What a client of each operation can meet from Kapture: the denominator of coverage, in one
 * place. An error code counts as covered whether the sandbox answered it itself (an expired key)
 * or a fault injected it; ServerFailure, which the sandbox never causes on purpose, is met through
 * injection. CustomerNotFound exists only where a request names a customer.
 */
export const OUTCOMES = [
  'success',
  'AuthKeyInvalid',
  'APIExpired',
  'ReqFieldMissing',
  'ServerFailure',
  'CustomerNotFound',
  'connection=reset',
  'connection=close',
  'connection=hang',
  'latency',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

const EVERY_OPERATION: readonly Outcome[] = ['success', 'AuthKeyInvalid', 'APIExpired', 'ReqFieldMissing', 'ServerFailure', 'connection=reset', 'connection=close', 'connection=hang', 'latency'];
const NAMES_A_CUSTOMER: readonly Outcome[] = [...EVERY_OPERATION.slice(0, 5), 'CustomerNotFound', ...EVERY_OPERATION.slice(5)];

export const CATALOGUE: Readonly<Record<OperationId, readonly Outcome[]>> = {
  addCustomer: EVERY_OPERATION,
  updateCustomer: NAMES_A_CUSTOMER,
  selectCustomers: EVERY_OPERATION,
  searchCustomer: NAMES_A_CUSTOMER,
  addContacts: NAMES_A_CUSTOMER,
};

/**
 * Kinds of X-Sandbox-Warnings, tried in order (the last one catches the rest): reported beside
 * the outcomes, not counted in the percentage.
 */
export const WARNING_KINDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['unknown-field', /^unknown field /],
  ['alias-overridden', / was sent too and wins$/],
  ['field-not-configured', /is not configured with it$/],
  ['field-unusable', /^field ".*" ignored: expected /],
  ['no-content-type', /^no Content-Type header/],
  ['empty-range', / is after end_date |is not after createStartDate /],
  ['empty-as-not-sent', /is empty: taken as not sent/],
  ['profile-relaxes', /^no .*: accepted, as this profile requires /],
  ['kapture-id-as-source', /is no customer's source id: it matched Kapture's id/],
  ['shared-identifier', /customers of this account have .*: the oldest|names another customer .*decides$/],
  ['batch-first-only', /^only the first of the body's \d+ items is answered/],
  ['not-applied', /accepted and (?:not applied|ignored)/],
  ['other', /(?:)/],
];
