import { buildMessage, ValidateBy, ValidatorConstraint, ValidatorConstraintInterface, ValidationArguments } from 'class-validator';

/*
 * Rules shared by the DTOs of several features (the trade-in, the programme's quotes, offers and
 * submissions). Violation codes come from their names through CONSTRAINT_CODES (validation.ts).
 */

export const MAX_MONEY = 9_999_999_999.99;
/**
 * A finite JSON number with at most `places` decimals. (class-validator's IsNumber({ maxDecimalPlaces })
 * throws a TypeError — a 500 — on numbers JSON.parse yields in exponent form, such as 7e-323.)
 */
export function IsDecimal(places: number): PropertyDecorator {
  const re = new RegExp(`^-?\\d+(\\.\\d{1,${places}})?$`);
  return ValidateBy({
    name: 'isNumber',
    validator: {
      validate: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && re.test(String(v)),
      defaultMessage: buildMessage((each, args) => (typeof args?.value === 'number' ? `${each}$property must be a number with at most ${places} decimal places` : `${each}$property must be a number`)),
    },
  });
}

/** For `@ValidateIf`: the field was sent; a null then fails its rules (it may be left out, not nulled). */
export const notNull = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;

/** `YYYY-MM-DD`, a real calendar date, not before 1900 and — when `past` — not in the future. */
@ValidatorConstraint({ name: 'isCalendarDate' })
export class CalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value || value < '1900-01-01') return false;
    const past = (args.constraints?.[0] as { past?: boolean } | undefined)?.past;
    return !past || value <= new Date().toISOString().slice(0, 10);
  }
  defaultMessage(args: ValidationArguments): string {
    const past = (args.constraints?.[0] as { past?: boolean } | undefined)?.past;
    return `${args.property} must be a valid date YYYY-MM-DD from 1900-01-01${past ? ' and not in the future' : ''}`;
  }
}
