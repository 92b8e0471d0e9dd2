import type { Request } from 'express';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badRequest } from './errors';
import { parseIdIri, truncate } from './iri';
import { LD_IRI, LD_TYPE, LdNode } from './jsonld';
import type { Raw } from './row-view';
import { storedRows } from '../database/stored-rows';

/** Declares, per resource, which collection filters exist and which column each one reads. */
export interface CollectionSpec {
  /** `order[field]` → column expression (`t.vmMake`). */
  order: Record<string, string>;
  /** Exact match; `values` restricts accepted values, `iriOf` accepts an IRI or a numeric id. */
  exact?: Record<string, { column: string; values?: readonly string[]; iriOf?: string; maxLength?: number }>;
  /** Partial, case-insensitive match (`LIKE %value%`). */
  partial?: Record<string, string>;
  /** `field[after|before|strictly_after|strictly_before]`. */
  date?: Record<string, string>;
  /** `field[gt|gte|lt|lte|between]`. */
  range?: Record<string, string>;
  /** Always applied last, to make paging stable. */
  defaultOrder: [string, 'ASC' | 'DESC'][];
}

export interface Pagination {
  page: number;
  itemsPerPage: number;
  /** API Platform's partial pagination: no total count, only next/previous. */
  partial: boolean;
}

export type Query = Record<string, unknown>;

export const DEFAULT_ITEMS_PER_PAGE = 30;
export const MAX_ITEMS_PER_PAGE = 100;
const MAX_PAGE = 1_000_000;

/**
 * Collection parameters: the query string, plus — for a GET — a form-encoded body, so the
 * seed's `curl -X GET -d order[updatedAt]=DESC ...` example works as documented.
 */
export function readQuery(req: Request): Query {
  const query = { ...(req.query as Query) };
  const type = req.headers['content-type'] ?? '';
  if (req.method === 'GET' && type.startsWith('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object') {
    for (const [k, v] of Object.entries(req.body as Query)) if (!(k in query)) query[k] = v;
  }
  return query;
}

function positiveInt(value: unknown, name: string, max: number): number {
  if (typeof value !== 'string' || !/^[0-9]{1,9}$/.test(value)) {
    throw badRequest(`The "${name}" parameter must be a positive integer, got ${typeof value === 'string' ? `"${truncate(value)}"` : 'a structured value'}.`);
  }
  const n = Number(value);
  if (n < 1 || n > max) throw badRequest(`The "${name}" parameter must be between 1 and ${max}, got ${n}.`);
  return n;
}

export function parsePagination(q: Query): Pagination {
  const page = q.page === undefined ? 1 : positiveInt(q.page, 'page', MAX_PAGE);
  const itemsPerPage = q.itemsPerPage === undefined ? DEFAULT_ITEMS_PER_PAGE : positiveInt(q.itemsPerPage, 'itemsPerPage', MAX_ITEMS_PER_PAGE);
  let partial = false;
  if (q.partial !== undefined) {
    if (q.partial !== 'true' && q.partial !== 'false' && q.partial !== '1' && q.partial !== '0') {
      throw badRequest('The "partial" parameter must be true or false.');
    }
    partial = q.partial === 'true' || q.partial === '1';
  }
  return { page, itemsPerPage, partial };
}

/** Query-string values for a filter: `status=x`, `status[]=x&status[]=y`. */
function values(raw: unknown, name: string): string[] {
  const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? Object.values(raw) : [raw];
  if (list.length > 100) throw badRequest(`The "${name}" filter accepts at most 100 values.`);
  return list.map((v) => {
    if (typeof v !== 'string') throw badRequest(`The "${name}" filter has an invalid value.`);
    return v;
  });
}

/** Own-property lookup: request-supplied names such as `constructor` or `toString` must not reach Object.prototype. */
export function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

const RANGE_OPS: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
const DATE_OPS: Record<string, string> = { after: '>=', before: '<=', strictly_after: '>', strictly_before: '<' };

function parseNumber(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^-?\d{1,12}(\.\d{1,4})?$/.test(value.trim())) {
    throw badRequest(`The "${name}" filter expects a number, got ${typeof value === 'string' ? `"${truncate(value)}"` : 'a structured value'}.`);
  }
  return Number(value);
}

