import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { storedTimestamp, ViewLeaf } from '../common/row-view';

const bool = (v: unknown) => (v === null || v === undefined ? null : !!v);

/** The stored value → the API value, as TypeORM would hydrate it, with timestamps straight to ISO strings. */
export function converter(column: ColumnMetadata): ViewLeaf['fn'] {
  if (column.type === 'datetime') return storedTimestamp;
  if (column.type === 'boolean' || column.type === Boolean) return bool;
  const transformer = column.transformer;
  if (transformer && !Array.isArray(transformer)) return (v: unknown): unknown => transformer.from(v ?? null);
  return undefined;
}
