import fc from 'fast-check';
import { appraise } from './appraisal';

type Inputs = Parameters<typeof appraise>[0];

const inputs = (over: Partial<Inputs>): Inputs => ({
  id: 1,
  marketPrice: 10000,
  daysToSale: 30,
  dailyDepreciationRate: 0.1,
  refurbishCostEstimate: 500,
  margin: 10,
  ...over,
});

/** An amount in the API (a JSON number with at most 2 places) → exact cents, through its text. */
const cents = (v: number | null) => (v === null ? null : BigInt(Math.round(v * 100)));

describe('appraisal maths', () => {
  it('computes the worked example of the formula: 10 000 at 0.1 %/day for 30 days, 10 % margin, 500 refurbishment', () => {
    expect(appraise(inputs({}))).toMatchObject({
      tradeIn: '/api/v3/trade-ins/1',
      depreciation: 300,
      marketValueOnSalesDay: 9700,
      marginAmount: 970,
      suggestedPurchasePrice: 8230,
      missing: [],
    });
  });

  it('rounds each product half up to the cent, once', () => {
    // 0.05 × 10 %/day × 1 day = 0.005 → 0.01; 0.04 × 12.5 % = 0.005 → 0.01
    expect(appraise(inputs({ marketPrice: 0.05, dailyDepreciationRate: 10, daysToSale: 1, margin: 12.5, refurbishCostEstimate: 0 }))).toMatchObject({
      depreciation: 0.01,
      marketValueOnSalesDay: 0.04,
      marginAmount: 0.01,
      suggestedPurchasePrice: 0.03,
    });
  });

  it('never depreciates below zero value, and never suggests a negative price', () => {
    expect(appraise(inputs({ dailyDepreciationRate: 5, daysToSale: 30 }))).toMatchObject({ depreciation: 10000, marketValueOnSalesDay: 0, marginAmount: 0, suggestedPurchasePrice: 0 });
    expect(appraise(inputs({ refurbishCostEstimate: 20000 })).suggestedPurchasePrice).toBe(0);
  });

  it('lists the missing inputs and computes what it can without them', () => {
    expect(appraise(inputs({ margin: null, refurbishCostEstimate: null }))).toMatchObject({
      depreciation: 300,
      marketValueOnSalesDay: 9700,
      marginAmount: null,
      suggestedPurchasePrice: null,
      missing: ['refurbishCostEstimate', 'margin'],
    });
    expect(appraise(inputs({ marketPrice: null, daysToSale: null, dailyDepreciationRate: null, refurbishCostEstimate: null, margin: null }))).toMatchObject({
      depreciation: null,
      marketValueOnSalesDay: null,
      marginAmount: null,
      suggestedPurchasePrice: null,
      missing: ['marketPrice', 'daysToSale', 'dailyDepreciationRate', 'refurbishCostEstimate', 'margin'],
    });
  });

  // Stored inputs: DECIMAL(12,2) money, DECIMAL(7,4) rate (0–100), DECIMAL(5,2) margin (0–100), 0–3650 days.
  const amount = fc.integer({ min: 0, max: 99_999_999_999 }).map((c) => c / 100);
  const stored = fc.record({
    id: fc.integer({ min: 1, max: 1e6 }),
    marketPrice: amount,
    daysToSale: fc.integer({ min: 0, max: 3650 }),
    dailyDepreciationRate: fc.integer({ min: 0, max: 1_000_000 }).map((u) => u / 10_000),
    refurbishCostEstimate: amount,
    margin: fc.integer({ min: 0, max: 10_000 }).map((u) => u / 100),
  });

  it('keeps its parts consistent to the cent on every stored input: value + depreciation = market price, price = value − margin − refurbishment (or 0)', () => {
    fc.assert(
      fc.property(stored, (t) => {
        const a = appraise(t);
        const [market, dep, value, margin, refurb, price] = [t.marketPrice, a.depreciation, a.marketValueOnSalesDay, a.marginAmount, t.refurbishCostEstimate, a.suggestedPurchasePrice].map(
          (v) => cents(v) ?? -1n, // every input is set here, so no part may be null
        );
        const rest = value - margin - refurb;
        return value + dep === market && dep >= 0n && dep <= market && price === (rest < 0n ? 0n : rest);
      }),
    );
  });

  it('is within half a cent of the exact depreciation and margin on every stored input (rational arithmetic as the reference)', () => {
    fc.assert(
      fc.property(stored, (t) => {
        const a = appraise(t);
        // exact depreciation in cents = market¢ × rate/100 × days = market¢ × rate×10⁴ × days / 10⁶
        const num = cents(t.marketPrice)! * BigInt(Math.round(t.dailyDepreciationRate * 10_000)) * BigInt(t.daysToSale);
        const dep = cents(a.depreciation)!;
        const depOk = dep === cents(t.marketPrice) ? num >= dep * 1_000_000n - 500_000n : 2n * (dep * 1_000_000n - num < 0n ? num - dep * 1_000_000n : dep * 1_000_000n - num) <= 1_000_000n;
        const marginNum = cents(a.marketValueOnSalesDay)! * BigInt(Math.round(t.margin * 100));
        const m = cents(a.marginAmount)! * 10_000n;
        const marginOk = 2n * (m - marginNum < 0n ? marginNum - m : m - marginNum) <= 10_000n;
        return depOk && marginOk;
      }),
    );
  });

  it('answers money as JSON numbers with at most two decimals', () => {
    fc.assert(
      fc.property(stored, (t) => {
        const a = appraise(t);
        return [a.depreciation, a.marketValueOnSalesDay, a.marginAmount, a.suggestedPurchasePrice].every((v) => /^-?\d+(\.\d{1,2})?$/.test(JSON.stringify(v)));
      }),
    );
  });
});
