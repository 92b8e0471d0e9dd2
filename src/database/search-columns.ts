import { EntitySubscriberInterface, EventSubscriber, InsertEvent, ObjectLiteral, UpdateEvent } from 'typeorm';
import { foldText } from '../common/search-text';

/** Per entity class: folded column → the column it is folded from. */
const REGISTRY = new Map<object, Map<string, string>>();

/**
 * Marks a column as the folded copy (see common/search-text.ts) of `source`, kept in step on
 * every write: TypeORM inserts and updates through SearchColumns below, insertRow through
 * fillSearchColumns. Partial filters and text orders read the folded column.
 */
export function SearchCopyOf(source: string): PropertyDecorator {
  return (target, property) => {
    const ctor = target.constructor;
    if (!REGISTRY.has(ctor)) REGISTRY.set(ctor, new Map());
    REGISTRY.get(ctor)!.set(String(property), source);
  };
}

/** Sets the folded copies of the source values present in `values` (a full entity or a partial update). */
export function fillSearchColumns(entity: object, values: ObjectLiteral | undefined): void {
  const columns = values && REGISTRY.get(entity);
  if (!columns) return;
  for (const [copy, source] of columns) {
    if (values[source] !== undefined) values[copy] = foldText(values[source] as string | null);
  }
}

/**
 * Keeps folded copies in step for every TypeORM write (save, insert, update, query-builder
 * update); registered in the DataSource options, so the CLI and migrations' data sources have it too.
 */
@EventSubscriber()
export class SearchColumns implements EntitySubscriberInterface {
  beforeInsert(e: InsertEvent<ObjectLiteral>) {
    if (e.metadata.target instanceof Function) fillSearchColumns(e.metadata.target, e.entity);
  }

  beforeUpdate(e: UpdateEvent<ObjectLiteral>) {
    if (e.metadata.target instanceof Function) fillSearchColumns(e.metadata.target, e.entity);
  }
}
