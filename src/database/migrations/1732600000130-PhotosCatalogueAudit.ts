import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';

/**
 * Issue 17 (photos, catalogue, audit):
 * - `program_photo_requirements`: per tenant, the angles (picture type codes) and the number of
 *   photos a submission needs; no row = the default (one photo, no angle).
 * - `program_valuations`: make, model and the year range become optional (a product-only
 *   valuation: `{"product_id": "prod_456", "base_value": 200}`); `trade_in_programs.product_catalogued`
 *   says whether the submission's product_id named such a catalogued product when it was last quoted.
 * - `trade_in_status_changes`: who made each move — `actor_kind` (user, customer, system), the
 *   customer (`changed_by_customer_id`, the dealer-side customer record of the programme account;
 *   no foreign key: the audit keeps the id of a customer deleted later) and the job (`actor_job`).
 *   Rows from before are filled in from what only one kind of actor could have done (below).
 */
export class PhotosCatalogueAudit1732600000130 implements MigrationInterface {
  name = 'PhotosCatalogueAudit1732600000130';

  public async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'program_photo_requirements',
        columns: [
          { name: 'tenant_id', type: 'int', isPrimary: true },
          { name: 'min_count', type: 'int' },
          { name: 'required_angles', type: 'text' },
          { name: 'updated_at', type: 'datetime', precision: 3 },
          { name: 'updated_by_id', type: 'int', isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['updated_by_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL' }),
        ],
      }),
    );
    for (const [name, type, length] of [
      ['make', 'varchar', '100'],
      ['model', 'varchar', '100'],
      ['year_from', 'int', undefined],
      ['year_to', 'int', undefined],
    ] as const) {
      const before = new TableColumn({ name, type, length, isNullable: false });
      await q.changeColumn('program_valuations', before, new TableColumn({ name, type, length, isNullable: true }));
    }
    await q.addColumn('trade_in_programs', new TableColumn({ name: 'product_catalogued', type: 'boolean', isNullable: false, default: false }));

    await q.addColumns('trade_in_status_changes', [
      new TableColumn({ name: 'actor_kind', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'changed_by_customer_id', type: 'int', isNullable: true }),
      new TableColumn({ name: 'actor_job', type: 'varchar', length: '64', isNullable: true }),
    ]);
    // Before this version a move without a user was a programme customer's or the offer-expiry job's.
    // Staff moves carry their user.
    await q.query(`UPDATE trade_in_status_changes SET actor_kind = 'user' WHERE changed_by_id IS NOT NULL`);
    // The only move without a user into `done` was the expiry of an offer (sent_to_customer → done).
    await q.query(
      `UPDATE trade_in_status_changes SET actor_kind = 'system', actor_job = 'programme.expire-offers' WHERE changed_by_id IS NULL AND from_status = 'sent_to_customer' AND to_status = 'done'`,
    );
    // Every other move without a user on a programme trade-in was its customer's (create, submit,
    // accept, decline, ship): the trade-in's customer is the account holder and cannot change.
    await q.query(
      `UPDATE trade_in_status_changes SET actor_kind = 'customer', changed_by_customer_id = (SELECT t.customer_id FROM trade_ins t WHERE t.id = trade_in_status_changes.trade_in_id)
       WHERE actor_kind IS NULL AND changed_by_id IS NULL AND trade_in_id IN (SELECT p.trade_in_id FROM trade_in_programs p)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('trade_in_status_changes', ['actor_job', 'changed_by_customer_id', 'actor_kind']);
    await q.dropColumn('trade_in_programs', 'product_catalogued');
    await q.query(`DELETE FROM program_valuations WHERE make IS NULL OR model IS NULL OR year_from IS NULL OR year_to IS NULL`);
    for (const [name, type, length] of [
      ['make', 'varchar', '100'],
      ['model', 'varchar', '100'],
      ['year_from', 'int', undefined],
      ['year_to', 'int', undefined],
    ] as const) {
      await q.changeColumn('program_valuations', name, new TableColumn({ name, type, length, isNullable: false }));
    }
    await q.dropTable('program_photo_requirements');
  }
}