function parseDate(value: unknown, name: string): Date {
  const s = typeof value === 'string' ? value.trim() : '';
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s);
  const d = ok ? new Date(s.length === 10 ? `${s}T00:00:00Z` : s) : null;
  if (!d || Number.isNaN(d.getTime())) {
    throw badRequest(`The "${name}" filter expects a date such as 2024-01-31 or 2024-01-31T10:00:00+00:00, got ${typeof value === 'string' ? `"${truncate(value)}"` : 'a structured value'}.`);
  }
  return d;
}

/** What applyFilters / applyOrder write to: a SelectQueryBuilder, or a QueryShape that records them. */
export interface FilterTarget {
  andWhere(where: string, parameters?: ObjectLiteral): unknown;
  addOrderBy(sort: string, order?: 'ASC' | 'DESC'): unknown;
}

/** Applies the resource's declared filters. Unknown parameters are ignored; bad values of known ones → 400. */
export function applyFilters(qb: FilterTarget, spec: CollectionSpec, q: Query): void {
  let n = 0;
  const param = () => `f${n++}`;

  for (const [name, def] of Object.entries(spec.exact ?? {})) {
    if (q[name] === undefined) continue;
    const list = values(q[name], name).map((v) => {
      if (def.iriOf) return /^[0-9]+$/.test(v) ? Number(v) : parseIdIri(v, def.iriOf, name);
      if (def.values && !def.values.includes(v)) {
        throw badRequest(`The "${name}" filter does not accept "${truncate(v)}". Allowed: ${def.values.join(', ')}.`);
      }
      if (v.length > (def.maxLength ?? 255)) throw badRequest(`The "${name}" filter value is too long.`);
      return v;
    });
    if (list.length === 0) continue;
    const p = param();
    qb.andWhere(list.length === 1 ? `${def.column} = :${p}` : `${def.column} IN (:...${p})`, { [p]: list.length === 1 ? list[0] : list });
  }

  for (const [name, column] of Object.entries(spec.partial ?? {})) {
    if (q[name] === undefined) continue;
    const list = values(q[name], name);
    const alternatives: string[] = [];
    const params: ObjectLiteral = {};
    for (const v of list) {
      if (v.length > 255) throw badRequest(`The "${name}" filter value is too long.`);
      const p = param();
      // Both engines compare LIKE case-insensitively here (MariaDB's *_ci collation, SQLite's ASCII LIKE).
      alternatives.push(`${column} LIKE :${p} ESCAPE '!'`);
      params[p] = `%${escapeLike(v)}%`;
    }
    if (alternatives.length) qb.andWhere(`(${alternatives.join(' OR ')})`, params);
  }

  for (const [name, column] of Object.entries(spec.date ?? {})) {
    const raw = q[name];
    if (raw === undefined) continue;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest(`The "${name}" filter needs an operator: ${name}[after], ${name}[before], ${name}[strictly_after] or ${name}[strictly_before].`);
    }
    for (const [op, value] of Object.entries(raw as Query)) {
      const sqlOp = own(DATE_OPS, op);
      if (!sqlOp) throw badRequest(`Unknown operator "${truncate(op, 30)}" for the "${name}" filter; use after, before, strictly_after or strictly_before.`);
      const p = param();
      qb.andWhere(`${column} ${sqlOp} :${p}`, { [p]: parseDate(value, `${name}[${op}]`) });
    }
  }

  for (const [name, column] of Object.entries(spec.range ?? {})) {
    const raw = q[name];
    if (raw === undefined) continue;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest(`The "${name}" filter needs an operator: ${name}[gt], [gte], [lt], [lte] or [between]=min..max.`);
    }
    for (const [op, value] of Object.entries(raw as Query)) {
      if (op === 'between') {
        const parts = typeof value === 'string' ? value.split('..') : [];
        if (parts.length !== 2) throw badRequest(`The "${name}[between]" filter expects min..max, e.g. 1000..5000.`);
        const [a, b] = [param(), param()];
        qb.andWhere(`${column} BETWEEN :${a} AND :${b}`, {
          [a]: parseNumber(parts[0], `${name}[between]`),
          [b]: parseNumber(parts[1], `${name}[between]`),
        });
        continue;
      }
      const sqlOp = own(RANGE_OPS, op);
      if (!sqlOp) throw badRequest(`Unknown operator "${truncate(op, 30)}" for the "${name}" filter; use gt, gte, lt, lte or between.`);
      const p = param();
      qb.andWhere(`${column} ${sqlOp} :${p}`, { [p]: parseNumber(value, `${name}[${op}]`) });
    }
  }
}

