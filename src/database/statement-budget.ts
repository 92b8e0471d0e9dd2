import { DataSource } from 'typeorm';

/** The parts of a better-sqlite3 database handle used here (the package ships no types). */
export interface SqliteDatabase {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
  function(name: string, options: { deterministic?: boolean }, fn: (...args: unknown[]) => unknown): unknown;
  pragma(source: string): unknown;
}
type Statement = ReturnType<SqliteDatabase['prepare']>;

/**
 * Time budgets for the SELECTs whose cost a caller chooses (collection pages and counts): a
 * statement that runs past its budget is cancelled by the database and reported as a
 * StatementTimeout, its connection goes back to the pool, and the caller decides what to say.
 *
 * - MariaDB: `SET STATEMENT max_statement_time = s FOR SELECT ...`, per statement (not per
 *   session, so migrations and writes are not cut off); the server aborts the query
 *   (ER_STATEMENT_TIMEOUT) and the connection stays usable.
 * - MySQL 8: the `MAX_EXECUTION_TIME(ms)` optimizer hint (ER_QUERY_TIMEOUT), SELECT only.
 * - SQLite: better-sqlite3 runs a statement synchronously on the event loop and has no
 *   interrupt (sqlite3_interrupt needs a second thread, sqlite3_progress_handler is not
 *   exposed). What it does expose are application functions: the budgeted SELECTs start their
 *   WHERE with `tradein_budget()`, which SQLite calls for every row it examines and which
 *   throws once the statement's deadline has passed, aborting it. The deadline is set right
 *   before the synchronous step() loop and cleared after it, so it belongs to exactly one
 *   statement. A sort after the scan is not interrupted, but it only sorts what the scan
 *   reached within the budget.
 */
export class StatementTimeout extends Error {
  readonly code = 'STATEMENT_TIMEOUT';
  constructor() {
    super('The statement exceeded its time budget and was cancelled.');
  }
}

const MYSQL_TIMEOUT_CODES = new Set(['ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT']);
/** MariaDB's ER_STATEMENT_TIMEOUT (1969) and MySQL's ER_QUERY_TIMEOUT (3024), also when wrapped by TypeORM. */
export function isStatementTimeout(err: unknown): boolean {
  if (err instanceof StatementTimeout) return true;
  const e = err as { code?: string; errno?: number; driverError?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if ((e.code && MYSQL_TIMEOUT_CODES.has(e.code)) || e.errno === 1969 || e.errno === 3024) return true;
  return e.driverError !== undefined && e.driverError !== err && isStatementTimeout(e.driverError);
}

// ------------------------------------------------------------------ SQLite

/** The SQL function the budgeted SQLite statements call first in their WHERE. */
export const SQLITE_BUDGET_CHECK = 'tradein_budget()';
let deadline = 0;
let calls = 0;

/** Registered on every SQLite connection (data-source.ts). Checks the clock every 64 rows (Date.now() costs ~25 ns). */
export function registerSqliteBudget(db: SqliteDatabase): void {
  db.function('tradein_budget', { deterministic: false }, () => {
    if (deadline !== 0 && (++calls & 63) === 0 && Date.now() > deadline) throw new StatementTimeout();
    return 1;
  });
}

const statements = new WeakMap<SqliteDatabase, Map<string, Statement>>();

/** A SELECT on the raw better-sqlite3 handle with a deadline (ms; 0 = none), prepared statements cached per SQL. */
export function sqliteSelect(ds: DataSource, sql: string, params: unknown[], budgetMs: number): Record<string, unknown>[] {
  const db = (ds.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map<string, Statement>()));
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (cache.size >= 500) cache.delete(cache.keys().next().value!);
    cache.set(sql, stmt);
  }
  deadline = budgetMs > 0 ? Date.now() + budgetMs : 0;
  calls = 0;
  try {
    return stmt.all(...params) as Record<string, unknown>[];
  } finally {
    deadline = 0;
  }
}

/** Starts the WHERE clause of an SQLite SELECT with the budget check, so it runs for every examined row. */
export function withSqliteBudgetCheck(sql: string): string {
  const at = sql.indexOf(' WHERE ');
  if (at < 0) throw new Error('A budgeted SQLite SELECT needs a WHERE clause');
  return `${sql.slice(0, at)} WHERE ${SQLITE_BUDGET_CHECK} AND ${sql.slice(at + 7)}`;
}

// ------------------------------------------------------------------ MySQL / MariaDB

export type MysqlFlavour = 'mariadb' | 'mysql';
const flavours = new WeakMap<DataSource, Promise<MysqlFlavour>>();

/** Which server the pool talks to (asked once per data source). */
export function mysqlFlavour(ds: DataSource): Promise<MysqlFlavour> {
  let f = flavours.get(ds);
  if (!f) {
    f = ds.query('SELECT VERSION() AS v').then((rows: { v: string }[]) => (/mariadb/i.test(rows[0].v) ? 'mariadb' : 'mysql'));
    flavours.set(ds, f);
    f.catch(() => flavours.delete(ds));
  }
  return f;
}

/**
 * A SELECT with its time budget, in the server's own syntax. `noIndexMerge` (MariaDB): without
 * index-merge intersection, which MariaDB picked for `dealership=3&status[]=…` — intersecting the
 * foreign-key index on dealership_id with `(tenant_id, dealership_id)`, then sorting — where reading
 * `(tenant_id, dealership_id)` in id order stops after the page (1M seed: 2 s → one index range).
 */
export function withMysqlBudget(flavour: MysqlFlavour, sql: string, budgetMs: number, noIndexMerge = false): string {
  const settings: string[] = [];
  if (budgetMs > 0 && flavour === 'mariadb') settings.push(`max_statement_time = ${(budgetMs / 1000).toFixed(3)}`);
  if (noIndexMerge && flavour === 'mariadb') settings.push("optimizer_switch = 'index_merge_intersection=off'");
  if (settings.length) return `SET STATEMENT ${settings.join(', ')} FOR ${sql}`;
  if (budgetMs <= 0 || flavour === 'mariadb') return sql;
  return sql.replace(/^SELECT /, `SELECT /*+ MAX_EXECUTION_TIME(${Math.ceil(budgetMs)}) */ `);
}

// ------------------------------------------------------------------ admission

/**
 * At most `capacity` expensive statements at a time (collection pages and counts), so that they
 * can never hold every pooled connection (MariaDB) or the event loop back to back (SQLite): a
 * request that only reads by key (an item GET, a write) always finds a connection free. Waiting
 * is bounded too: `acquire` rejects with LaneBusy after `waitMs`. Slots are handed over on a
 * later turn of the event loop (setImmediate), so I/O that arrived meanwhile (a cheap request)
 * is served between two expensive statements on SQLite.
 */
export class LaneBusy extends Error {
  constructor(readonly waitMs: number) {
    super('No capacity for another expensive statement within the wait budget.');
  }
}

export class Lane {
  private active = 0;
  private readonly waiting: { resolve: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(readonly capacity: number) {}

  async run<T>(waitMs: number, work: () => Promise<T>): Promise<T> {
    await this.acquire(waitMs);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(waitMs: number): Promise<void> {
    if (this.active < this.capacity && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(new LaneBusy(waitMs));
        }, waitMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.active--;
      return;
    }
    // The slot passes to the next waiter (active stays), one event-loop turn later.
    clearTimeout(next.timer);
    setImmediate(next.resolve);
  }
}
