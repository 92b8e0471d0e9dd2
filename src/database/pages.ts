import { DataSource, ObjectLiteral } from 'typeorm';
import { isStatementTimeout, LaneBusy } from './statement-budget';
import { readBudget } from './tx.service';
import { Pagination } from '../common/collection';
import { encodeCursor, flip, KeyKind, keyValue, OrderKey, seekCondition } from '../common/cursor';
import { ApiError } from '../common/errors';

/**
 * What the collections share once the filters and order are known: where a page starts (offset
 * or cursor), the time budget and admission of its statements, how long it waits for a total,
 * and the cursors of its links. The SQL itself is the caller's (CollectionCompiler, fetchPage).
 */

/** The caller's query cannot be answered within the time budget: say what to do instead. */
export function tooExpensive(): ApiError {
  return new ApiError(
    422,
    'This collection query needs more database time than the budget allows (DB_STATEMENT_TIMEOUT_MS) and was cancelled. ' +
      'Narrow it with an exact filter (status, customer, dealership, vehicleModel.regNr, a date or price range), ' +
      'page with partial=true and follow the cursor links (hydra:next / Link rel="next") instead of deep page numbers, ' +
      'or search a longer, more specific text.',
  );
}

/**
 * Too many expensive reads are queued right now (see Lane): try again shortly. A 429 like the
 * rate limit's (with Retry-After): the caller should slow down, and clients do not retry a 429 at
 * once as some retry a 5xx.
 */
export function busy(): ApiError {
  return new ApiError(
    429,
    'Too many collection queries that need a long database read are running; retry after the seconds in Retry-After, or narrow the query (exact filters, partial=true with cursor links).',
    undefined,
    { 'Retry-After': '1' },
  );
}

/**
 * Runs expensive reads (pages, counts) of `ds` in its lane, each statement within its budget;
 * a cancelled statement becomes tooExpensive, a full lane busy.
 */
export async function boundedRead<T>(ds: DataSource, work: (budgetMs: number) => Promise<T>): Promise<T> {
  const budget = readBudget(ds);
  try {
    return await budget.lane.run(budget.statementMs || 60_000, () => work(budget.statementMs));
  } catch (e) {
    if (isStatementTimeout(e)) throw tooExpensive();
    if (e instanceof LaneBusy) throw busy();
    throw e;
  }
}

/**
 * A count in the lane within `budgetMs`: null when it is cancelled or cannot get a slot in time
 * (a total is never worth failing the page for).
 */
export async function boundedCount(ds: DataSource, budgetMs: number, work: (budgetMs: number) => Promise<number>): Promise<number | null> {
  try {
    return await readBudget(ds).lane.run(budgetMs || 60_000, () => work(budgetMs));
  } catch (e) {
    if (isStatementTimeout(e) || e instanceof LaneBusy) return null;
    throw e;
  }
}

/**
 * The total if it is known within COUNT_WAIT_MS; otherwise null, and the count goes on in the
 * background (a cache may keep its result for the next page). A count over its statement budget
 * is null too: the page is then sent as under partial pagination (no total, no last link).
 */
export async function totalWithin(ds: DataSource, count: Promise<number | null>): Promise<number | null> {
  const waitMs = readBudget(ds).countWaitMs;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
  try {
    return await Promise.race([count.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a page starts and in which order it is read (a previous-page cursor reads backwards, then reverses). */
export interface PageWindow {
  /** The sort key in reading order. */
  keys: OrderKey[];
  /** `(alias.col > :v OR ...)` for a cursor, with its parameters. */
  seek: [string, ObjectLiteral] | null;
  limit: number;
  offset: number;
  /** Read backwards (previous-page cursor): reverse the rows before use. */
  reversed: boolean;
}

export function pageWindow(pagination: Pagination, keys: OrderKey[], kinds: KeyKind[]): PageWindow {
  const limit = pagination.itemsPerPage + 1;
  const cursor = pagination.cursor;
  if (!cursor) return { keys, seek: null, limit, offset: (pagination.page - 1) * pagination.itemsPerPage, reversed: false };
  const reading = cursor.after ? keys : flip(keys);
  let n = 0;
  return { keys: reading, seek: seekCondition(reading, kinds, cursor.values, () => `__k${n++}`), limit, offset: 0, reversed: !cursor.after };
}

/**
 * The page's rows (at most itemsPerPage, in the requested order) from the `limit` (+1) rows read
 * through `window`, whether there is a next page, and — under partial pagination — the cursors
 * of its next/previous links, made from the sort keys of its last and first rows.
 */
export function finishPage<R>(pagination: Pagination, keys: OrderKey[], kinds: KeyKind[], window: PageWindow, read: R[], keyOf: (row: R, index: number) => unknown): { rows: R[]; hasNext: boolean } {
  const more = read.length > pagination.itemsPerPage;
  const rows = read.slice(0, pagination.itemsPerPage);
  if (window.reversed) rows.reverse();
  const cursor = pagination.cursor;
  const hasNext = cursor && !cursor.after ? true : more;
  const hasPrevious = cursor ? cursor.after || more : pagination.page > 1;
  if (pagination.partial && rows.length > 0) {
    const values = (row: R) => keys.map((k, i) => keyValue(keyOf(row, i), kinds[i]));
    pagination.links = {
      next: hasNext ? encodeCursor(keys, true, values(rows[rows.length - 1])) : undefined,
      previous: hasPrevious ? encodeCursor(keys, false, values(rows[0])) : undefined,
    };
  }
  return { rows, hasNext };
}