/** `order[a]=desc&order[vehicleModel.make]=asc` in the order given, then the default order. */
export function applyOrder(qb: FilterTarget, spec: CollectionSpec, q: Query): void {
  const used = new Set<string>();
  const raw = q.order;
  if (raw !== undefined) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest('The "order" parameter must be written as order[field]=ASC|DESC.');
    }
    for (const [field, dir] of Object.entries(raw as Query)) {
      const column = own(spec.order, field);
      if (!column) continue; // unknown order field: ignored, as API Platform does
      if (typeof dir !== 'string' || !/^(asc|desc)$/i.test(dir)) {
        throw badRequest(`The "order[${truncate(field, 40)}]" parameter must be ASC or DESC.`);
      }
      if (used.has(column)) continue;
      used.add(column);
      qb.addOrderBy(column, dir.toUpperCase() as 'ASC' | 'DESC');
    }
  }
  for (const [column, dir] of spec.defaultOrder) if (!used.has(column)) qb.addOrderBy(column, dir);
}

/** `properties[]=id&properties[vehicleModel][]=regNr` → { id: true, vehicleModel: { regNr: true } }. */
export type PropertyTree = { [key: string]: true | PropertyTree };

export function parseProperties(raw: unknown, depth = 0): PropertyTree | null {
  if (raw === undefined) return null;
  const tree: PropertyTree = Object.create(null);
  const add = (v: unknown, key?: string) => {
    if (typeof v === 'string' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(v)) tree[v] = true;
    else if (typeof v === 'string') throw badRequest(`The "properties" parameter names an invalid property: "${truncate(v, 40)}".`);
    else if (key !== undefined && v && typeof v === 'object' && depth < 2) {
      const sub = parseProperties(v, depth + 1);
      if (sub) tree[key] = sub;
    } else throw badRequest('The "properties" parameter must be written as properties[]=field or properties[relation][]=field.');
  };
  if (typeof raw === 'string') add(raw);
  else if (Array.isArray(raw)) raw.forEach((v) => add(v));
  else if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) add(v, /^[0-9]+$/.test(k) ? undefined : k);
  else throw badRequest('The "properties" parameter must be written as properties[]=field.');
  return tree;
}

/** Keeps only the selected properties of a serialized node (resource type markers are kept). */
export function pickProperties<T>(value: T, tree: PropertyTree): T {
  if (Array.isArray(value)) return value.map((v) => pickProperties(v, tree)) as T;
  if (value === null || typeof value !== 'object') return value;
  const node = value as LdNode;
  const out: LdNode = {};
  for (const key in tree) {
    if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
    const sel = tree[key];
    out[key] = sel === true ? node[key] : pickProperties(node[key], sel);
  }
  const type = node[LD_TYPE];
  if (type !== undefined) {
    out[LD_TYPE] = type;
    // Nested resource nodes keep their IRI so JSON-LD can still emit @id.
    if (!('iri' in out) && typeof node.iri === 'string') out[LD_IRI] = node.iri;
  }
  return out as T;
}

/** Runs the page query and (unless partial pagination was asked for) the count. */
export async function fetchPage<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, pagination: Pagination): Promise<{ rows: T[]; total: number | null; hasNext: boolean }> {
  const offset = (pagination.page - 1) * pagination.itemsPerPage;
  if (pagination.partial) {
    const rows = await qb.clone().offset(offset).limit(pagination.itemsPerPage + 1).getMany();
    const hasNext = rows.length > pagination.itemsPerPage;
    return { rows: rows.slice(0, pagination.itemsPerPage), total: null, hasNext };
  }
  const [rows, total] = await Promise.all([qb.clone().offset(offset).limit(pagination.itemsPerPage).getMany(), qb.clone().orderBy().getCount()]);
  return { rows, total, hasNext: offset + rows.length < total };
}

/**
 * The conditions and order of one collection request, recorded rather than built: `key()` names
 * the SQL they produce (parameter values aside), so the SQL can be built by TypeORM once per
 * shape (see CompiledCollection) instead of once per request.
 */
export class QueryShape implements FilterTarget {
  readonly wheres: [string, ObjectLiteral | undefined][] = [];
  readonly orders: [string, 'ASC' | 'DESC'][] = [];
  readonly params: ObjectLiteral = {};

  andWhere(where: string, parameters?: ObjectLiteral): this {
    this.wheres.push([where, parameters]);
    if (parameters) Object.assign(this.params, parameters);
    return this;
  }

