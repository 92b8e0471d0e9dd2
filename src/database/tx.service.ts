import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { engineOf } from './data-source';

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

/**
 * A single-row INSERT without TypeORM's re-read of generated and default columns (which `save()`
 * and `insert()` do with an extra SELECT on engines without RETURNING); returns the new id. For
 * entities whose values are all set by the caller and that are re-read anyway. Subscribers still
 * see the insert.
 */
export async function insertRow<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, values: QueryDeepPartialEntity<T>): Promise<number> {
  const result = await em.createQueryBuilder().insert().into(entity).values(values).updateEntity(false).execute();
  // mysql2: a ResultSetHeader with insertId; better-sqlite3: lastInsertRowid.
  const raw = result.raw as { insertId?: number } | number | bigint;
  return Number(typeof raw === 'object' && raw !== null ? raw.insertId : raw);
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
  const rows: unknown[] = await em.query(query, params);
  return rows.length > 0;
}
