import { DataSource, EntityManager, EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { engineOf } from './data-source';
import { isStatementTimeout, MysqlFlavour, mysqlFlavour, StatementTimeout, withSqliteBudgetCheck } from './statement-budget';
import { storedRows } from '../platform/raw-queries';
import { Pagination, QueryShape } from '../common/collection';
import { checkCursor, KeyKind, keyKinds, OrderKey, orderSignature } from '../common/cursor';
import { boundedRead, finishPage, PageWindow, pageWindow, totalWithin } from './pages';
import { Raw, rawKey } from '../common/row-view';

/**
 * A collection read the way the issue 12 measurements asked for, with its SQL built by TypeORM
 * once per shape (conditions, order, properties[]; at most `max` shapes each) and run directly:
 *
 * 1. **The page's ids** from the main table alone (`SELECT t.id, <sort key> FROM trade_ins t
 *    WHERE ... ORDER BY ... LIMIT`): the index that serves the order, or the filter, decides the
 *    cost, not a sort of ~100 joined columns.
 * 2. **The rows by key**: the representation's columns and joins for those ids only
 *    (`WHERE t.tenant_id = ? AND t.id IN (...)`), put back in the ids' order.
 * 3. **The total** (unless partial pagination): COUNT(1) with the same conditions through
 *    `count` (cached by the caller), sent if known within COUNT_WAIT_MS.
 *
 * Step 1 has two plans. **Plan A** lets the database choose (with no filter: the order's index,
 * forced, because MariaDB misjudges a covering index scan with a large OFFSET); it is the right
 * plan whenever matching rows are common, and stops after the page. A filter whose matches are
 * rare — a partial text filter, a date range far from the newest rows — can make it walk the
 * whole order index, so it gets an eighth of the statement budget. If that runs out, **plan B**
 * reads by the filter instead (a partial filter's own index, else any index but the order's) and
 * sorts the matches, within what is left of the budget. Both plans give the same, exact page.
 * **Plan C** (branchedIds) comes first for several statuses with an order their index serves.
 */
export class CollectionCompiler<V> {
  /** Plan C on or off for every compiler: off only in the e2e test that compares its pages with plans A/B's. */
  static statusBranches = true;

  private readonly ids = new Map<string, IdsSql>();
  private readonly counts = new Map<string, string>();
  private readonly rows = new Map<string, { sql: string; view: V }>();
  private readonly kinds = new Map<string, KeyKind[]>();
  private readonly branchSql = new Map<string, string>();
  private readonly meta: EntityMetadata;
  private readonly alias: string;
  private indexes: Promise<TableIndexes> | null = null;

  constructor(
    private readonly ds: DataSource,
    /** The main table under its alias, nothing selected yet. */
    private readonly base: () => SelectQueryBuilder<ObjectLiteral>,
    /** The representation of a selection: its query (joins and columns, no conditions) and renderer. */
    private readonly representation: (selection: unknown) => { query: SelectQueryBuilder<ObjectLiteral>; view: V },
    private readonly max = 500,
    /** Plan C (see StatusBranches): the column, and the order columns `(tenant_id, column, order column)` indexes serve. */
    private readonly branches: StatusBranches | null = null,
  ) {
    const probe = base();
    this.meta = probe.expressionMap.mainAlias!.metadata;
    this.alias = probe.alias;
  }

  private sql(sql: string, params: ObjectLiteral): [string, unknown[]] {
    return this.ds.driver.escapeQueryWithParameters(sql, params, {});
  }

  private cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
    let value = cache.get(key);
    if (value === undefined) {
      value = make();
      if (cache.size >= this.max) cache.delete(cache.keys().next().value!);
      cache.set(key, value);
    }
    return value;
  }

  /** The representation of rows `ids` of the tenant, in the order given (missing ids are left out). */
  async byIds(em: EntityManager, tenantId: number, ids: number[], selection: unknown): Promise<{ rows: Raw[]; view: V }> {
    const { sql, view } = this.cached(this.rows, selection === null ? '*' : JSON.stringify(selection), () => {
      const { query, view } = this.representation(selection);
      const a = this.alias;
      return { sql: query.andWhere(`${a}.tenantId = :__tenant`).andWhere(`${a}.id IN (:...__ids)`).getQuery(), view };
    });
    if (ids.length === 0) return { rows: [], view };
    const rows = await storedRows(em, ...this.sql(sql, { __tenant: tenantId, __ids: ids }));
    if (rows.length < 2) return { rows, view };
    const idKey = rawKey(`${this.alias}.id`);
    const byId = new Map(rows.map((r) => [Number(r[idKey]), r]));
    return { rows: ids.map((id) => byId.get(id)).filter((r): r is Raw => r !== undefined), view };
  }

  /**
   * One page of `shape` (its first condition is the tenant scope `tenantId`), sorted by `keys`
   * (applyOrder's), rendered as `selection`; the total through `count` (SQL and parameters of
   * the shape's COUNT) unless partial pagination was asked for.
   */
  async fetch(
    shape: QueryShape,
    keys: OrderKey[],
    selection: unknown,
    pagination: Pagination,
    count: (sql: string, params: unknown[]) => Promise<number | null>,
  ): Promise<{ rows: Raw[]; view: V; total: number | null; hasNext: boolean }> {
    const kinds = this.cached(this.kinds, orderSignature(keys), () => keyKinds(this.meta, keys));
    if (pagination.cursor) checkCursor(pagination.cursor, keys, kinds);
    const window = pageWindow(pagination, keys, kinds);

    let total: Promise<number | null> = Promise.resolve(null);
    if (!pagination.partial) {
      const countSql = this.cached(this.counts, shape.key(''), () => shape.where(this.base()).select('COUNT(1)', 'cnt').getQuery());
      total = totalWithin(this.ds, count(...this.sql(countSql, shape.params)));
    }

    const read = await this.readIds(shape, keys, window);
    const page = finishPage(pagination, keys, kinds, window, read, (r, i) => r[`k${i}`]);
    const tenantId = Number(shape.params.tenantId);
    const { rows, view } = await this.byIds(
      this.ds.manager,
      tenantId,
      page.rows.map((r) => Number(r.id)),
      selection,
    );
    return { rows, view, total: await total, hasNext: page.hasNext };
  }

  /** Step 1: the ids and sort keys of the page window, plan A then (if it ran out of its share of the budget) plan B. */
  private async readIds(shape: QueryShape, keys: OrderKey[], window: PageWindow): Promise<Raw[]> {
    const engine = engineOf(this.ds) === 'mysql' ? await mysqlFlavour(this.ds) : 'sqlite';
    const filtered = shape.wheres.length > 1;
    const sqlOf = this.idsSql(shape, keys, window);
    const params = { ...shape.params, ...(window.seek?.[1] ?? {}) };
    const limit = ` LIMIT ${window.limit} OFFSET ${window.offset}`; // integers computed here, never request text
    const branched = this.branchedIds(shape, keys, window, engine);
    return boundedRead(this.ds, async (budgetMs) => {
      const run = (sql: string, ms: number, p: ObjectLiteral = params) => storedRows(this.ds.manager, ...this.sql(`${sql}${limit}`, p), ms, true);
      // Plan C: one ordered index range per status, so it needs no fallback unless other filters can make a branch walk.
      if (branched && !branched.otherFilters) return run(branched.sql, budgetMs, { ...params, ...branched.params });
      if (!filtered) {
        const hint = engine === 'mariadb' ? await this.orderIndexHint(window.keys) : '';
        return run(sqlOf.withHint(hint), budgetMs);
      }
      const started = Date.now();
      const share = budgetMs > 0 ? Math.min(budgetMs, Math.max(50, Math.floor(budgetMs / 8))) : 0;
      try {
        return await (branched ? run(branched.sql, share, { ...params, ...branched.params }) : run(sqlOf.plain, share));
      } catch (e) {
        if (!isStatementTimeout(e) || share === 0) throw e;
      }
      // On MySQL/MariaDB plan B only with a real budget left: a statement cut off by MariaDB before it
      // even starts executing can come back as an empty result rather than an error (seen with 1 ms
      // left). SQLite's budget check throws in any case.
      const left = budgetMs - (Date.now() - started);
      if (left < (engine === 'sqlite' ? 1 : Math.max(50, budgetMs / 4))) throw new StatementTimeout();
      const planB = engine === 'sqlite' ? sqlOf.sqliteFilterPlan(shape.searchIndexes[0]) : sqlOf.withHint(await this.filterPlanHint(shape.searchIndexes[0]));
      return run(planB, left);
    });
  }

  /**
   * Plan C for `status=a` / `status[]=a&status[]=b…` with an order on X that `(tenant_id, status, X)`
   * serves: `SELECT * FROM (<ids query with status = a> LIMIT offset+n) b0 UNION ALL … ORDER BY k0, k1`
   * (the page's LIMIT/OFFSET is appended by the caller). Each branch is one ordered index range that
   * stops after offset+n entries, so the merge sorts at most k·(offset+n) rows; a single IN can
   * give no order from that index (a range over k statuses, then a sort of every match), and the
   * order's own index walks past every row of the other statuses first — with
   * `order[purchasePrice]=asc` ~400k unpriced drafts at 1M (bench/README.md, issue 12). Null when
   * the shape does not fit or the page is deep (offset+n > MAX_BRANCH_ROWS: cursors stay cheap there).
   */
  private branchedIds(shape: QueryShape, keys: OrderKey[], window: PageWindow, engine: 'sqlite' | MysqlFlavour): BranchedIds | null {
    const spec = this.branches;
    if (!spec || !CollectionCompiler.statusBranches || keys.length > 2) return null;
    const last = window.keys[window.keys.length - 1];
    if (last.column !== `${this.alias}.id` || (keys.length === 2 && !spec.orders.includes(window.keys[0].column))) return null;
    const rows = window.offset + window.limit;
    if (rows > MAX_BRANCH_ROWS) return null;
    const equal = new RegExp(`^${escapeRegExp(spec.column)} = :(\\w+)$`);
    const anyOf = new RegExp(`^${escapeRegExp(spec.column)} IN \\(:\\.\\.\\.(\\w+)\\)$`);
    let at = -1;
    let values: unknown[] = [];
    for (let i = 0; i < shape.wheres.length; i++) {
      const where = shape.wheres[i][0];
      const m = equal.exec(where) ?? anyOf.exec(where);
      if (!m) continue;
      if (at >= 0) return null; // two status conditions: leave them to the plain plans
      at = i;
      const v: unknown = shape.params[m[1]];
      values = Array.isArray(v) ? [...new Set(v)] : [v];
    }
    // One status: the plain query is the same statement (MariaDB and SQLite pick (tenant_id, status, X) for it).
    if (at < 0 || values.length < 2 || values.length > MAX_BRANCHES) return null;

    const seekKey = window.seek ? window.seek[0].replace(/:__k\d+/g, '?') : '';
    const key = `${shape.key('')}\u0003${at}\u0003${window.keys.map((k) => `${k.column} ${k.dir}`).join(',')}\u0003${seekKey}`;
    const branch = this.cached(this.branchSql, key, () => {
      const qb = this.base().select(`${this.alias}.id`, 'id');
      keys.forEach((k, i) => qb.addSelect(k.column, `k${i}`));
      shape.wheres.forEach(([where, params], i) => (i === at ? qb.andWhere(`${spec.column} = :__status`) : qb.andWhere(where, params)));
      if (window.seek) qb.andWhere(window.seek[0]);
      for (const k of window.keys) qb.addOrderBy(k.column, k.dir);
      return qb.getQuery();
    });
    const q = (name: string) => this.ds.driver.escape(name);
    const params: ObjectLiteral = {};
    const parts = values.map((v, i) => {
      params[`__status${i}`] = v;
      let sql = branch.replace(/:__status\b/g, `:__status${i}`);
      // SQLite's budget check (statement-budget.ts) is put into the first WHERE; the other branches need their own.
      if (engine === 'sqlite' && i > 0) sql = withSqliteBudgetCheck(sql);
      return `SELECT * FROM (${sql} LIMIT ${rows}) ${q(`b${i}`)}`; // rows: an integer computed here, never request text
    });
    const order = window.keys.map((k, i) => `${q(`k${i}`)} ${k.dir}`).join(', ');
    return { sql: `${parts.join(' UNION ALL ')} ORDER BY ${order}`, params, otherFilters: shape.wheres.length > 2 };
  }

  private idsSql(shape: QueryShape, keys: OrderKey[], window: PageWindow): IdsSql {
    const seekKey = window.seek ? window.seek[0].replace(/:__k\d+/g, '?') : '';
    const key = `${shape.key('')}\u0003${window.keys.map((k) => `${k.column} ${k.dir}`).join(',')}\u0003${seekKey}`;
    return this.cached(this.ids, key, () => {
      const qb = shape.where(this.base()).select(`${this.alias}.id`, 'id');
      keys.forEach((k, i) => qb.addSelect(k.column, `k${i}`));
      if (window.seek) qb.andWhere(window.seek[0]);
      for (const k of window.keys) qb.addOrderBy(k.column, k.dir);
      return new IdsSql(qb.getQuery(), ` FROM ${this.ds.driver.escape(this.meta.tableName)} ${this.ds.driver.escape(this.alias)}`);
    });
  }

  private tableIndexes(): Promise<TableIndexes> {
    this.indexes ??= loadIndexes(this.ds, this.meta.tableName);
    return this.indexes;
  }

  /** MariaDB, no filter: read in the order's own index (tenant_id, column[, id, ...]). */
  private async orderIndexHint(keys: OrderKey[]): Promise<string> {
    if (keys.length > 2) return '';
    const column = this.meta.findColumnWithPropertyName(keys[0].column.slice(keys[0].column.indexOf('.') + 1))?.databaseName;
    const index = column && (await this.tableIndexes()).byColumn.get(column);
    return index ? ` FORCE INDEX FOR ORDER BY (${this.ds.driver.escape(index)})` : '';
  }

  /** MariaDB plan B: the partial filter's index, else any index but for the order. */
  private async filterPlanHint(searchIndex: string | undefined): Promise<string> {
    if (searchIndex) return ` FORCE INDEX (${this.ds.driver.escape(searchIndex)})`;
    const all = (await this.tableIndexes()).names;
    return all.length ? ` IGNORE INDEX FOR ORDER BY (${all.map((n) => this.ds.driver.escape(n)).join(', ')})` : '';
  }
}

