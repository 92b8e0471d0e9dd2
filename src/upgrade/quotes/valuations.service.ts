import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CollectionSpec } from '../../common/collection';
import type { CollectionQuery } from '../../common/collection.decorator';
import { paginate } from '../../database/paginate';
import { conflict, ValidationFailed, Violation, violation } from '../../common/errors';
import { ParseIdPipe } from '../../common/params';
import { CollectionResult, ItemResult } from '../../common/responses';
import { isoTimestamp } from '../../common/serialize';
import { TxService } from '../../database/tx.service';
import type { Caller } from '../program.guard';
import { ModifiersInput, ValuationInput } from './quotes.dto';
import { QuotesService } from './quotes.service';
import { GRADES, ProgramValuation } from './valuation.entity';
import { ValuationsRepository } from './valuations.repository';

export const VALUATION_SPEC: CollectionSpec = {
  order: { id: 'v.id', make: 'v.make', model: 'v.model', year_from: 'v.yearFrom', base_value: 'v.baseValue' },
  exact: { product_id: { column: 'v.productId', maxLength: 64 } },
  partial: { make: 'v.make', model: 'v.model' },
  defaultOrder: [['v.id', 'DESC']],
};

function renderValuation(v: ProgramValuation) {
  return {
    id: v.id,
    product_id: v.productId,
    make: v.make,
    model: v.model,
    year_from: v.yearFrom,
    year_to: v.yearTo,
    base_value: v.baseValue,
    created_at: isoTimestamp(v.createdAt),
    updated_at: isoTimestamp(v.updatedAt),
  };
}

/** Staff administration of the quote inputs: valuations and condition modifiers. */
@Injectable()
export class ValuationsService {
  private readonly ids = new ParseIdPipe();

  constructor(
    private readonly tx: TxService,
    private readonly valuations: ValuationsRepository,
    private readonly quotes: QuotesService,
  ) {}

  /** `q`: the request parsed against VALUATION_SPEC (`@Collection`, without `properties[]`: the programme's lists are plain JSON). */
  listValuations(caller: Caller, q: CollectionQuery): Promise<CollectionResult> {
    return paginate(this.valuations.listQuery(caller.tenant.id), q, 'Valuation', renderValuation);
  }

  private findValuation(caller: Caller, rawId: string, lock = false, em: EntityManager = this.valuations.manager) {
    return this.valuations.findInTenantOrFail(em, caller.tenant.id, this.ids.transform(rawId, { type: 'param' }), { lock });
  }

  async getValuation(caller: Caller, rawId: string) {
    return new ItemResult(renderValuation(await this.findValuation(caller, rawId)));
  }

  /**
   * A valuation addresses a vehicle (make, model, year range) or a catalogued product (product_id),
   * or both: without a product_id the vehicle fields are all required; a year range is whole. The
   * fields' own rules were checked at the edge; these, across fields, answer only once those pass.
   */
  private static checkAddress(input: ValuationInput): ValuationInput {
    const violations: Violation[] = [];
    if (!input.product_id) {
      for (const field of ['make', 'model', 'year_from', 'year_to'] as const) {
        if (input[field] === undefined || input[field] === null) violations.push(violation(field, `${field} is required unless product_id is given (a product-only valuation)`, 'required'));
      }
    } else if ((input.year_from === undefined || input.year_from === null) !== (input.year_to === undefined || input.year_to === null)) {
      const missing = input.year_from === undefined || input.year_from === null ? 'year_from' : 'year_to';
      violations.push(violation(missing, `${missing} is required with ${missing === 'year_from' ? 'year_to' : 'year_from'}: a year range has both ends`, 'required'));
    }
    if (typeof input.year_from === 'number' && typeof input.year_to === 'number' && input.year_to < input.year_from) {
      violations.push(violation('year_to', 'year_to must not be before year_from', 'invalid_range'));
    }
    if (violations.length) throw new ValidationFailed(violations);
    return input;
  }

  private async productFree(em: EntityManager, tenantId: number, productId: string | null | undefined, exceptId?: number) {
    if (!productId) return;
    const other = await this.valuations.byProduct(em, tenantId, productId);
    if (other && other.id !== exceptId) throw conflict(`product_id "${productId}" is already used by valuation ${other.id}.`);
  }

  private static fields(input: ValuationInput) {
    return {
      productId: input.product_id ?? null,
      make: input.make?.trim() ?? null,
      model: input.model?.trim() ?? null,
      yearFrom: input.year_from ?? null,
      yearTo: input.year_to ?? null,
      baseValue: input.base_value,
    };
  }

  async createValuation(caller: Caller, body: ValuationInput) {
    const input = ValuationsService.checkAddress(body);
    const v = await this.tx.run(async (em) => {
      await this.productFree(em, caller.tenant.id, input.product_id);
      const now = new Date();
      return this.valuations.save(em, { tenantId: caller.tenant.id, ...ValuationsService.fields(input), createdAt: now, updatedAt: now });
    });
    return new ItemResult(renderValuation(v), { status: 201, location: `/api/${caller.tenant.slug}/admin/valuations/${v.id}` });
  }

  /** PUT replaces the valuation (every required field again). Existing quotes keep their value. */
  async updateValuation(caller: Caller, rawId: string, body: ValuationInput) {
    const input = ValuationsService.checkAddress(body);
    const v = await this.tx.run(async (em) => {
      const v = await this.findValuation(caller, rawId, true, em);
      await this.productFree(em, caller.tenant.id, input.product_id, v.id);
      return this.valuations.save(em, Object.assign(v, ValuationsService.fields(input), { updatedAt: new Date() }));
    });
    return new ItemResult(renderValuation(v));
  }

  async deleteValuation(caller: Caller, rawId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const v = await this.findValuation(caller, rawId, true, em);
      await this.valuations.delete(em, caller.tenant.id, v.id);
    });
  }

  async getModifiers(caller: Caller) {
    return new ItemResult(await this.quotes.modifiers(this.valuations.manager, caller.tenant.id));
  }

  /** Only the grades sent change; the others keep their value (default or earlier setting). */
  async putModifiers(caller: Caller, input: ModifiersInput) {
    await this.tx.run(async (em) => {
      for (const grade of GRADES) {
        const percent = input[grade];
        if (percent !== undefined) await this.valuations.setModifier(em, caller.tenant.id, grade, percent);
      }
    });
    return this.getModifiers(caller);
  }
}
