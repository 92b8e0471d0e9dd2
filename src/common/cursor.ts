import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import { badRequest } from './errors';

/**
 * Cursor (keyset) pagination: a page starts strictly after (or before) the sort key of a row,
 * so it is one index range however deep it is, and rows inserted meanwhile neither repeat nor
 * go missing. The key is every `order[...]` column plus the id tie-break, so it is unique.
 *
 * The cursor travels in `hydra:next` / `hydra:previous` (and `Link`) as an opaque
 * `cursor=...` parameter: base64url of `[order, "next" | "prev", [key values]]`. It is opaque
 * to clients but not secret: everything in it is checked on the way in (shape, the order it
 * was made for, each value's type for its column), so a forged or stale cursor is a 400 and
 * never reaches the database as something other than a range bound of the right type.
 */

/** One column of the sort key: the API field, the column expression (`t.vmMake`), the direction. */
export interface OrderKey {
  field: string;
  column: string;
  dir: 'ASC' | 'DESC';
}

/** What a key value must look like, from the column's metadata. */
export interface KeyKind {
  kind: 'int' | 'decimal' | 'datetime' | 'date' | 'string';
  nullable: boolean;
  maxLength: number;
}

export interface Cursor {
  /** The order it was made for (see orderSignature). */
  order: string;
  /** true: the rows after the key (hydra:next); false: the rows before it (hydra:previous). */
  after: boolean;
  values: unknown[];
}

const MAX_TOKEN = 2048;

export const orderSignature = (keys: OrderKey[]) => keys.map((k) => `${k.field}:${k.dir.toLowerCase()}`).join(',');

export function encodeCursor(keys: OrderKey[], after: boolean, values: unknown[]): string {
  return Buffer.from(JSON.stringify([orderSignature(keys), after ? 'next' : 'prev', values]), 'utf8').toString('base64url');
}

const invalid = () => badRequest('The "cursor" parameter is not a cursor of this collection. Use the hydra:next / hydra:previous (or Link) URLs as they are, or start again without a cursor.');

/** The token's structure (values are checked against the order's columns by checkCursor). */
export function decodeCursor(raw: unknown): Cursor {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_TOKEN || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [order, dir, values] = parsed as unknown[];
  if (typeof order !== 'string' || order.length > 500 || (dir !== 'next' && dir !== 'prev') || !Array.isArray(values) || values.length === 0 || values.length > 12) {
    throw invalid();
  }
  return { order, after: dir === 'next', values };
}

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function valid(value: unknown, k: KeyKind): boolean {
  if (value === null) return k.nullable;
  switch (k.kind) {
    case 'int':
      return Number.isSafeInteger(value);
    case 'decimal':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && DECIMAL.test(value));
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value);
    case 'date':
      return typeof value === 'string' && DATE.test(value);
    default:
      return typeof value === 'string' && value.length <= k.maxLength;
  }
}

/** 400 unless the cursor was made for this order and each value fits its column. */
export function checkCursor(cursor: Cursor, keys: OrderKey[], kinds: KeyKind[]): void {
  if (cursor.order !== orderSignature(keys)) {
    throw badRequest(
      `This cursor belongs to another order (${cursor.order.slice(0, 120)}); the request's order is ${orderSignature(keys)}. ` +
        'Keep the order[...] parameters of the link you followed, or start again without a cursor.',
    );
  }
  if (cursor.values.length !== keys.length || cursor.values.some((v, i) => !valid(v, kinds[i]))) throw invalid();
}

/** The kind of each key column, from the entity's column metadata (`alias.property` columns of the main alias). */
export function keyKinds(meta: EntityMetadata, keys: OrderKey[]): KeyKind[] {
  return keys.map((k) => {
    const column = meta.findColumnWithPropertyName(k.column.slice(k.column.indexOf('.') + 1));
    if (!column) throw new Error(`No column for order key ${k.column}`);
    const type = typeof column.type === 'function' ? column.type.name.toLowerCase() : String(column.type);
    const kind: KeyKind['kind'] =
      type === 'int' || type === 'integer' || type === 'number' ? 'int' : type === 'decimal' ? 'decimal' : type === 'datetime' ? 'datetime' : type === 'date' ? 'date' : 'string';
    return { kind, nullable: column.isNullable, maxLength: Number(column.length) || 255 };
  });
}

/**
 * A stored value as a cursor value: DATETIME and DATE as the stored text (`2024-01-31 10:00:00.123`,
 * `2024-01-31`), which both engines compare with the column like the column itself; numbers and
 * strings as they come.
 */
export function keyValue(value: unknown, kind: KeyKind): unknown {
  if (value instanceof Date) return kind.kind === 'date' ? value.toISOString().slice(0, 10) : value.toISOString().slice(0, 23).replace('T', ' ');
  if (typeof value === 'bigint') return Number(value);
  return value ?? null;
}

/**
 * The rows strictly after `values` in the order `keys` (directions already flipped for a
 * previous page), NULLs first in ascending order as both engines sort them:
 * `(a > :a) OR (a = :a AND id > :id)`, with IS NULL / IS NOT NULL where a value is NULL.
 * Written out as ORs of ranges: MariaDB's range optimizer and SQLite's both turn the
 * single-column form into one index range (EXPLAIN in bench/README.md).
 */
export function seekCondition(keys: OrderKey[], kinds: KeyKind[], values: unknown[], param: () => string): [string, ObjectLiteral] {
  const params: ObjectLiteral = {};
  const bind = (v: unknown) => {
    const p = param();
    params[p] = v;
    return `:${p}`;
  };
  const branches: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const { column, dir } = keys[i];
    const v = values[i];
    let beyond: string | null;
    if (dir === 'ASC') beyond = v === null ? `${column} IS NOT NULL` : `${column} > ${bind(v)}`;
    else beyond = v === null ? null : kinds[i].nullable ? `(${column} < ${bind(v)} OR ${column} IS NULL)` : `${column} < ${bind(v)}`;
    if (beyond !== null) {
      const equal = keys.slice(0, i).map((k, j) => (values[j] === null ? `${k.column} IS NULL` : `${k.column} = ${bind(values[j])}`));
      branches.push([...equal, beyond].join(' AND '));
    }
  }
  return [branches.length ? `(${branches.map((b) => `(${b})`).join(' OR ')})` : '1 = 0', params];
}

export const flip = (keys: OrderKey[]): OrderKey[] => keys.map((k) => ({ ...k, dir: k.dir === 'ASC' ? 'DESC' : 'ASC' }));