/**
 * Plan C's declaration: the exact-filter column whose values become branches, and the order
 * columns (besides the id) that a `(tenant_id, column, order column)` index serves in order.
 */
export interface StatusBranches {
  column: string;
  orders: string[];
}

interface BranchedIds {
  sql: string;
  params: ObjectLiteral;
  /** Conditions besides the tenant and the status: a branch may then walk its range, so plan B stays behind it. */
  otherFilters: boolean;
}

/** At most this many branches (the statuses of a trade-in), each reading at most MAX_BRANCH_ROWS ids. */
const MAX_BRANCHES = 10;
const MAX_BRANCH_ROWS = 1000;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The ids SELECT of a shape and its plan variants (index hints after the FROM clause, or an ORDER BY no index can serve). */
class IdsSql {
  constructor(
    readonly plain: string,
    private readonly from: string,
  ) {}

  withHint(hint: string): string {
    if (!hint) return this.plain;
    const at = this.plain.indexOf(this.from);
    return at < 0 ? this.plain : `${this.plain.slice(0, at + this.from.length)}${hint}${this.plain.slice(at + this.from.length)}`;
  }

  /** SQLite plan B: the partial filter's index (INDEXED BY), else unary + on the sort terms, which no index serves. */
  sqliteFilterPlan(searchIndex: string | undefined): string {
    if (searchIndex) return this.withHint(` INDEXED BY "${searchIndex.replace(/"/g, '')}"`);
    const at = this.plain.lastIndexOf(' ORDER BY ');
    const terms = this.plain
      .slice(at + 10)
      .split(', ')
      .map((t) => `+${t}`);
    return `${this.plain.slice(0, at)} ORDER BY ${terms.join(', ')}`;
  }
}

interface TableIndexes {
  names: string[];
  /** (tenant_id, column[, id, ...]) indexes by their column. */
  byColumn: Map<string, string>;
}

/** MariaDB: the table's indexes, read once (SHOW INDEX). */
async function loadIndexes(ds: DataSource, table: string): Promise<TableIndexes> {
  const rows: { Key_name: string; Seq_in_index: number; Column_name: string }[] = await ds.query(`SHOW INDEX FROM ${ds.driver.escape(table)}`);
  const columns = new Map<string, string[]>();
  for (const r of rows) {
    const list = columns.get(r.Key_name) ?? [];
    list[Number(r.Seq_in_index) - 1] = r.Column_name;
    columns.set(r.Key_name, list);
  }
  const byColumn = new Map<string, string>();
  for (const [name, cols] of columns) {
    if (name === 'PRIMARY' || cols[0] !== 'tenant_id') continue;
    if ((cols.length === 2 || cols[2] === 'id') && !byColumn.has(cols[1])) byColumn.set(cols[1], name);
  }
  return { names: [...columns.keys()], byColumn };
}
