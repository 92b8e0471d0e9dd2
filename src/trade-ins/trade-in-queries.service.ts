import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PropertyTree } from '../common/collection';
import type { CollectionQuery } from '../common/collection.decorator';
import { etagOf } from '../common/etag';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { Principal } from '../common/principal';
import { CollectionResult, ItemResult, ListResult, RenderedRows } from '../common/responses';
import { rawKey } from '../common/row-view';
import { appraise } from './appraisal';
import { TradeIn, TradeInStatus } from './trade-in.entity';
import { serializeStatusChange } from './trade-in.serializer';
import { TradeInRulesService } from './trade-in-rules.service';
import { TradeInsRepository } from './trade-ins.repository';

/** The reads of the trade-in API: the collection, one trade-in, its appraisal, its allowed moves and its history. */
@Injectable()
export class TradeInQueries {
  constructor(
    private readonly ds: DataSource,
    private readonly tradeIns: TradeInsRepository,
    private readonly rules: TradeInRulesService,
  ) {}

  list(p: Principal, q: CollectionQuery): Promise<CollectionResult> {
    return this.tradeIns.paginate(p.tenantId, q);
  }

  /** The representation of one trade-in (read through `em`, e.g. inside the write's transaction), with its ETag. */
  async present(em: EntityManager, tenantId: number, id: number, properties: PropertyTree | null = null, status?: number): Promise<ItemResult> {
    const { rows, view } = await this.tradeIns.rendered(em, tenantId, id, properties);
    if (rows.length === 0) throw this.tradeIns.missing(id);
    return new ItemResult(new RenderedRows(rows, view), {
      status,
      etag: etagOf(Number(rows[0][rawKey('t.version')])),
      location: status === 201 ? iriOf('trade-ins', id) : undefined,
    });
  }

  get(p: Principal, id: number, properties: PropertyTree | null): Promise<ItemResult> {
    return this.present(this.ds.manager, p.tenantId, id, properties);
  }

  /** The appraisal maths on the stored inputs (see appraisal.ts for the formula). */
  async appraisal(p: Principal, id: number): Promise<ItemResult> {
    const select: (keyof TradeIn)[] = ['id', 'marketPrice', 'daysToSale', 'dailyDepreciationRate', 'refurbishCostEstimate', 'margin'];
    const t = await this.tradeIns.findInTenantOrFail(this.ds.manager, p.tenantId, id, { select });
    return new ItemResult(ldNode('Appraisal', { iri: `${iriOf('trade-ins', id)}/appraisal`, ...appraise(t) }));
  }

  /**
   * The moves this API may make from the trade-in's status (the machine's table, less those only the
   * programme makes), each with the entry requirements it does not meet now. Advisory (read without
   * a lock): the move itself checks again under its lock.
   */
  async statusMoves(p: Principal, id: number): Promise<ItemResult> {
    const em = this.ds.manager;
    const t = await this.tradeIns.findInTenantOrFail(em, p.tenantId, id);
    const ctx = await this.rules.context(em, p.tenantId, id);
    const facts = ctx.facts ?? {};
    // A move an extension keeps from the dealer API (the programme's offers and acceptances) is not offered.
    const dealerMay = (target: TradeInStatus) => {
      try {
        for (const { rules, facts: f } of this.rules.dealerRules(facts)) rules.assertDealerMove?.(f, target);
        return true;
      } catch {
        return false;
      }
    };
    const machine = this.rules.machine;
    const moves = Object.entries(machine.slugs)
      .filter(([, target]) => target !== t.status && machine.canMove(t.status, target) && dealerMay(target))
      .map(([slug, target]) => {
        const noDeal = target === 'no_deal';
        // no-deal takes its reject reason in the move's body: not a requirement on the stored row.
        const unmet = this.rules.unmet(target, t, ctx).filter((v) => !(noDeal && v.propertyPath === 'rejectReason'));
        return { slug, status: target, unmet, takes: noDeal ? ['rejectReason', 'rejectReasonMetaText'] : [] };
      });
    const iri = iriOf('trade-ins', id);
    const last = await this.tradeIns.lastChange(p.tenantId, id);
    return new ItemResult(ldNode('StatusMoves', { iri: `${iri}/status-moves`, tradeIn: iri, status: t.status, moves, lastChange: last ? serializeStatusChange(last) : null }));
  }

  async history(p: Principal, id: number): Promise<ListResult> {
    await this.tradeIns.existsInTenantOrFail(this.ds.manager, p.tenantId, id);
    const rows = await this.tradeIns.history(p.tenantId, id);
    return new ListResult('StatusChange', rows.map(serializeStatusChange));
  }
}
