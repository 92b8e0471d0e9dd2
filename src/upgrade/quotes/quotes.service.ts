import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { divRound, fromCents, toCents, toUnits } from '../../common/money';
import type { TradeIn } from '../../trade-ins/trade-in.entity';
import type { TradeInProgram } from '../submissions/trade-in-program.entity';
import { DEFAULT_MODIFIERS, Grade, ProgramValuation } from './valuation.entity';
import { ValuationsRepository } from './valuations.repository';

/** The automatic quote: the valuation of the vehicle × the condition modifier of its grade. */
@Injectable()
export class QuotesService {
  constructor(private readonly valuations: ValuationsRepository) {}

  /** base value × modifier% in exact cents, half up. */
  static quote(baseValue: number, percent: number): number {
    return fromCents(divRound(toCents(baseValue) * toUnits(percent, 2), 10000n));
  }

  /** The tenant's modifiers: its own rows over the defaults. */
  async modifiers(em: EntityManager, tenantId: number): Promise<Record<Grade, number>> {
    const out = { ...DEFAULT_MODIFIERS };
    for (const r of await this.valuations.modifierRows(em, tenantId)) out[r.grade] = r.percent;
    return out;
  }

  /** The valuation addressed by a product id, if any. */
  byProduct(em: EntityManager, tenantId: number, productId: string): Promise<ProgramValuation | null> {
    return this.valuations.byProduct(em, tenantId, productId);
  }

  /** The valuation for a product id (and whether it was found so: the product is catalogued), else the narrowest make/model/year match. */
  private async valuationFor(em: EntityManager, tenantId: number, v: { productId: string | null; make: string | null; model: string | null; year: number | null }) {
    if (v.productId) {
      const byProduct = await this.valuations.byProduct(em, tenantId, v.productId);
      if (byProduct) return { valuation: byProduct, catalogued: true };
    }
    if (!v.make || !v.model || !v.year) return { valuation: null, catalogued: false };
    return { valuation: await this.valuations.narrowest(em, tenantId, v.make, v.model, v.year), catalogued: false };
  }

  /**
   * Sets the programme row's valuation and automatic quote from the trade-in's vehicle and the
   * declared grade, and whether its product is catalogued.
   */
  async requote(em: EntityManager, tenantId: number, t: TradeIn, p: Pick<TradeInProgram, 'productId' | 'conditionGrade' | 'valuationId' | 'quotedValue' | 'productCatalogued'>): Promise<void> {
    const year = t.vmFirstRegistrationDate ? Number(String(t.vmFirstRegistrationDate).slice(0, 4)) : null;
    const { valuation, catalogued } = await this.valuationFor(em, tenantId, { productId: p.productId, make: t.vmMake, model: t.vmModel, year });
    p.productCatalogued = catalogued;
    p.valuationId = valuation?.id ?? null;
    p.quotedValue = valuation && p.conditionGrade ? QuotesService.quote(valuation.baseValue, (await this.modifiers(em, tenantId))[p.conditionGrade]) : null;
  }

  /**
   * The final value after inspection: the accepted offer when the grade found is the declared one,
   * else the offer re-quoted: offer × modifier(found grade) ÷ modifier(declared grade), in exact cents.
   */
  async requoteOffer(em: EntityManager, tenantId: number, offer: number, declared: Grade | null, found: Grade): Promise<number> {
    if (!declared || declared === found) return offer;
    const mods = await this.modifiers(em, tenantId);
    const declaredUnits = toUnits(mods[declared], 2);
    return declaredUnits === 0n ? 0 : fromCents(divRound(toCents(offer) * toUnits(mods[found], 2), declaredUnits));
  }
}
