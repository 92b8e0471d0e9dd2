import fc from 'fast-check';
import { divRound, fromCents, toCents, toUnits } from './money';

/** The decimal text of `units` with `decimals` places, as a JSON number would print it (`1050` → "10.5"). */
function decimalText(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

// Every value a DECIMAL(12,2) column holds, in cents.
const cents = fc.bigInt({ min: -(10n ** 12n) + 1n, max: 10n ** 12n - 1n });

describe('money: amounts as integer cents', () => {
  it('reads every DECIMAL(12,2) amount, given as a JSON number, as its exact cents', () => {
    fc.assert(fc.property(cents, (c) => toCents(Number(decimalText(c, 2))) === c));
  });

  it('reads rates with 4 decimals (DECIMAL(7,4)) exactly', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 7n) + 1n, max: 10n ** 7n - 1n }), (u) => toUnits(Number(decimalText(u, 4)), 4) === u));
  });

  it('writes cents back as the JSON number whose text is the exact decimal (no float drift)', () => {
    fc.assert(fc.property(cents, (c) => JSON.stringify(fromCents(c)) === decimalText(c, 2)));
  });

  it('does not drift on the classic float cases', () => {
    expect(toCents(0.1) + toCents(0.2)).toBe(30n);
    expect(fromCents(toCents(0.1) + toCents(0.2))).toBe(0.3);
    expect(toCents(-0.01)).toBe(-1n);
    expect(toCents(9999999999.99)).toBe(999999999999n);
  });
});

describe('money: divRound', () => {
  const divisor = fc.bigInt({ min: 1n, max: 10n ** 12n });
  const dividend = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });

  it('is within half a unit of the exact quotient', () => {
    fc.assert(
      fc.property(dividend, divisor, (a, b) => {
        const q = divRound(a, b);
        const err = q * b - a;
        return 2n * (err < 0n ? -err : err) <= b;
      }),
    );
  });

  it('rounds a tie away from zero (half up on amounts, symmetric for negatives)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (k, h) => {
        // (2k+1)·h / 2h = k + 1/2: an exact tie
        const q = divRound((2n * k + 1n) * h, 2n * h);
        return q === (k >= 0n ? k + 1n : k);
      }),
    );
    expect(divRound(5n, 10n)).toBe(1n);
    expect(divRound(-5n, 10n)).toBe(-1n);
    expect(divRound(4n, 10n)).toBe(0n);
    expect(divRound(15n, 10n)).toBe(2n);
    expect(divRound(-15n, 10n)).toBe(-2n);
  });

  it('is exact when the division is', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), divisor, (k, b) => divRound(k * b, b) === k));
  });
});
