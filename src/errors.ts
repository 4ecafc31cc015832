/**
 * The vendor's error codes. What each answers (its text per operation, its body, its HTTP status)
 * is the profile's to say (`openapi/profiles/`, built by `src/vendor/answers.ts`): nothing else in
 * the sandbox invents a failure body.
 */
export const ERROR_CODES = ['AuthKeyInvalid', 'APIExpired', 'ReqFieldMissing', 'ServerFailure', 'CustomerNotFound'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

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
  /** The failure this reply answers (sent as `X-Sandbox-Error` too): the journal files the request under it. */
  error?: ErrorCode;
};

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

/** Header values must be ASCII: anything else is escaped as \uXXXX, control characters too. */
export function asciiHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
