/**
 * Exact decimal arithmetic for money: amounts become integer cents (BigInt), rates become integer
 * units of their scale, and every division rounds half up once, at the end. No float ever enters
 * a computation (JSON numbers with at most `decimals` places are read through their decimal text).
 */
export function toUnits(value: number, decimals: number): bigint {
  const [int, frac = ''] = Math.abs(value).toFixed(decimals).split('.');
  const units = BigInt(int + frac.padEnd(decimals, '0'));
  return value < 0 ? -units : units;
}

export const toCents = (value: number) => toUnits(value, 2);

/** Cents → JSON number (exact for every DECIMAL(12,2) value). */
export const fromCents = (cents: bigint) => Number(cents) / 100;

/** a / b rounded half away from zero (b > 0). */
export function divRound(a: bigint, b: bigint): bigint {
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const q = (2n * abs + b) / (2n * b);
  return neg ? -q : q;
}
