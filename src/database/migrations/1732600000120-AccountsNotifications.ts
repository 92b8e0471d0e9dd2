import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Programme accounts and e-mail notifications (issue 17): disabled accounts, single-use password
 * reset tokens (only their SHA-256 stored), the per-tenant sign-up switch, the notifications to
 * send (one row per event and recipient, unique) and the per-tenant template overrides. The
 * outbox gets `notified_at`: the notification collector's mark, as `dispatched_at` is the webhooks'.
 * Events recorded before this migration count as looked at, so nothing old is mailed after an upgrade.
 */
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ts = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const fk = (column: string, table: string) => new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });

export class AccountsNotifications1732600000120 implements MigrationInterface {
  name = 'AccountsNotifications1732600000120';

  public async up(q: QueryRunner): Promise<void> {
    await q.addColumn('program_accounts', new TableColumn(ts('disabled_at', true)));
    await q.createTable(
      new Table({
        name: 'program_password_resets',
        columns: [id(), int('tenant_id'), int('account_id'), { name: 'token_hash', type: 'char', length: '64', isNullable: false }, ts('created_at'), ts('expires_at'), ts('used_at', true)],
        indices: [
          new TableIndex({ name: 'uq_program_password_resets_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_program_password_resets_account', columnNames: ['account_id'] }),
          new TableIndex({ name: 'ix_program_password_resets_expires_at', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [fk('tenant_id', 'tenants'), fk('account_id', 'program_accounts')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_account_settings',
        columns: [{ name: 'tenant_id', type: 'int', isPrimary: true }, { name: 'public_signup', type: 'boolean', isNullable: false }, ts('updated_at')],
        foreignKeys: [fk('tenant_id', 'tenants')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_notifications',
        columns: [
          id(),
          int('tenant_id'),
          str('kind', 64),
          // What the notification is of: `evt_…` (an outbox event) or `reset:<id>` (a password reset).
          str('source_key', 64),
          str('recipient', 190),
          int('trade_in_id', true),
          { name: 'vars', type: 'text', isNullable: true },
          str('status', 16),
          int('attempts'),
          ts('next_attempt_at'),
          ts('locked_until', true),
          str('last_error', 500, true),
          str('subject', 255, true),
          str('message_id', 255, true),
          ts('created_at'),
          ts('sent_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_program_notifications_source', columnNames: ['source_key', 'recipient'], isUnique: true }),
          new TableIndex({ name: 'ix_program_notifications_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_program_notifications_tenant', columnNames: ['tenant_id', 'id'] }),
        ],
        foreignKeys: [fk('tenant_id', 'tenants')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_notification_templates',
        columns: [id(), int('tenant_id'), str('kind', 64), str('subject', 255), { name: 'body', type: 'text', isNullable: false }, ts('updated_at')],
        indices: [new TableIndex({ name: 'uq_program_notification_templates_kind', columnNames: ['tenant_id', 'kind'], isUnique: true })],
        foreignKeys: [fk('tenant_id', 'tenants')],
      }),
    );
    await q.addColumn('outbox_events', new TableColumn(ts('notified_at', true)));
    await q.query('UPDATE outbox_events SET notified_at = created_at');
    await q.createIndex('outbox_events', new TableIndex({ name: 'ix_outbox_events_notified_at', columnNames: ['notified_at', 'id'] }));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('outbox_events', 'ix_outbox_events_notified_at');
    await q.dropColumn('outbox_events', 'notified_at');
    await q.dropTable('program_notification_templates');
    await q.dropTable('program_notifications');
    await q.dropTable('program_account_settings');
    await q.dropTable('program_password_resets');
    await q.dropColumn('program_accounts', 'disabled_at');
  }
}