  addOrderBy(sort: string, order: 'ASC' | 'DESC' = 'ASC'): this {
    this.orders.push([sort, order]);
    return this;
  }

  /** The SQL shape: conditions and order (parameter names, not values), plus what the caller selects. */
  key(selection: string): string {
    return `${this.wheres.map((w) => w[0]).join('\u0001')}\u0002${this.orders.map((o) => `${o[0]} ${o[1]}`).join(',')}\u0002${selection}`;
  }

  where<Q extends FilterTarget>(qb: Q): Q {
    for (const [where, params] of this.wheres) qb.andWhere(where, params);
    return qb;
  }

  orderBy<Q extends FilterTarget>(qb: Q): Q {
    for (const [sort, order] of this.orders) qb.addOrderBy(sort, order);
    return qb;
  }
}

/** A collection query compiled once per shape: the page and count SQL (named parameters) and what renders its rows. */
export interface CompiledCollection<V> {
  /** SELECT ... ORDER BY ..., without LIMIT/OFFSET. */
  page: string;
  /** SELECT COUNT(1) AS cnt with the same conditions. */
  count: string;
  view: V;
}

/**
 * Compiles a collection query per shape with TypeORM (at most `max` shapes, oldest dropped first)
 * and runs it directly with each request's parameters, returning the rows as stored (see
 * storedRows) for the shape's renderer: TypeORM's per-request query building and hydration were
 * the largest costs of a page in the issue 6 profile.
 */
export class CollectionCompiler<V> {
  private readonly cache = new Map<string, CompiledCollection<V>>();

  constructor(
    private readonly ds: DataSource,
    /** Builds the page query (conditions and order applied), the count query (conditions only) and the renderer of a shape. */
    private readonly build: (shape: QueryShape, selection: unknown) => { page: SelectQueryBuilder<ObjectLiteral>; filtered: SelectQueryBuilder<ObjectLiteral>; view: V },
    private readonly max = 500,
  ) {}

  compile(shape: QueryShape, selection: unknown): CompiledCollection<V> {
    const key = shape.key(selection === null ? '*' : JSON.stringify(selection));
    let compiled = this.cache.get(key);
    if (!compiled) {
      const { page, filtered, view } = this.build(shape, selection);
      compiled = { page: page.getQuery(), count: filtered.clone().orderBy().select('COUNT(1)', 'cnt').getQuery(), view };
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, compiled);
    }
    return compiled;
  }

  /** Named parameters → the driver's SQL and positional parameters. */
  sql(sql: string, params: ObjectLiteral): [string, unknown[]] {
    return this.ds.driver.escapeQueryWithParameters(sql, params, {});
  }

  /** All rows of the shape (no paging), through `em` (e.g. inside a transaction): single-item reads. */
  async all(em: EntityManager, shape: QueryShape, selection: unknown): Promise<{ rows: Raw[]; view: V }> {
    const compiled = this.compile(shape, selection);
    const [sql, params] = this.sql(compiled.page, shape.params);
    return { rows: await storedRows(em, sql, params), view: compiled.view };
  }

  /**
   * The page (and, unless partial pagination was asked for, the total through `count`, which
   * gets the count SQL and its parameters and may serve it from a cache).
   */
  async fetch(
    shape: QueryShape,
    selection: unknown,
    pagination: Pagination,
    count: (sql: string, params: unknown[]) => Promise<number>,
  ): Promise<{ rows: Raw[]; view: V; total: number | null; hasNext: boolean }> {
    const compiled = this.compile(shape, selection);
    const offset = (pagination.page - 1) * pagination.itemsPerPage;
    const limit = pagination.partial ? pagination.itemsPerPage + 1 : pagination.itemsPerPage;
    const page = this.sql(`${compiled.page} LIMIT :__limit OFFSET :__offset`, { ...shape.params, __limit: limit, __offset: offset });
    const load = storedRows(this.ds.manager, page[0], page[1]);
    if (pagination.partial) {
      const rows = await load;
      const hasNext = rows.length > pagination.itemsPerPage;
      return { rows: rows.slice(0, pagination.itemsPerPage), view: compiled.view, total: null, hasNext };
    }
    const [countSql, countParams] = this.sql(compiled.count, shape.params);
    const [rows, total] = await Promise.all([load, count(countSql, countParams)]);
    return { rows, view: compiled.view, total, hasNext: offset + rows.length < total };
  }
}
