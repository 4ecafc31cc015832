import type { OperationId } from './operations/ids.js';

/**
 * The vendor's error table, and the one place failure answers are built. Nothing else in the
 * sandbox invents a failure body.
 */
export type ErrorCode = 'AuthKeyInvalid' | 'APIExpired' | 'ReqFieldMissing' | 'ServerFailure' | 'CustomerNotFound';

type CatalogEntry = {
  status: number;
  message: string;
  /** The document shows a different text for the same cause on some endpoints; those are kept. */
  byOperation?: Partial<Record<OperationId, string>>;
};

const CATALOG: Record<ErrorCode, CatalogEntry> = {
  AuthKeyInvalid: {
    status: 200,
    message: 'Invalid Auth Key',
    byOperation: { searchCustomer: 'Auth Key Invalid', updateCustomer: 'Auth Key Invalid' },
  },
  APIExpired: {
    status: 200,
    message: 'Auth Key Expired',
    byOperation: { addCustomer: 'Message Key Expired' },
  },
  ReqFieldMissing: { status: 200, message: 'Mandatory field missing' },
  ServerFailure: { status: 500, message: 'Server error while processing this request' },
  CustomerNotFound: { status: 200, message: 'Customer not found' },
};

export const ERROR_CODES = Object.keys(CATALOG) as ErrorCode[];

/**
 * A vendor failure raised anywhere on the request path. `message` replaces the catalog text when
 * the vendor names the cause in it (ReqFieldMissing names the field); `detail` is for the
 * developer only (X-Sandbox-Error-Detail header and the journal), never part of the vendor body.
 */
export class VendorError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly vendorMessage?: string,
    readonly detail?: string,
  ) {
    super(vendorMessage ?? detail ?? code);
    this.name = 'VendorError';
  }
}

export type VendorReply = {
  status: number;
  headers: Record<string, string>;
  body: unknown;
};

/** The vendor failure answer: `{"Message", "Status": "Fail"}`, HTTP 200 (500 for ServerFailure). */
export function failureReply(error: VendorError, operation?: OperationId, status?: number): VendorReply {
  const entry = CATALOG[error.code];
  const message = error.vendorMessage ?? (operation && entry.byOperation?.[operation]) ?? entry.message;
  const headers: Record<string, string> = { 'X-Sandbox-Error': error.code };
  if (error.detail) headers['X-Sandbox-Error-Detail'] = asciiHeader(error.detail);
  return { status: status ?? entry.status, headers, body: { Message: message, Status: 'Fail' } };
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(CATALOG, value);
}

/** Header values must be ASCII: anything else is escaped as \uXXXX, control characters too. */
export function asciiHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
