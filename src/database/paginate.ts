import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Pagination, pickProperties } from '../common/collection';
import type { CollectionQuery } from '../common/collection.decorator';
import { CollectionResult } from '../common/responses';
import { checkCursor, keyKinds, OrderKey } from '../common/cursor';
import { boundedCount, boundedRead, finishPage, pageWindow, totalWithin } from './pages';
import { storedRows } from '../platform/raw-queries';
import { readBudget } from './tx.service';

/**
 * One page of a TypeORM query (conditions, joins and ORDER BY applied; the order must end with a
 * unique column, as applyOrder's does), read in two steps: the page's ids (and sort keys) from
 * the narrowest query — the main table and the joins the conditions need, nothing else selected
 * — then the entities of those ids. So the database sorts and skips ids, not whole joined rows.
 * Offset or cursor (see cursor.ts), the statements within the read budget (pages.ts), and the
 * total unless partial pagination was asked for: COUNT(1) over the same conditions (the lists
 * that use this join only to-one relations), sent if it is known within COUNT_WAIT_MS.
 * These collections (customers, locations, users, keys, submissions, valuations) are smaller than
 * the trade-ins and their totals are not cached (no write hooks keep a cache exact).
 */
export async function fetchPage<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, pagination: Pagination): Promise<{ rows: T[]; total: number | null; hasNext: boolean }> {
  const ds = qb.connection;
  const alias = qb.alias;
  const keys: OrderKey[] = Object.entries(qb.expressionMap.orderBys).map(([column, o]) => ({
    field: column.slice(column.indexOf('.') + 1),
    column,
    dir: typeof o === 'string' ? o : o.order,
  }));
  const kinds = keyKinds(qb.expressionMap.mainAlias!.metadata, keys);
  if (pagination.cursor) checkCursor(pagination.cursor, keys, kinds);
  const window = pageWindow(pagination, keys, kinds);

  let total: Promise<number | null> = Promise.resolve(null);
  if (!pagination.partial) {
    const [countSql, countParams] = qb.clone().orderBy().select('COUNT(1)', 'cnt').getQueryAndParameters();
    // Not cached: a count nobody waits for any more is cancelled (its budget is the wait).
    const budget = readBudget(ds);
    const run = async (ms: number) => Number((await storedRows(ds.manager, countSql, countParams as unknown[], ms))[0].cnt);
    total = totalWithin(ds, boundedCount(ds, Math.min(budget.statementMs || budget.countWaitMs, budget.countWaitMs), run));
  }

  const ids = qb.clone().select(`${alias}.id`, 'id').orderBy();
  keys.forEach((k, i) => ids.addSelect(k.column, `k${i}`));
  for (const k of window.keys) ids.addOrderBy(k.column, k.dir);
  if (window.seek) ids.andWhere(...window.seek);
  const [sql, params] = ids.offset(window.offset).limit(window.limit).getQueryAndParameters();
  const read = await boundedRead(ds, (ms) => storedRows(ds.manager, sql, params as unknown[], ms));

  const entities = new Map<unknown, T>();
  if (read.length)
    for (const e of await qb
      .clone()
      .andWhereInIds(read.map((r) => r.id))
      .getMany())
      entities.set(e.id, e);
  const page = finishPage(pagination, keys, kinds, window, read, (r, i) => r[`k${i}`]);
  return { rows: page.rows.map((r) => entities.get(r.id)).filter((e): e is T => e !== undefined), total: await total, hasNext: page.hasNext };
}

/**
 * The one paginate of a collection request (`@Collection(spec) q`, common/collection.decorator.ts)
 * over a TypeORM query that holds the tenant's condition (and any fixed ones): the request's
 * filters and order after them, one page through fetchPage, each row serialized (and cut to
 * `properties[]`), as the CollectionResult the transport renders (links from `q.query`). The
 * trade-in list has its compiled equivalent, TradeInsRepository.paginate.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  q: CollectionQuery,
  type: string,
  serialize: (row: T) => object,
  /** What the representation of the page's rows needs besides them, read once for the page (a few queries for the lot) before `serialize`. */
  load?: (rows: T[]) => Promise<void>,
): Promise<CollectionResult> {
  q.shape.where(qb);
  q.shape.orderBy(qb);
  const { rows, total, hasNext } = await fetchPage(qb, q.pagination);
  if (load) await load(rows);
  const members = rows.map((r) => (q.properties ? pickProperties(serialize(r), q.properties) : serialize(r)));
  return new CollectionResult(type, members, total, q.pagination, hasNext, q.query);
}
