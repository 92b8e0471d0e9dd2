import { DataSource, EntityManager, EntityTarget, FindOneOptions, FindOptionsRelations, FindOptionsSelect, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { ApiError } from '../common/errors';
import { missing } from '../common/not-found';
import { engineOf } from './data-source';
import { existsInTenant } from './tx.service';

export interface TenantRow extends ObjectLiteral {
  id: number;
  tenantId: number;
}

export interface FindInTenantOptions<E extends TenantRow, K extends keyof E = keyof E> {
  /** `SELECT … FOR UPDATE` on MySQL/MariaDB (SQLite serialises writers already); inside a write transaction. */
  lock?: boolean;
  /** Only these columns. */
  select?: K[];
  relations?: FindOptionsRelations<E>;
  /** Further conditions: a sub-resource's parent (`{ tradeInId }`). */
  where?: FindOptionsWhere<E>;
  /** The parent a sub-resource's 404 names (`trade-in 12`). */
  of?: string;
  /** The id the 404 names when the caller gave another form of it (the programme's public ids: `off_3`, `acc_5`). */
  shownAs?: string;
}

/**
 * The base of the repository of a tenant-owned entity: every lookup of one row by id is scoped to
 * the caller's tenant and answers one 404 (`${label} ${id} was not found.`, common/not-found.ts).
 * A feature's repository extends it and keeps its own SQL besides; a resource without one (the
 * SimpleCrud resources) uses an instance.
 */
export class TenantRepository<E extends TenantRow> {
  constructor(
    protected readonly ds: DataSource,
    protected readonly entity: EntityTarget<E>,
    /** What the 404 calls the row: `Trade-in`, `Customer`, `API key`. */
    readonly label: string,
  ) {}

  /** For reads outside a write transaction. */
  get manager(): EntityManager {
    return this.ds.manager;
  }

  /** The 404 of a row of this entity that is not there. */
  missing(id: number | string, of?: string): ApiError {
    return missing(this.label, id, of);
  }

  /** The row `id` of the tenant, or null. */
  findInTenant<K extends keyof E>(em: EntityManager, tenantId: number, id: number, opts: FindInTenantOptions<E, K> = {}): Promise<E | null> {
    const find: FindOneOptions<E> = { where: { ...opts.where, id, tenantId } as FindOptionsWhere<E> };
    if (opts.select) find.select = Object.fromEntries(opts.select.map((c) => [c, true])) as FindOptionsSelect<E>;
    if (opts.relations) find.relations = opts.relations;
    if (opts.lock && engineOf(this.ds) === 'mysql') find.lock = { mode: 'pessimistic_write' };
    return em.getRepository(this.entity).findOne(find);
  }

  /** The row `id` of the tenant, or the 404. */
  async findInTenantOrFail<K extends keyof E>(em: EntityManager, tenantId: number, id: number, opts: FindInTenantOptions<E, K> = {}): Promise<E> {
    const row = await this.findInTenant(em, tenantId, id, opts);
    if (!row) throw this.missing(opts.shownAs ?? id, opts.of);
    return row;
  }

  /** Whether the row exists in the tenant: one indexed lookup (for a sub-resource's parent). */
  existsInTenant(em: EntityManager, tenantId: number, id: number): Promise<boolean> {
    return existsInTenant(em, this.entity, id, tenantId);
  }

  /** A sub-resource's parent (pictures, comments, history of a trade-in): the 404 unless it exists in the tenant. */
  async existsInTenantOrFail(em: EntityManager, tenantId: number, id: number): Promise<void> {
    if (!(await this.existsInTenant(em, tenantId, id))) throw this.missing(id);
  }
}
