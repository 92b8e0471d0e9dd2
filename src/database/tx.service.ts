import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { engineOf } from './data-source';
import { insertReturningId, storedRows } from './stored-rows';

const RETRYABLE_MYSQL = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * One place to open write transactions.
 *
 * - MySQL/MariaDB: a pooled connection per transaction; deadlocks are retried a few times.
 * - SQLite: TypeORM's better-sqlite3 driver shares ONE connection, so two interleaved
 *   `transaction()` calls would nest into each other. Write transactions are therefore
 *   queued and run one at a time (SQLite allows one writer anyway).
 */
@Injectable()
export class TxService {
  private queue: Promise<unknown> = Promise.resolve();
  readonly engine: 'mysql' | 'sqlite';

  constructor(private readonly ds: DataSource) {
    this.engine = engineOf(ds);
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.engine === 'sqlite') {
      const result = this.queue.then(() => this.ds.transaction(work));
      this.queue = result.catch(() => undefined);
      return result;
    }
    return this.withRetry(work);
  }

  private async withRetry<T>(work: (em: EntityManager) => Promise<T>, attempt = 1): Promise<T> {
    try {
      return await this.ds.transaction(work);
    } catch (e) {
      const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
      if (attempt < 5 && code && RETRYABLE_MYSQL.has(code)) {
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
        return this.withRetry(work, attempt + 1);
      }
      throw e;
    }
  }

  /** `SELECT ... FOR UPDATE` where the engine has it (SQLite serialises writers already). */
  lockMode(): { mode: 'pessimistic_write' } | undefined {
    return this.engine === 'mysql' ? { mode: 'pessimistic_write' } : undefined;
  }
}

const insertSql = new WeakMap<DataSource, Map<string, string>>();

/**
 * A single-row INSERT of the given values, with its SQL built once per entity and column set and
 * the values converted as TypeORM would (transformers, booleans, dates); returns the new id. No
 * re-read of generated and default columns (which `save()` and `insert()` do with an extra
 * SELECT on engines without RETURNING): for entities whose values are all set by the caller.
 * Entity subscribers are NOT called: callers that keep caches over the table say so themselves
 * (see TradeInCounts.changed).
 */
export async function insertRow<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, values: Partial<T>): Promise<number> {
  const ds = em.connection;
  const meta = ds.getMetadata(entity);
  const columns = meta.columns.filter((c) => (values as ObjectLiteral)[c.propertyName] !== undefined);
  let perSource = insertSql.get(ds);
  if (!perSource) insertSql.set(ds, (perSource = new Map()));
  const key = `${meta.name}\u0000${columns.map((c) => c.propertyName).join(',')}`;
  let sql = perSource.get(key);
  if (!sql) {
    const names = columns.map((c) => ds.driver.escape(c.databaseName)).join(', ');
    sql = `INSERT INTO ${ds.driver.escape(meta.tableName)} (${names}) VALUES (${columns.map(() => '?').join(', ')})`;
    if (perSource.size > 200) perSource.clear();
    perSource.set(key, sql);
  }
  const params = columns.map((c) => ds.driver.preparePersistentValue((values as ObjectLiteral)[c.propertyName], c));
  return insertReturningId(em, sql, params);
}

const existsSql = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, string>>();

/**
 * Whether the row `id` of a tenant-owned entity exists in `tenantId`: one indexed lookup, its SQL
 * built by TypeORM once per entity (Repository.existsBy builds it again on every call).
 */
export async function existsInTenant(em: EntityManager, entity: EntityTarget<ObjectLiteral>, id: number, tenantId: number): Promise<boolean> {
  let perSource = existsSql.get(em.connection);
  if (!perSource) existsSql.set(em.connection, (perSource = new Map()));
  let sql = perSource.get(entity);
  if (!sql) {
    sql = em.createQueryBuilder(entity, 'e').select('1', 'found').where('e.id = :id').andWhere('e.tenantId = :tenantId').limit(1).getQuery();
    perSource.set(entity, sql);
  }
  const [query, params] = em.connection.driver.escapeQueryWithParameters(sql, { id, tenantId }, {});
  return (await storedRows(em, query, params)).length > 0;
}
