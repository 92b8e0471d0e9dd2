import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, InsertEvent, ObjectLiteral } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../config';
import { engineOf } from './data-source';
import { afterCommit } from './outbox-signal';
import { Lane } from './statement-budget';
import { fillSearchColumns } from './search-columns';
import { insertReturningId, storedRows } from '../platform/raw-queries';

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

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.engine = engineOf(ds);
    const pool = Number((ds.options as { extra?: { connectionLimit?: number } }).extra?.connectionLimit ?? 10);
    setReadBudget(ds, {
      statementMs: config.dbStatementTimeoutMs ?? (this.engine === 'mysql' ? 2000 : 100),
      countWaitMs: config.countWaitMs,
      lane: new Lane(config.listConcurrency || (this.engine === 'mysql' ? Math.max(1, Math.floor(pool / 2)) : 1)),
    });
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    // After the commit, whoever waits for outbox events (the job runner) hears of the ones this transaction recorded.
    let used: EntityManager | undefined;
    const tracked = (em: EntityManager) => {
      used = em;
      return work(em);
    };
    const committed = (result: T) => {
      if (used) afterCommit(used);
      return result;
    };
    if (this.engine === 'sqlite') {
      const result = this.queue.then(() => this.ds.transaction(tracked)).then(committed);
      this.queue = result.catch(() => undefined);
      return result;
    }
    return this.withRetry(tracked).then(committed);
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
 * What bounds the reads whose cost a caller chooses (collection pages and counts, see
 * common/collection.ts): each statement's time budget, how long a page waits for its total, and
 * the lane that admits a few such statements at a time (statement-budget.ts).
 */
export interface ReadBudget {
  statementMs: number;
  countWaitMs: number;
  lane: Lane;
}

const budgets = new WeakMap<DataSource, ReadBudget>();
const UNBOUNDED: ReadBudget = { statementMs: 0, countWaitMs: 60_000, lane: new Lane(Number.MAX_SAFE_INTEGER) };

export function setReadBudget(ds: DataSource, budget: ReadBudget): void {
  budgets.set(ds, budget);
}

/** The data source's read budget (none for data sources outside the app, e.g. the CLI's). */
export function readBudget(ds: DataSource): ReadBudget {
  return budgets.get(ds) ?? UNBOUNDED;
}

const insertSql = new WeakMap<DataSource, Map<string, string>>();

/**
 * A single-row INSERT of the given values, with its SQL built once per entity and column set and
 * the values converted as TypeORM would (transformers, booleans, dates); returns the new id. No
 * re-read of generated and default columns (which `save()` and `insert()` do with an extra
 * SELECT on engines without RETURNING): for entities whose values are all set by the caller.
 * The data source's subscribers that listen to the entity hear `afterInsert` as after any insert
 * (so a cache over the table, like TradeInCounts, needs no help from the caller); folded search
 * copies are filled here (see search-columns.ts).
 */
export async function insertRow<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, values: Partial<T>): Promise<number> {
  const ds = em.connection;
  const meta = ds.getMetadata(entity);
  if (meta.target instanceof Function) fillSearchColumns(meta.target, values);
  const columns = meta.columns.filter((c) => (values as ObjectLiteral)[c.propertyName] !== undefined);
  let perSource = insertSql.get(ds);
  if (!perSource) insertSql.set(ds, (perSource = new Map<string, string>()));
  const key = `${meta.name}\u0000${columns.map((c) => c.propertyName).join(',')}`;
  let sql = perSource.get(key);
  if (!sql) {
    const names = columns.map((c) => ds.driver.escape(c.databaseName)).join(', ');
    sql = `INSERT INTO ${ds.driver.escape(meta.tableName)} (${names}) VALUES (${columns.map(() => '?').join(', ')})`;
    if (perSource.size > 200) perSource.clear();
    perSource.set(key, sql);
  }
  const params = columns.map((c): unknown => ds.driver.preparePersistentValue((values as ObjectLiteral)[c.propertyName], c));
  const id = await insertReturningId(em, sql, params);
  const target = meta.target;
  for (const s of ds.subscribers) {
    if (!s.afterInsert) continue;
    const listens = s.listenTo?.() as unknown;
    if (listens && !(listens === target || (typeof listens === 'function' && typeof target === 'function' && target.prototype instanceof listens))) continue;
    await s.afterInsert({ connection: ds, manager: em, queryRunner: em.queryRunner!, entity: values as T, metadata: meta, entityId: { id } } as InsertEvent<T>);
  }
  return id;
}

const existsSql = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, string>>();

/**
 * Whether the row `id` of a tenant-owned entity exists in `tenantId`: one indexed lookup, its SQL
 * built by TypeORM once per entity (Repository.existsBy builds it again on every call).
 */
export async function existsInTenant(em: EntityManager, entity: EntityTarget<ObjectLiteral>, id: number, tenantId: number): Promise<boolean> {
  let perSource = existsSql.get(em.connection);
  if (!perSource) existsSql.set(em.connection, (perSource = new Map<EntityTarget<ObjectLiteral>, string>()));
  let sql = perSource.get(entity);
  if (!sql) {
    sql = em.createQueryBuilder(entity, 'e').select('1', 'found').where('e.id = :id').andWhere('e.tenantId = :tenantId').limit(1).getQuery();
    perSource.set(entity, sql);
  }
  const [query, params] = em.connection.driver.escapeQueryWithParameters(sql, { id, tenantId }, {});
  return (await storedRows(em, query, params)).length > 0;
}
