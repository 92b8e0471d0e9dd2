import { divRound, fromCents, toCents, toUnits } from '../common/money';
import { TradeIn } from './trade-in.entity';

export const APPRAISAL_FORMULA =
  'depreciation = marketPrice × dailyDepreciationRate/100 × daysToSale (at most marketPrice); ' +
  'marketValueOnSalesDay = marketPrice − depreciation; marginAmount = marketValueOnSalesDay × margin/100; ' +
  'suggestedPurchasePrice = marketValueOnSalesDay − marginAmount − refurbishCostEstimate (not below 0). ' +
  'Exact: integer cents, each product rounded half up to the cent once.';

/**
 * The dealer-side appraisal maths, in exact integer arithmetic (BigInt cents; the rate has 4
 * decimals and the margin 2, so they are scaled to integers too). Linear depreciation per day.
 */
export function appraise(t: Pick<TradeIn, 'id' | 'marketPrice' | 'daysToSale' | 'dailyDepreciationRate' | 'refurbishCostEstimate' | 'margin'>) {
  const missing: string[] = [];
  for (const f of ['marketPrice', 'daysToSale', 'dailyDepreciationRate', 'refurbishCostEstimate', 'margin'] as const) if (t[f] === null || t[f] === undefined) missing.push(f);
  let depreciation: bigint | null = null;
  let salesDay: bigint | null = null;
  let marginAmount: bigint | null = null;
  let suggested: bigint | null = null;
  if (t.marketPrice !== null && t.daysToSale !== null && t.dailyDepreciationRate !== null) {
    const market = toCents(t.marketPrice);
    // rate in 1/10000 percent → divide by 100 (percent) × 10000 (scale)
    const raw = divRound(market * toUnits(t.dailyDepreciationRate, 4) * BigInt(t.daysToSale), 1_000_000n);
    depreciation = raw > market ? market : raw;
    salesDay = market - depreciation;
    if (t.margin !== null) {
      marginAmount = divRound(salesDay * toUnits(t.margin, 2), 10_000n);
      if (t.refurbishCostEstimate !== null) {
        const s = salesDay - marginAmount - toCents(t.refurbishCostEstimate);
        suggested = s < 0n ? 0n : s;
      }
    }
  }
  const out = (v: bigint | null) => (v === null ? null : fromCents(v));
  return {
    tradeIn: `/api/v3/trade-ins/${t.id}`,
    marketPrice: t.marketPrice,
    daysToSale: t.daysToSale,
    dailyDepreciationRate: t.dailyDepreciationRate,
    refurbishCostEstimate: t.refurbishCostEstimate,
    margin: t.margin,
    depreciation: out(depreciation),
    marketValueOnSalesDay: out(salesDay),
    marginAmount: out(marginAmount),
    suggestedPurchasePrice: out(suggested),
    missing,
    formula: APPRAISAL_FORMULA,
  };
}
