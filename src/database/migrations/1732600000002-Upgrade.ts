import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The customer-facing trade-in programme (issue 7): programme accounts and sessions, the
 * programme side of a trade-in (1:1 with trade_ins), offers, photos, valuations and condition
 * modifiers. Portable Table API (MariaDB and SQLite); trade_ins itself is not altered.
 */
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false, dflt?: number): TableColumnOptions => ({ name, type: 'int', isNullable: nullable, default: dflt });
const str = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ts = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const money = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'decimal', precision: 12, scale: 2, isNullable: nullable });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL' = 'RESTRICT') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });
const idx = (table: string, columns: string[], unique = false) =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`.slice(0, 64), columnNames: columns, isUnique: unique });

export class Upgrade1732600000002 implements MigrationInterface {
  name = 'Upgrade1732600000002';

  public async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'program_accounts',
        columns: [
          id(),
          int('tenant_id'),
          int('customer_id'),
          str('email', 190, false),
          str('password_hash', 100, false),
          int('failed_logins', false, 0),
          ts('locked_until', true),
          ts('last_login_at', true),
          ts('created_at'),
          ts('updated_at'),
        ],
        indices: [idx('program_accounts', ['tenant_id', 'email'], true), idx('program_accounts', ['customer_id'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('customer_id', 'customers', 'RESTRICT')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_sessions',
        columns: [id(), int('tenant_id'), int('account_id'), { name: 'token_hash', type: 'char', length: '64', isNullable: false }, ts('created_at'), ts('expires_at'), ts('revoked_at', true)],
        indices: [idx('program_sessions', ['token_hash'], true), idx('program_sessions', ['account_id'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('account_id', 'program_accounts', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_valuations',
        columns: [
          id(),
          int('tenant_id'),
          str('product_id', 64),
          str('make', 100, false),
          str('model', 100, false),
          int('year_from'),
          int('year_to'),
          money('base_value', false),
          ts('created_at'),
          ts('updated_at'),
        ],
        indices: [idx('program_valuations', ['tenant_id', 'product_id'], true), idx('program_valuations', ['tenant_id', 'make', 'model'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_condition_modifiers',
        columns: [
          { name: 'tenant_id', type: 'int', isPrimary: true },
          { name: 'grade', type: 'varchar', length: '16', isPrimary: true },
          { name: 'percent', type: 'decimal', precision: 5, scale: 2 },
        ],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trade_in_programs',
        columns: [
          { name: 'trade_in_id', type: 'int', isPrimary: true },
          int('tenant_id'),
          int('account_id'),
          str('product_id', 64),
          str('serial_number', 64),
          str('condition_grade', 16),
          money('quoted_value'),
          int('valuation_id', true),
          str('shipping_method', 16),
          str('carrier', 60),
          str('tracking_number', 64),
          ts('shipped_at', true),
          ts('received_at', true),
          str('inspected_grade', 16),
          money('final_value'),
          str('inspection_notes', 1000),
          ts('inspected_at', true),
          str('credit_type', 16),
          money('credit_amount'),
          str('credit_reference', 64),
          ts('credit_issued_at', true),
          ts('created_at'),
          ts('updated_at'),
        ],
        indices: [idx('trade_in_programs', ['tenant_id', 'account_id'])],
        foreignKeys: [
          fk('trade_in_id', 'trade_ins', 'CASCADE'),
          fk('tenant_id', 'tenants', 'CASCADE'),
          fk('account_id', 'program_accounts', 'RESTRICT'),
          fk('valuation_id', 'program_valuations', 'SET NULL'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_offers',
        columns: [
          id(),
          int('tenant_id'),
          int('trade_in_id'),
          money('amount', false),
          str('notes', 1000),
          ts('expires_at', true),
          str('status', 16, false),
          str('decline_reason', 1000),
          ts('responded_at', true),
          money('quoted_value'),
          ts('created_at'),
          int('created_by_id', true),
        ],
        indices: [idx('program_offers', ['tenant_id', 'trade_in_id'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('trade_in_id', 'trade_ins', 'CASCADE'), fk('created_by_id', 'users', 'SET NULL')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_photos',
        columns: [
          id(),
          str('public_id', 40, false),
          int('tenant_id'),
          int('account_id'),
          int('trade_in_id', true),
          int('picture_id', true),
          str('picture_type_code', 64),
          str('storage_key', 200, false),
          str('content_type', 32, false),
          int('size'),
          ts('created_at'),
        ],
        indices: [idx('program_photos', ['public_id'], true), idx('program_photos', ['tenant_id', 'account_id']), idx('program_photos', ['trade_in_id'])],
        foreignKeys: [
          fk('tenant_id', 'tenants', 'CASCADE'),
          fk('account_id', 'program_accounts', 'CASCADE'),
          fk('trade_in_id', 'trade_ins', 'SET NULL'),
          fk('picture_id', 'trade_in_pictures', 'SET NULL'),
        ],
      }),
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['program_photos', 'program_offers', 'trade_in_programs', 'program_condition_modifiers', 'program_valuations', 'program_sessions', 'program_accounts']) await q.dropTable(t);
  }
}
