import { HttpException } from '@nestjs/common';

/** Every violation code the API uses: stable, snake_case, one list (README "Errors"). */
export const VIOLATION_CODES = [
  'required',
  'not_null',
  'invalid_type',
  'too_long',
  'too_short',
  'invalid_length',
  'too_small',
  'too_large',
  'invalid_choice',
  'invalid_format',
  'invalid_date',
  'invalid_range',
  'too_many',
  'unknown_field',
  'not_found',
  'already_attached',
  'duplicate',
  'locked',
  'read_only',
  'forbidden',
  'invalid',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

export interface Violation {
  /** Dotted path of the offending field, e.g. `vehicleModel.vinCode` or `[2].url`. */
  propertyPath: string;
  message: string;
  /** Stable machine-readable code from VIOLATION_CODES, e.g. `too_long`, `invalid_type`, `locked`. */
  code: ViolationCode;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What each error type means, served at its `type` URI (/errors/{status}). */
export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request cannot be read: malformed JSON, an empty body where one is needed, a bad URL encoding, an invalid query parameter or an IRI that is malformed, of another type or points at nothing. `detail` names the fault.',
  401: 'The X-API-Key header (or programme bearer token) is missing, unknown or revoked.',
  403: "The key's user may not do this: read-only users may only read; some routes are admin-only.",
  404: 'No such resource (or it belongs to another tenant), or no route matches the path.',
  405: 'The path exists but does not answer this method; `Allow` lists the methods it answers.',
  406: 'The Accept header asks for a format other than application/ld+json or application/json.',
  409: 'The request conflicts with the state of the resource: a status move the machine does not allow, a delete of something still referenced, a duplicate.',
  412: 'If-Match does not name the current ETag: the resource changed since it was read. Read it again and retry.',
  413: 'The request body is larger than the limit (BODY_LIMIT).',
  415: 'The request body is in a media type, character set or encoding that is not read here.',
  422: 'Validation failed: `violations` lists every invalid field with its propertyPath, message and code.',
  428: 'The request must be conditional (If-Match).',
  429: 'Too many requests for this API key (or address) in the window; retry after Retry-After seconds.',
  500: 'An internal error occurred; it has been logged.',
  503: 'The service or its database is unavailable; retry later.',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** An error the API reports as problem+json / hydra:Error. `detail` is shown to the caller as is. */
export class ApiError extends HttpException {
  constructor(
    readonly statusCode: number,
    readonly detail: string,
    readonly violations?: Violation[],
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(detail, statusCode);
  }
}

export const badRequest = (detail: string) => new ApiError(400, detail);
export const notFound = (detail = 'Not Found') => new ApiError(404, detail);
export const conflict = (detail: string) => new ApiError(409, detail);
export const forbidden = (detail: string) => new ApiError(403, detail);

export class ValidationFailed extends ApiError {
  constructor(violations: Violation[]) {
    super(422, violations.map((v) => (v.propertyPath ? `${v.propertyPath}: ${v.message}` : v.message)).join('\n'), violations);
  }
}

export const violation = (propertyPath: string, message: string, code: ViolationCode = 'invalid'): Violation => ({ propertyPath, message, code });
