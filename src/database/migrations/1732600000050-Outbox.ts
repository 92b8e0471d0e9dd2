import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The transactional outbox (issue 16): events written in the transaction of their change, and the
 * per-trade-in sequence counters. No foreign key to trade_ins: a trade-in's deletion is itself an
 * event that must outlive the row.
 */
export class Outbox1732600000050 implements MigrationInterface {
  name = 'Outbox1732600000050';

  public async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'event_id', type: 'varchar', length: '40' },
          { name: 'tenant_id', type: 'int' },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'subject', type: 'varchar', length: '255' },
          { name: 'trade_in_id', type: 'int', isNullable: true },
          { name: 'sequence', type: 'int', isNullable: true },
          { name: 'payload', type: 'text' },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'dispatched_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_outbox_events_event_id', columnNames: ['event_id'], isUnique: true }),
          // the dispatcher's scan: undispatched events in id order
          new TableIndex({ name: 'ix_outbox_events_dispatched_at', columnNames: ['dispatched_at', 'id'] }),
          new TableIndex({ name: 'ix_outbox_events_trade_in', columnNames: ['trade_in_id', 'sequence'] }),
          new TableIndex({ name: 'ix_outbox_events_tenant', columnNames: ['tenant_id', 'id'] }),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'outbox_sequences',
        columns: [
          { name: 'trade_in_id', type: 'int', isPrimary: true },
          { name: 'last_sequence', type: 'int' },
        ],
      }),
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbox_sequences');
    await q.dropTable('outbox_events');
  }
}
