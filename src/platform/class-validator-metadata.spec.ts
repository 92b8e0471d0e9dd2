import { ClassConstructor } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import fc from 'fast-check';
import * as users from '../auth/users.dto';
import * as comments from '../comments/comment.dto';
import { ValidationFailed, Violation } from '../common/errors';
import { typeChecksFirst, validateObject } from '../common/validation';
import * as customers from '../customers/customer.dto';
import * as locations from '../locations/location.dto';
import * as pictures from '../pictures/picture.dto';
import * as tradeIns from '../trade-ins/trade-in.dto';
import * as program from '../upgrade/program.dto';

/*
 * Tripwire: src/common/validation.ts memoizes two methods of class-validator's global
 * MetadataStorage instance (getTargetValidationMetadatas, groupByPropertyName), which rescanned
 * every decorated class on each validate call (~0.1 ms of a trade-in create, issue 6). It relies on
 * validate() reading that very instance through those two methods, with these arguments, and on
 * rules being registered when a class is defined. The memo also puts each property's type checks
 * first (typeChecksFirst, so that stopAtFirstError reports the real fault, issue 13): "exactly what
 * class-validator answers" below means class-validator's rules in that order.
 */
type Storage = ReturnType<typeof getMetadataStorage>;
const storage = getMetadataStorage();
const original = Object.getPrototypeOf(storage) as Storage;

const DTOS = [users, comments, customers, locations, pictures, tradeIns, program].flatMap((m) =>
  Object.values(m).filter((v): v is ClassConstructor<object> => typeof v === 'function' && /^[A-Z]/.test((v as { name: string }).name)),
);

/** Runs `fn` with class-validator's own methods (the memo taken off the instance; type checks still first). */
function unmemoized<T>(fn: () => T): T {
  const own = storage as unknown as Record<string, unknown>;
  const saved = { a: own.getTargetValidationMetadatas, b: own.groupByPropertyName };
  own.getTargetValidationMetadatas = (...args: Parameters<Storage['getTargetValidationMetadatas']>) => typeChecksFirst(storage, original.getTargetValidationMetadatas.apply(storage, args));
  delete own.groupByPropertyName;
  try {
    return fn();
  } finally {
    own.getTargetValidationMetadatas = saved.a;
    own.groupByPropertyName = saved.b;
  }
}

function violationsOf(dto: ClassConstructor<object>, body: unknown): Violation[] | string {
  try {
    validateObject(dto, body);
    return [];
  } catch (e) {
    if (e instanceof ValidationFailed) return e.violations!;
    return (e as Error).message;
  }
}

describe('tripwire: class-validator’s metadata storage, memoized', () => {
  it('the patched methods exist on class-validator’s MetadataStorage, with the arguments the memo keys on', () => {
    expect(typeof original.getTargetValidationMetadatas).toBe('function');
    expect(original.getTargetValidationMetadatas.length).toBe(5); // (target, schema, always, strictGroups, groups)
    expect(typeof original.groupByPropertyName).toBe('function');
    expect(original.groupByPropertyName.length).toBe(1);
    // the memo sits on the global instance, in front of the prototype's methods
    expect(Object.prototype.hasOwnProperty.call(storage, 'getTargetValidationMetadatas')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(storage, 'groupByPropertyName')).toBe(true);
  });

  it('validate() reads the global storage through both methods, passing (class, schema, always, strictGroups, groups)', () => {
    const own = storage as unknown as Record<string, (...args: unknown[]) => unknown>;
    const seen: unknown[][] = [];
    const grouped: unknown[] = [];
    const [rules, group] = [own.getTargetValidationMetadatas, own.groupByPropertyName];
    own.getTargetValidationMetadatas = (...args: unknown[]) => (seen.push(args), rules(...args));
    own.groupByPropertyName = (metadata: unknown) => (grouped.push(metadata), group(metadata));
    try {
      validateSync(Object.assign(new customers.CustomerInput(), { lastName: 5 }), { groups: ['create'] });
    } finally {
      own.getTargetValidationMetadatas = rules;
      own.groupByPropertyName = group;
    }
    expect(seen.length).toBeGreaterThan(0);
    const [target, schema, always, strictGroups, groups] = seen[0];
    expect(seen[0]).toHaveLength(5);
    expect(target).toBe(customers.CustomerInput);
    expect(schema === undefined || typeof schema === 'string').toBe(true);
    expect(typeof always).toBe('boolean');
    expect(typeof strictGroups).toBe('boolean');
    expect(groups).toEqual(['create']);
    expect(grouped.length).toBeGreaterThan(0);
  });

  it(`answers exactly what class-validator answers for every DTO class of the app (${DTOS.length} classes)`, () => {
    expect(DTOS.length).toBeGreaterThan(20);
    for (const dto of DTOS) {
      for (const groups of [undefined, ['create'], ['patch']]) {
        const memo = storage.getTargetValidationMetadatas(dto, '', false, false, groups);
        const own = typeChecksFirst(storage, original.getTargetValidationMetadatas.call(storage, dto, '', false, false, groups));
        expect([dto.name, memo]).toEqual([dto.name, own]);
        expect(storage.groupByPropertyName(memo)).toEqual(original.groupByPropertyName.call(storage, own));
      }
    }
  });

  it('sees the rules of a class defined after validation has begun (rules are registered at definition)', () => {
    validateObject(customers.CustomerInput, { lastName: 'Tamm' });
    class DefinedLater {
      @IsString() @MaxLength(3) code: string;
      @IsInt() count: number;
    }
    expect(violationsOf(DefinedLater, { code: 'long', count: 'x' })).toEqual([
      expect.objectContaining({ propertyPath: 'code', code: 'too_long' }),
      expect.objectContaining({ propertyPath: 'count', code: 'invalid_type' }),
    ]);
  });

  it('reports the same violations as unmemoized class-validator on random trade-in and customer bodies', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('2020-02-30', 'WVWZZZ1KZAW000001', '/api/v3/customers/1', -1, 1e12),
    );
    const vehicle = fc.dictionary(
      fc.constantFrom('make', 'model', 'vinCode', 'mileage', 'firstRegistrationDate', 'equipment', 'accidents', 'regNr'),
      fc.oneof(value, fc.array(value, { maxLength: 2 })),
      { maxKeys: 5 },
    );
    const tradeIn = fc.dictionary(
      fc.constantFrom('note', 'purchasePrice', 'margin', 'daysToSale', 'status', 'customer', 'priceExVat', 'lastServiceDate', 'debtInfo', 'condition', 'vehicleModel', 'unknown'),
      fc.oneof(value, vehicle),
      { maxKeys: 6 },
    );
    const customer = fc.dictionary(fc.constantFrom('firstName', 'lastName', 'companyName', 'email', 'phone', 'personalCode', 'address'), value, { maxKeys: 5 });
    fc.assert(
      fc.property(tradeIn, customer, (t, c) => {
        expect(violationsOf(tradeIns.TradeInInput, t)).toEqual(unmemoized(() => violationsOf(tradeIns.TradeInInput, t)));
        expect(violationsOf(customers.CustomerInput, c)).toEqual(unmemoized(() => violationsOf(customers.CustomerInput, c)));
      }),
      { numRuns: 300 },
    );
  });
});
