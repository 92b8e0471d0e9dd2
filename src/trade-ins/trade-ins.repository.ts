import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { PropertyTree } from '../common/collection';
import { CollectionQuery, shapeWithin } from '../common/collection.decorator';
import { CollectionResult, RenderedRows } from '../common/responses';
import { CompiledView, compileView, Raw, rawKey, ViewObject } from '../common/row-view';
import { CollectionCompiler } from '../database/collection-compiler';
import { TenantRepository } from '../database/tenant.repository';
import { existsInTenant, insertRow } from '../database/tx.service';
import { Location } from '../locations/location.entity';
import { TradeIn, TradeInStatusChange } from './trade-in.entity';
import type { TradeInViewField } from './trade-in.extensions';
import { TradeInCounts } from './trade-in-counts';
import { tradeInView } from './trade-in.view';

/**
 * All SQL of the trade-in aggregate, the hot paths included: the list and item reads compiled
 * once per filter/order/properties shape (CollectionCompiler over the representation of
 * trade-in.view.ts and the extensions' fields), the ids-first paging with the cached count, the
 * row lock (findInTenantOrFail with `lock`), and the plain INSERTs. Writes run in the caller's
 * transaction (`em`).
 */
@Injectable()
export class TradeInsRepository extends TenantRepository<TradeIn> {
  /** The entity's property names (the columns a write compares). */
  readonly columns: string[];
  private view: ViewObject;
  private pages: CollectionCompiler<CompiledView>;

  constructor(
    ds: DataSource,
    private readonly counts: TradeInCounts,
  ) {
    super(ds, TradeIn, 'Trade-in');
    this.columns = ds.getMetadata(TradeIn).columns.map((c) => c.propertyName);
  }

  /** Builds the representation and its compiler once, with the add-ons' fields (TradeInRulesService.onModuleInit). */
  compile(fields: readonly TradeInViewField[]): void {
    const ds = this.ds;
    const joins = new Map(fields.flatMap((f) => f.joins.map((j) => [j.alias, j])));
    this.view = tradeInView(ds, fields);
    this.pages = new CollectionCompiler<CompiledView>(
      ds,
      () => ds.getRepository(TradeIn).createQueryBuilder('t'),
      (properties) => {
        const view = compileView(this.view, properties as PropertyTree | null);
        // Only the columns the selection renders (plus id and version for the ETag), and only the joins they need.
        const query = ds.getRepository(TradeIn).createQueryBuilder('t').select('t.id', rawKey('t.id')).addSelect('t.version', rawKey('t.version'));
        for (const alias of new Set(view.columns.map((c) => c.split('.')[0]))) {
          if (alias === 't') continue;
          const join = joins.get(alias);
          if (join) query.leftJoin(join.entity, alias, join.on);
          else query.leftJoin(`t.${alias}`, alias);
        }
        for (const c of view.columns) if (c !== 't.id' && c !== 't.version') query.addSelect(c, rawKey(c));
        return { query, view };
      },
      undefined,
      // (tenant_id, status, id), (tenant_id, status, updated_at) and (tenant_id, status, purchase_price) (migrations 10, 140).
      { column: 't.status', orders: ['t.updatedAt', 't.purchasePrice'] },
    );
  }

  /**
   * The collection's paginate (database/paginate.ts's, compiled): the tenant's condition, then the
   * request's; one page of rows for the compiled renderer, the total from the count cache.
   */
  async paginate(tenantId: number, q: CollectionQuery): Promise<CollectionResult> {
    const shape = shapeWithin(q, 't.tenantId = :tenantId', { tenantId });
    const { rows, view, total, hasNext } = await this.pages.fetch(shape, q.keys, q.properties, q.pagination, (sql, params) => this.counts.count(sql, params));
    return new CollectionResult('TradeIn', new RenderedRows(rows, view), total, q.pagination, hasNext, q.query);
  }

  /** The stored rows of one trade-in for its representation (read through `em`, e.g. inside a write). */
  rendered(em: EntityManager, tenantId: number, id: number, properties: PropertyTree | null): Promise<{ rows: Raw[]; view: CompiledView }> {
    return this.pages.byIds(em, tenantId, [id], properties);
  }

  /** Whether a row a trade-in refers to (customer, location) exists in the tenant. */
  referenceExists(em: EntityManager, entity: EntityTarget<ObjectLiteral>, tenantId: number, id: number): Promise<boolean> {
    return existsInTenant(em, entity, id, tenantId);
  }

  locationCount(em: EntityManager, tenantId: number): Promise<number> {
    return em.getRepository(Location).countBy({ tenantId });
  }

  history(tenantId: number, tradeInId: number): Promise<TradeInStatusChange[]> {
    return this.ds.getRepository(TradeInStatusChange).find({ where: { tradeInId, tenantId }, relations: { changedBy: true }, order: { id: 'ASC' } });
  }

  /** The latest history entry of a trade-in (the move that made its current status). */
  lastChange(tenantId: number, tradeInId: number): Promise<TradeInStatusChange | null> {
    return this.ds.getRepository(TradeInStatusChange).findOne({ where: { tradeInId, tenantId }, relations: { changedBy: true }, order: { id: 'DESC' } });
  }

  /** A new entity object (no SQL): a copy of `values`. */
  instance(values: Partial<TradeIn>): TradeIn {
    return this.ds.getRepository(TradeIn).create(values as TradeIn);
  }

  /** A plain INSERT of the trade-in (every value set by the caller); the count cache hears it through insertRow. */
  insert(em: EntityManager, t: TradeIn): Promise<number> {
    return insertRow(em, TradeIn, t);
  }

  async insertChange(em: EntityManager, change: Partial<TradeInStatusChange>): Promise<void> {
    await insertRow(em, TradeInStatusChange, change);
  }

  async update(em: EntityManager, tenantId: number, id: number, diff: Record<string, unknown>): Promise<void> {
    await em.getRepository(TradeIn).update({ id, tenantId }, diff);
  }

  async delete(em: EntityManager, tenantId: number, id: number): Promise<void> {
    await em.getRepository(TradeIn).delete({ id, tenantId });
  }
}
