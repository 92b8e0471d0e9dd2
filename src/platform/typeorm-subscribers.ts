import type { DataSource, EntitySubscriberInterface } from 'typeorm';

/**
 * Adds an injectable subscriber to a data source TypeOrmModule already built: TypeORM creates the
 * subscribers of its options itself (no dependency injection), and the trade-in count cache must
 * hear every write of trade_ins and every commit. Tripwire: typeorm-subscribers.spec.ts.
 */
export function subscribe(ds: DataSource, subscriber: EntitySubscriberInterface): void {
  ds.subscribers.push(subscriber);
}
