import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const OFFER_EXPIRY = new TableIndex({ name: 'ix_program_offers_status_expires_at', columnNames: ['status', 'expires_at'] });
const SESSION_EXPIRY = new TableIndex({ name: 'ix_program_sessions_expires_at', columnNames: ['expires_at'] });

/** Webhook subscriptions, deliveries and their attempts, and the job runner's schedule (issue 16). */
export class Webhooks1732600000051 implements MigrationInterface {
  name = 'Webhooks1732600000051';

  public async up(q: QueryRunner): Promise<void> {
    const tenant = () => new TableForeignKey({ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    await q.createTable(
      new Table({
        name: 'webhook_subscriptions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'int' },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'event_types', type: 'text' },
          { name: 'enabled', type: 'boolean' },
          { name: 'disabled_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'secret', type: 'varchar', length: '500' },
          { name: 'previous_secret', type: 'varchar', length: '500', isNullable: true },
          { name: 'previous_secret_until', type: 'datetime', precision: 3, isNullable: true },
          { name: 'consecutive_failures', type: 'int' },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
          { name: 'version', type: 'int' },
        ],
        indices: [new TableIndex({ name: 'ix_webhook_subscriptions_tenant', columnNames: ['tenant_id', 'enabled'] })],
        foreignKeys: [tenant()],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'int' },
          { name: 'subscription_id', type: 'int' },
          { name: 'event_id', type: 'int' },
          { name: 'event_type', type: 'varchar', length: '64' },
          { name: 'trade_in_id', type: 'int', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'int' },
          { name: 'next_attempt_at', type: 'datetime', precision: 3 },
          { name: 'locked_until', type: 'datetime', precision: 3, isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'delivered_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          // the claim: due pending deliveries
          new TableIndex({ name: 'ix_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
          // the order check: an earlier pending delivery of the same subscription and trade-in
          new TableIndex({ name: 'ix_webhook_deliveries_order', columnNames: ['subscription_id', 'trade_in_id', 'status', 'event_id'] }),
          // the log: a subscription's deliveries, newest first
          new TableIndex({ name: 'ix_webhook_deliveries_log', columnNames: ['subscription_id', 'id'] }),
          new TableIndex({ name: 'ix_webhook_deliveries_created', columnNames: ['created_at'] }),
        ],
        foreignKeys: [
          tenant(),
          new TableForeignKey({ columnNames: ['subscription_id'], referencedTableName: 'webhook_subscriptions', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['event_id'], referencedTableName: 'outbox_events', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_attempts',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'delivery_id', type: 'int' },
          { name: 'attempted_at', type: 'datetime', precision: 3 },
          { name: 'status_code', type: 'int', isNullable: true },
          { name: 'latency_ms', type: 'int' },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
          { name: 'response_excerpt', type: 'varchar', length: '1000', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_webhook_attempts_delivery', columnNames: ['delivery_id', 'id'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['delivery_id'], referencedTableName: 'webhook_deliveries', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'scheduled_jobs',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'next_run_at', type: 'datetime', precision: 3 },
          { name: 'last_run_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
        ],
      }),
    );
    // What the jobs look for every tick / hour: pending offers past their expiry, sessions past their keep.
    await q.createIndex('program_offers', OFFER_EXPIRY);
    await q.createIndex('program_sessions', SESSION_EXPIRY);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('program_sessions', SESSION_EXPIRY.name!);
    await q.dropIndex('program_offers', OFFER_EXPIRY.name!);
    await q.dropTable('scheduled_jobs');
    await q.dropTable('webhook_attempts');
    await q.dropTable('webhook_deliveries');
    await q.dropTable('webhook_subscriptions');
  }
}
