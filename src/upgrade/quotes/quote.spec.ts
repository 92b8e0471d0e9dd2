import fc from 'fast-check';
import { QuotesService } from './quotes.service';

// The programme's automatic quote: base value × condition modifier %, exact in cents, half up (docs/upgrade-module.md).
describe('programme quote', () => {
  it('applies the default modifiers to a base value (excellent 100 %, good 80 %, fair 60 %, poor 40 %)', () => {
    expect([100, 80, 60, 40].map((p) => QuotesService.quote(12345.67, p))).toEqual([12345.67, 9876.54, 7407.4, 4938.27]);
  });

  it('rounds half a cent up', () => {
    expect(QuotesService.quote(0.05, 50)).toBe(0.03);
    expect(QuotesService.quote(0.01, 50)).toBe(0.01);
    expect(QuotesService.quote(0.01, 49.99)).toBe(0);
  });

  it('is within half a cent of base × percent / 100 for every stored base value and modifier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 10_000 }), (baseCents, percentUnits) => {
        const quote = QuotesService.quote(baseCents / 100, percentUnits / 100);
        const q = BigInt(Math.round(quote * 100)) * 10_000n;
        const exact = BigInt(baseCents) * BigInt(percentUnits);
        const err = q - exact < 0n ? exact - q : q - exact;
        return 2n * err <= 10_000n && /^\d+(\.\d{1,2})?$/.test(JSON.stringify(quote));
      }),
    );
  });
});
