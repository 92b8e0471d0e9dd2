import type { Request } from 'express';
import { ObjectLiteral } from 'typeorm';
import { Cursor, decodeCursor, OrderKey } from './cursor';
import { badRequest } from './errors';
import { parseIdIri, truncate } from './iri';
import { LD_IRI, LD_TYPE, LdNode } from './jsonld';
import { foldText } from './search-text';

/** Declares, per resource, which collection filters exist and which column each one reads. */
export interface CollectionSpec {
  /** `order[field]` → column expression (`t.vmMake`). */
  order: Record<string, string>;
  /** Exact match; `values` restricts accepted values, `iriOf` accepts an IRI or a numeric id. */
  exact?: Record<string, { column: string; values?: readonly string[]; iriOf?: string; maxLength?: number }>;
  /** Partial match (`LIKE %value%`): a column compared in its collation, or a folded copy (see PartialFilter). */
  partial?: Record<string, string | PartialFilter>;
  /** `field[after|before|strictly_after|strictly_before]`. */
  date?: Record<string, string>;
  /** `field[gt|gte|lt|lte|between]`. */
  range?: Record<string, string>;
  /** API Platform's exists filter: `exists[field]=true|false` → the column IS NOT NULL / IS NULL. */
  exists?: Record<string, string>;
  /** The order without `order[...]`; after explicit orders its columns follow as the tie-break (see applyOrder). */
  defaultOrder: [string, 'ASC' | 'DESC'][];
}

/**
 * A partial filter on a folded copy of the text (common/search-text.ts): the value is folded the
 * same way, so matching is case- and accent-insensitive and identical on every engine. `index`
 * names an index that holds the column, so a scan for a rare value can read the index alone
 * (see CollectionCompiler's second plan).
 */
export interface PartialFilter {
  column: string;
  fold: true;
  index?: string;
}

export interface Pagination {
  page: number;
  itemsPerPage: number;
  /** API Platform's partial pagination: no total count; next/previous as cursors. */
  partial: boolean;
  /** The position a hydra:next / hydra:previous cursor link asked for (implies partial). */
  cursor?: Cursor;
  /** Cursors for the page's next/previous links, set when the page has been read (partial pagination). */
  links?: { next?: string; previous?: string };
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
  if (q.cursor === undefined) return { page, itemsPerPage, partial };
  if (q.page !== undefined) throw badRequest('Use either "page" or "cursor", not both: a cursor link already says where the page starts.');
  return { page, itemsPerPage, partial: true, cursor: decodeCursor(q.cursor) };
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
  /** Told the index of a partial filter's column (a plan for rare values can scan it). */
  searchIndex?(index: string): void;
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

  for (const [name, def] of Object.entries(spec.partial ?? {})) {
    if (q[name] === undefined) continue;
    const { column, fold } = typeof def === 'string' ? { column: def, fold: false } : def;
    const list = values(q[name], name);
    const alternatives: string[] = [];
    const params: ObjectLiteral = {};
    for (const v of list) {
      if (v.length > 255) throw badRequest(`The "${name}" filter value is too long.`);
      const p = param();
      // A folded copy is compared as bytes with the folded value; a plain column case-insensitively
      // in its collation (MariaDB's *_ci, SQLite's ASCII LIKE).
      alternatives.push(`${column} LIKE :${p} ESCAPE '!'`);
      params[p] = `%${escapeLike(fold ? foldText(v) : v)}%`;
    }
    if (alternatives.length) qb.andWhere(`(${alternatives.join(' OR ')})`, params);
    if (typeof def !== 'string' && def.index) qb.searchIndex?.(def.index);
  }

  const exists = q.exists;
  if (exists !== undefined && spec.exists) {
    if (exists === null || typeof exists !== 'object' || Array.isArray(exists)) {
      throw badRequest('The "exists" filter must be written as exists[field]=true|false.');
    }
    for (const [name, value] of Object.entries(exists as Query)) {
      const column = own(spec.exists, name);
      if (!column) continue; // unknown field: ignored, as API Platform does
      if (value !== 'true' && value !== 'false' && value !== '1' && value !== '0') {
        throw badRequest(`The "exists[${truncate(name, 40)}]" filter must be true or false.`);
      }
      qb.andWhere(`${column} ${value === 'true' || value === '1' ? 'IS NOT NULL' : 'IS NULL'}`);
    }
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

/**
 * `order[a]=desc&order[vehicleModel.make]=asc` in the order given, then the default order's
 * columns as the tie-break that makes the order total (and paging stable). After explicit orders
 * the tie-break runs in the direction of the last one (`order[status]=asc` → status, id
 * ascending), so a single-field order is one index scan in either direction: every sort index
 * ends with the id (InnoDB and SQLite append the row id to secondary indexes). Returns the sort
 * key, which cursors are made of.
 */
export function applyOrder(qb: FilterTarget, spec: CollectionSpec, q: Query): OrderKey[] {
  const keys: OrderKey[] = [];
  const raw = q.order;
  // A collection that declares no order field has no `order` parameter (ignored, as API Platform does).
  if (raw !== undefined && Object.keys(spec.order).length) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest('The "order" parameter must be written as order[field]=ASC|DESC.');
    }
    for (const [field, dir] of Object.entries(raw as Query)) {
      const column = own(spec.order, field);
      if (!column) continue; // unknown order field: ignored, as API Platform does
      if (typeof dir !== 'string' || !/^(asc|desc)$/i.test(dir)) {
        throw badRequest(`The "order[${truncate(field, 40)}]" parameter must be ASC or DESC.`);
      }
      if (keys.some((k) => k.column === column)) continue;
      keys.push({ field, column, dir: dir.toUpperCase() as 'ASC' | 'DESC' });
    }
  }
  const last = keys.length ? keys[keys.length - 1].dir : null;
  for (const [column, dir] of spec.defaultOrder) {
    if (keys.some((k) => k.column === column)) continue;
    const field = Object.keys(spec.order).find((f) => spec.order[f] === column) ?? column.slice(column.indexOf('.') + 1);
    keys.push({ field, column, dir: last ?? dir });
  }
  for (const k of keys) qb.addOrderBy(k.column, k.dir);
  return keys;
}

/** `properties[]=id&properties[vehicleModel][]=regNr` → { id: true, vehicleModel: { regNr: true } }. */
export type PropertyTree = { [key: string]: true | PropertyTree };

export function parseProperties(raw: unknown, depth = 0): PropertyTree | null {
  if (raw === undefined) return null;
  const tree = Object.create(null) as PropertyTree;
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
  if (Array.isArray(value)) return (value as unknown[]).map((v) => pickProperties(v, tree)) as T;
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

/**
 * The conditions and order of one collection request, recorded rather than built: `key()` names
 * the SQL they produce (parameter values aside), so the SQL can be built by TypeORM once per
 * shape (see CompiledCollection) instead of once per request.
 */
export class QueryShape implements FilterTarget {
  readonly wheres: [string, ObjectLiteral | undefined][] = [];
  readonly orders: [string, 'ASC' | 'DESC'][] = [];
  readonly params: ObjectLiteral = {};
  /** Indexes of the partial filters' columns (see PartialFilter). */
  readonly searchIndexes: string[] = [];

  andWhere(where: string, parameters?: ObjectLiteral): this {
    this.wheres.push([where, parameters]);
    if (parameters) Object.assign(this.params, parameters);
    return this;
  }

  addOrderBy(sort: string, order: 'ASC' | 'DESC' = 'ASC'): this {
    this.orders.push([sort, order]);
    return this;
  }

  searchIndex(index: string): void {
    this.searchIndexes.push(index);
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
