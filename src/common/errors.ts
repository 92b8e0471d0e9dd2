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
