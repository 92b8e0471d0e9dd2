import { EntityManager, QueryFailedError } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import type { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner';
import { engineOf } from './data-source';

type Row = Record<string, unknown>;
type Callback = (err: Error | null, rows?: Row[]) => void;
interface MysqlQueryable {
  query(options: { sql: string; values: unknown[]; dateStrings: boolean; disableEval: boolean }, cb: Callback): void;
}

/**
 * Runs a SELECT and returns the rows as stored: DATETIME and DATE as strings on both engines
 * (`2024-01-31 10:00:00.123`, `2024-01-31`; better-sqlite3 does that anyway, mysql2 is asked to
 * per query), so a renderer can turn them into ISO strings without building Date objects.
 *
 * On MySQL the query also uses mysql2's compiled row parser (the connection default is the
 * interpreted one, see data-source.ts): with dates as strings the generated function is small
 * enough to compile quickly. Runs inside `em`'s transaction when it has one.
 */
export function storedRows(em: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  if (engineOf(em.connection) !== 'mysql') return em.query(sql, params);
  const runner = em.queryRunner as MysqlQueryRunner | undefined;
  return (async () => {
    const target: MysqlQueryable =
      runner && !runner.isReleased ? ((await runner.connect()) as MysqlQueryable) : ((em.connection.driver as MysqlDriver).pool as MysqlQueryable);
    return new Promise<Row[]>((resolve, reject) =>
      target.query({ sql, values: params, dateStrings: true, disableEval: false }, (err, rows) => (err ? reject(new QueryFailedError(sql, params, err)) : resolve(rows ?? []))),
    );
  })();
}
