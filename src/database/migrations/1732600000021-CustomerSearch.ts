import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { addSearchCopies } from './search-copies';

/**
 * Customers at scale (issue 12; the bench seeds one customer per four trade-ins, 225k in the load
 * tenant at 1M): folded copies of the names that the partial filters and name orders read (so
 * `lastName=magi` finds "Mägi" on SQLite as on MariaDB), and an index for every documented
 * order and exact filter, each `(tenant_id, column)` (InnoDB and SQLite append the id, which is
 * the tie-break). Without them `order[firstName]`, `order[createdAt]`, `phone=` or
 * `personalCode=` sorted or scanned all of a tenant's customers (EXPLAIN in bench/README.md).
 */
const COLUMNS: [copy: string, source: string, type: string][] = [
  ['first_name_search', 'first_name', 'varchar(100)'],
  ['last_name_search', 'last_name', 'varchar(100)'],
  ['company_name_search', 'company_name', 'varchar(200)'],
];
const idx = (column: string) => new TableIndex({ name: `ix_customers_tenant_id_${column}`, columnNames: ['tenant_id', column] });
const NEW_INDEXES = ['first_name_search', 'last_name_search', 'company_name_search', 'created_at', 'updated_at', 'phone', 'personal_code'].map(idx);
const OLD_INDEXES = [idx('last_name')];

export class CustomerSearch1732600000021 implements MigrationInterface {
  name = 'CustomerSearch1732600000021';

  public async up(q: QueryRunner): Promise<void> {
    await addSearchCopies(q, 'customers', COLUMNS);
    for (const index of NEW_INDEXES) await q.createIndex('customers', index);
    for (const index of OLD_INDEXES) await q.dropIndex('customers', index.name!);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of OLD_INDEXES) await q.createIndex('customers', index);
    for (const index of NEW_INDEXES) await q.dropIndex('customers', index.name!);
    for (const [copy] of [...COLUMNS].reverse()) await q.dropColumn('customers', copy);
  }
}
