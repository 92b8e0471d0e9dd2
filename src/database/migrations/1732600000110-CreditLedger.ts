import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Issue 17 (credits, the customer's say, offers): the store-credit ledger, the kind of each offer,
 * the tenant's offer settings and the programme row's return/withdrawal states. Portable Table API
 * (MariaDB and SQLite).
 *
 * Offers made before this migration carry no expiry; the pending ones get `now + 14 days` (the
 * default validity): they stay open as long as a new offer would, counted from the day the rule
 * came in, rather than expiring at once for being old. Answered, superseded or expired offers keep
 * NULL: their expiry no longer decides anything.
 */
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ts = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const money = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'decimal', precision: 12, scale: 2, isNullable: nullable });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

export const DEFAULT_OFFER_VALIDITY_DAYS = 14;

/** The pending offers without an expiry get `now + 14 days`; the others keep none (see above). */
export async function giveOffersAnExpiry(q: Pick<QueryRunner, 'query'>, now: Date): Promise<void> {
  // UTC DATETIME text: what both drivers store for a timestamp column.
  const until = new Date(now.getTime() + DEFAULT_OFFER_VALIDITY_DAYS * 86_400_000).toISOString().replace('T', ' ').replace('Z', '');
  await q.query("UPDATE program_offers SET expires_at = ? WHERE status = 'pending' AND expires_at IS NULL", [until]);
}

export class CreditLedger1732600000110 implements MigrationInterface {
  name = 'CreditLedger1732600000110';

  public async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'program_credit_entries',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          int('tenant_id'),
          int('account_id'),
          str('kind', 16, false),
          money('amount', false),
          money('balance_after', false),
          str('reference', 64),
          str('external_reference', 100),
          str('reason', 500),
          int('trade_in_id', true),
          str('client_key', 255),
          int('created_by_id', true),
          ts('created_at'),
        ],
        indices: [
          // Completion issues (and, for refunds, pays out) a trade-in's credit once: at most one entry per trade-in and kind (NULLs repeat freely).
          new TableIndex({ name: 'uq_program_credit_entries_trade_in_kind', columnNames: ['trade_in_id', 'kind'], isUnique: true }),
          // Staff entries are idempotent by their Idempotency-Key, per tenant.
          new TableIndex({ name: 'uq_program_credit_entries_client_key', columnNames: ['tenant_id', 'client_key'], isUnique: true }),
          new TableIndex({ name: 'ix_program_credit_entries_account', columnNames: ['account_id', 'id'] }),
        ],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('account_id', 'program_accounts', 'RESTRICT'), fk('trade_in_id', 'trade_ins', 'SET NULL'), fk('created_by_id', 'users', 'SET NULL')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_offer_settings',
        columns: [
          { name: 'tenant_id', type: 'int', isPrimary: true },
          { name: 'quote_visible', type: 'boolean', isNullable: false, default: 0 },
          { name: 'offer_validity_days', type: 'int', isNullable: false, default: DEFAULT_OFFER_VALIDITY_DAYS },
          { name: 'auto_offer_percent', type: 'decimal', precision: 5, scale: 2, isNullable: true },
          int('auto_offer_validity_days', true),
          ts('updated_at'),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await q.addColumn('program_offers', new TableColumn({ name: 'kind', type: 'varchar', length: '16', isNullable: false, default: "'manual'" }));
    await q.addColumns('trade_in_programs', [new TableColumn(ts('return_requested_at', true)), new TableColumn(str('return_reason', 1000)), new TableColumn(ts('withdrawn_at', true))]);
    await giveOffersAnExpiry(q, new Date());
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const c of ['withdrawn_at', 'return_reason', 'return_requested_at']) await q.dropColumn('trade_in_programs', c);
    await q.dropColumn('program_offers', 'kind');
    await q.dropTable('program_offer_settings');
    await q.dropTable('program_credit_entries');
  }
}
