import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidateIf, validateSync, ValidationError } from 'class-validator';
import { memoizeValidationMetadata } from '../platform/class-validator-memo';
import { badRequest, ValidationFailed, Violation, ViolationCode } from './errors';
export { VIOLATION_CODES } from './errors';
export { typeChecksFirst } from '../platform/class-validator-memo';

memoizeValidationMetadata();

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Removes prototype-pollution keys anywhere in a parsed body. */
export function sanitize(value: unknown, depth = 0): unknown {
  if (depth > 32) throw badRequest('The request body is nested too deeply.');
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!FORBIDDEN_KEYS.has(key)) out[key] = sanitize((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

/** class-validator constraint names (built-in and ours) → violation codes. */
export const CONSTRAINT_CODES: Record<string, ViolationCode> = {
  isNotEmpty: 'required',
  isDefined: 'required',
  maxLength: 'too_long',
  minLength: 'too_short',
  length: 'invalid_length',
  passwordBytes: 'too_long',
  min: 'too_small',
  max: 'too_large',
  isInt: 'invalid_type',
  isNumber: 'invalid_type',
  isString: 'invalid_type',
  isBoolean: 'invalid_type',
  isArray: 'invalid_type',
  isObject: 'invalid_type',
  nestedValidation: 'invalid_type',
  isIn: 'invalid_choice',
  isEnum: 'invalid_choice',
  matches: 'invalid_format',
  isEmail: 'invalid_format',
  isUrl: 'invalid_format',
  isDateString: 'invalid_date',
  isCalendarDate: 'invalid_date',
  isTimestamp: 'invalid_date',
  arrayMaxSize: 'too_many',
  whitelistValidation: 'unknown_field',
};

function path(parent: string, property: string): string {
  if (/^[0-9]+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/**
 * One violation per field, the first failed rule (type checks come first, see typeChecksFirst).
 * A rule that failed on a missing value means the field is required; on null, that null is not
 * allowed there (fields that accept null are @IsOptional and never reach their rules with it).
 */
export function toViolations(errors: ValidationError[], parent = ''): Violation[] {
  const out: Violation[] = [];
  for (const e of errors) {
    const p = path(parent, e.property);
    const failed = Object.entries(e.constraints ?? {});
    if (failed.length && e.value === undefined) out.push({ propertyPath: p, message: `${e.property} is required`, code: 'required' });
    else if (failed.length && e.value === null) out.push({ propertyPath: p, message: `${e.property} must not be null`, code: 'not_null' });
    else for (const [name, message] of failed) out.push({ propertyPath: p, message, code: CONSTRAINT_CODES[name] ?? 'invalid' });
    if (e.children?.length) out.push(...toViolations(e.children, p));
  }
  return out;
}

/** May be left out, but not sent as null (for fields whose stored value cannot be null). */
export const IsOmittable = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/** stopAtFirstError: one message per field; the value is kept to tell a missing or null field from a wrong one. */
const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: false,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
} as const;

/**
 * Validates a JSON object body against a class-validator DTO and returns the typed instance.
 * Unknown fields are dropped (API Platform ignores them); every violation is reported at once (422).
 */
export function validateObject<T extends object>(dto: ClassConstructor<T>, body: unknown, groups?: string[]): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  const instance = plainToInstance(dto, sanitize(body), { enableImplicitConversion: false, exposeDefaultValues: false });
  const errors = validateSync(instance, { ...VALIDATOR_OPTIONS, groups });
  if (errors.length) throw new ValidationFailed(toViolations(errors));
  return instance;
}

/** Validates each item of a JSON array body; paths read `[2].url`. Returns items (null where not an object) and violations. */
export function checkArray<T extends object>(dto: ClassConstructor<T>, body: unknown, maxItems: number): { items: (T | null)[]; violations: Violation[] } {
  if (!Array.isArray(body)) throw badRequest('The request body must be a JSON array.');
  if (body.length > maxItems) throw new ValidationFailed([{ propertyPath: '', message: `At most ${maxItems} items are accepted.`, code: 'too_many' }]);
  const violations: Violation[] = [];
  const items = body.map((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      violations.push({ propertyPath: `[${i}]`, message: 'Each item must be a JSON object.', code: 'invalid_type' });
      return null;
    }
    const instance = plainToInstance(dto, sanitize(raw), { enableImplicitConversion: false });
    const errors = validateSync(instance as object, VALIDATOR_OPTIONS);
    violations.push(...toViolations(errors, `[${i}]`));
    return instance;
  });
  return { items, violations };
}

/** The same, throwing a 422 that lists every invalid item. */
export function validateArray<T extends object>(dto: ClassConstructor<T>, body: unknown, maxItems: number): T[] {
  const { items, violations } = checkArray(dto, body, maxItems);
  if (violations.length) throw new ValidationFailed(violations);
  return items as T[];
}
