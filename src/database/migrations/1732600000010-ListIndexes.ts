import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for the trade-in collection at scale (issue 6, checked with EXPLAIN on MariaDB at 1M rows):
 *
 * - `(tenant_id, id)`: the default order (`id DESC`) inside one tenant is a backward index range scan
 *   that stops after one page, instead of a primary-key walk that skips other tenants' rows.
 * - `(tenant_id, status, id)`: `status=x` with the default order, the most common integrator poll.
 *
 * Every other filter and order field already has a `(tenant_id, column)` index (Initial migration);
 * InnoDB appends the primary key to secondary indexes, so `order[updatedAt]` plus the `id` tie-break
 * is served by `(tenant_id, updated_at)` as well. Portable Table API: MariaDB and SQLite.
 */
const INDEXES = [
  new TableIndex({ name: 'ix_trade_ins_tenant_id_id', columnNames: ['tenant_id', 'id'] }),
  new TableIndex({ name: 'ix_trade_ins_tenant_id_status_id', columnNames: ['tenant_id', 'status', 'id'] }),
];

export class ListIndexes1732600000010 implements MigrationInterface {
  name = 'ListIndexes1732600000010';

  public async up(q: QueryRunner): Promise<void> {
    for (const index of INDEXES) await q.createIndex('trade_ins', index);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of INDEXES) await q.dropIndex('trade_ins', index.name!);
  }
}
