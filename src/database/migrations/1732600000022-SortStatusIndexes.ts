import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The sort indexes of the nullable trade-in columns carry the id tie-break and the status
 * (issue 12): `(tenant_id, column, id, status)` instead of `(tenant_id, column)`.
 *
 * NULLs sort first, and here they cluster by status: a trade-in has no purchase price, mileage or
 * first registration until it is appraised. `status[]=done&status[]=sent_to_customer&order[purchasePrice]=asc`
 * therefore walks ~400k index entries of unpriced drafts (1M seed) before the first match; with
 * `(tenant_id, purchase_price)` every one of them was a row lookup to read the status (over the 2 s
 * budget on the bench machine), with the status in the index the walk never leaves it (EXPLAIN:
 * "Using where; Using index", bench/README.md). The explicit id keeps the order (column, id) that the
 * tie-break and the cursors need on both engines.
 */
const COLUMNS = ['purchase_price', 'customer_asking_price', 'vm_mileage', 'vm_first_registration_date'];
const NEW_INDEXES = COLUMNS.map((c) => new TableIndex({ name: `ix_trade_ins_tenant_id_${c}_id_status`.slice(0, 64), columnNames: ['tenant_id', c, 'id', 'status'] }));
const OLD_INDEXES = COLUMNS.map((c) => new TableIndex({ name: `ix_trade_ins_tenant_id_${c}`, columnNames: ['tenant_id', c] }));

export class SortStatusIndexes1732600000022 implements MigrationInterface {
  name = 'SortStatusIndexes1732600000022';

  public async up(q: QueryRunner): Promise<void> {
    for (const index of NEW_INDEXES) await q.createIndex('trade_ins', index);
    for (const index of OLD_INDEXES) await q.dropIndex('trade_ins', index.name!);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of OLD_INDEXES) await q.createIndex('trade_ins', index);
    for (const index of NEW_INDEXES) await q.dropIndex('trade_ins', index.name!);
  }
}
