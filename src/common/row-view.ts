import type { PropertyTree } from './collection';
import { pickProperties } from './collection';
import { isoTimestamp } from './serialize';

/** A database row as the driver returns it: column aliases → stored values (dates as strings, see storedRows). */
export type Raw = Record<string, unknown>;

/**
 * A scalar of a representation, read from one or more selected columns (TypeORM property paths
 * such as `t.vmMake`) and converted by `fn` (none: the stored value as it is).
 */
export interface ViewLeaf {
  kind: 'leaf';
  name: string;
  columns: string[];
  fn?: (...values: never[]) => unknown;
}

/**
 * A nested object of a representation. With `type` it is a resource node: JSON-LD gives it
 * `@id` (from `iri`) and `@type` first. With `presentIf` it is null when that column is NULL
 * (a LEFT JOIN that found nothing).
 */
export interface ViewObject {
  kind: 'object';
  name: string;
  fields: ViewField[];
  type?: string;
  iri?: ViewLeaf;
  presentIf?: string;
}

export type ViewField = ViewLeaf | ViewObject;

/** One representation shape, compiled: the columns it reads and a renderer per format. */
export interface CompiledView {
  /** Property paths to SELECT; each comes back under `rawKey(path)`. */
  columns: string[];
  json: (row: Raw) => object;
  jsonld: (row: Raw) => object;
}

const ALIASES = new Map<string, string>();

/**
 * The alias a selected column (`customer.firstName`) comes back under: `c0`, `c1`, ... in order
 * of first use in this process. Short names keep the SQL text and the result's column
 * definitions small (the full trade-in SELECT has ~100 columns).
 */
export function rawKey(column: string): string {
  let alias = ALIASES.get(column);
  if (alias === undefined) {
    alias = `c${ALIASES.size}`;
    ALIASES.set(column, alias);
  }
  return alias;
}

/** A stored DATETIME(3) (`2024-01-31 10:00:00.123`, UTC on both engines) → `2024-01-31T10:00:00.123+00:00` (see isoTimestamp), without a Date. */
export function storedTimestamp(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && (v.length === 19 || (v.length === 23 && v[19] === '.')) && (v[10] === ' ' || v[10] === 'T')) {
    return `${v.slice(0, 10)}T${v.slice(11, 19)}${v.length === 23 ? v.slice(19) : '.000'}+00:00`;
  }
  return isoTimestamp(v as Date | string);
}

/**
 * Compiles a view for one `properties[]` selection (null: everything) into plain functions that
 * build the final JSON or JSON-LD object of a row in one pass: no entity, no intermediate
 * representation, objects of one fixed shape. `properties[]` semantics are those of
 * pickProperties: selected fields in the order asked, unknown names ignored, a scalar under a
 * sub-selection kept whole, resource nodes keep `@id`/`@type` in JSON-LD.
 *
 * The generated source only contains names and types from the view (quoted with
 * JSON.stringify) and indexes into a helper array; request input only chooses which of them
 * appear.
 */
export function compileView(root: ViewObject, tree: PropertyTree | null): CompiledView {
  const columns = new Set<string>();
  const helpers: unknown[] = [];
  const helper = (value: unknown) => {
    helpers.push(value);
    return `h[${helpers.length - 1}]`;
  };
  const read = (column: string) => {
    columns.add(column);
    return `r[${JSON.stringify(rawKey(column))}]`;
  };
  const leaf = (l: ViewLeaf) => {
    const args = l.columns.map(read);
    return l.fn ? `${helper(l.fn)}(${args.join(', ')})` : args[0];
  };
  const object = (o: ViewObject, sel: PropertyTree | true, ld: boolean): string => {
    const parts: string[] = [];
    if (ld && o.type) parts.push(`"@id": ${leaf(o.iri!)}`, `"@type": ${JSON.stringify(o.type)}`);
    const chosen: [ViewField, PropertyTree | true][] =
      sel === true ? o.fields.map((f) => [f, true]) : Object.keys(sel).flatMap((k) => o.fields.filter((f) => f.name === k).map((f): [ViewField, PropertyTree | true] => [f, sel[k]]));
    for (const [f, s] of chosen) parts.push(`${JSON.stringify(f.name)}: ${field(f, s, ld)}`);
    const body = `{ ${parts.join(', ')} }`;
    return o.presentIf ? `(${read(o.presentIf)} == null ? null : ${body})` : body;
  };
  const field = (f: ViewField, sel: PropertyTree | true, ld: boolean): string => {
    if (f.kind === 'object') return object(f, sel, ld);
    return sel === true ? leaf(f) : `${helper(pickProperties)}(${leaf(f)}, ${helper(sel)})`;
  };
  // The renderer is compiled once per properties[] shape into straight-line code (the reason for this file; see its header).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- the source is built from the view declaration only, never from input
  const build = (ld: boolean) => new Function('h', `"use strict"; return function render(r) { return ${object(root, tree ?? true, ld)}; };`)(helpers) as (row: Raw) => object;
  const json = build(false);
  const jsonld = build(true);
  return { columns: [...columns], json, jsonld };
}
