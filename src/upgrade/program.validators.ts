import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/** Trims strings (class-transformer), before validation. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** An ISO 8601 timestamp with a time zone (Z or ±hh:mm). */
@ValidatorConstraint({ name: 'isTimestamp' })
export class Timestamp implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)$/.test(value) && !Number.isNaN(Date.parse(value));
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an ISO 8601 timestamp with a time zone, e.g. 2024-02-01T00:00:00Z`;
  }
}
