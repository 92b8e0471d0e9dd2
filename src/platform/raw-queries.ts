import { EntityManager, QueryFailedError } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import type { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner';
import { engineOf } from '../database/data-source';
import { mysqlFlavour, sqliteSelect, StatementTimeout, withMysqlBudget, withSqliteBudgetCheck } from '../database/statement-budget';

type Row = Record<string, unknown>;
type Callback = (err: Error | null, result?: unknown) => void;
interface MysqlQueryable {
  query(options: { sql: string; values: unknown[]; dateStrings?: boolean; disableEval?: boolean }, cb: Callback): void;
}

/**
 * Runs SQL on `em`'s connection (inside its transaction when it has one, else on the pool) with
 * mysql2 directly, skipping TypeORM's query runner (logging hooks, result wrapping): for the
 * hot paths whose SQL is built once per shape. SQLite goes through `em.query`.
 */
function mysqlQuery<T>(em: EntityManager, options: { sql: string; values: unknown[]; dateStrings?: boolean; disableEval?: boolean }): Promise<T> {
  const runner = em.queryRunner as MysqlQueryRunner | undefined;
  return (async () => {
    const target: MysqlQueryable = runner && !runner.isReleased ? ((await runner.connect()) as MysqlQueryable) : ((em.connection.driver as MysqlDriver).pool as MysqlQueryable);
    return new Promise<T>((resolve, reject) => target.query(options, (err, result) => (err ? reject(new QueryFailedError(options.sql, options.values, err)) : resolve(result as T))));
  })();
}

/**
 * Runs a SELECT and returns the rows as stored: DATETIME and DATE as strings on both engines
 * (`2024-01-31 10:00:00.123`, `2024-01-31`; better-sqlite3 does that anyway, mysql2 is asked to
 * per query), so a renderer can turn them into ISO strings without building Date objects.
 *
 * On MySQL the query also uses mysql2's compiled row parser (the connection default is the
 * interpreted one, see data-source.ts): with dates as strings the generated function is small
 * enough to compile in reasonable time, and it parses rows faster. SQLite runs it on the
 * better-sqlite3 handle directly (TypeORM shares that one connection, transactions included).
 *
 * `budgetMs` > 0 bounds the statement's time (see statement-budget.ts; StatementTimeout when cut
 * off); `noIndexMerge` keeps MariaDB from intersecting indexes (see withMysqlBudget). On SQLite the
 * SQL's first WHERE must be the statement's own.
 */
export async function storedRows(em: EntityManager, sql: string, params: unknown[], budgetMs = 0, noIndexMerge = false): Promise<Row[]> {
  if (engineOf(em.connection) !== 'mysql') return sqliteSelect(em.connection, budgetMs > 0 ? withSqliteBudgetCheck(sql) : sql, params, budgetMs);
  if (budgetMs <= 0 && !noIndexMerge) return mysqlQuery<Row[]>(em, { sql, values: params, dateStrings: true, disableEval: false });
  const started = Date.now();
  const rows = await mysqlQuery<Row[]>(em, { sql: withMysqlBudget(await mysqlFlavour(em.connection), sql, budgetMs, noIndexMerge), values: params, dateStrings: true, disableEval: false });
  // MariaDB can answer a statement whose max_statement_time ran out before it started executing
  // (a busy server) with an empty result instead of ER_STATEMENT_TIMEOUT: an empty answer that
  // took the whole budget is taken for the timeout it is, never for "nothing matches".
  if (budgetMs > 0 && rows.length === 0 && Date.now() - started >= budgetMs) throw new StatementTimeout();
  return rows;
}

/** Runs an INSERT with positional parameters; returns the generated id. */
export async function insertReturningId(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  if (engineOf(em.connection) !== 'mysql') {
    // TypeORM's better-sqlite3 runner answers a statement that returns no rows with its lastInsertRowid.
    return Number(await em.query<number | bigint>(sql, params));
  }
  return (await mysqlQuery<{ insertId: number }>(em, { sql, values: params })).insertId;
}
