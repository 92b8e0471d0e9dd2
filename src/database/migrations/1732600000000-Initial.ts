import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The whole schema, written with TypeORM's portable Table API so that the same migration
 * runs on MySQL 8 / MariaDB and on SQLite.
 */
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false, dflt?: number): TableColumnOptions => ({ name, type: 'int', isNullable: nullable, default: dflt });
/** SQLite compares and sorts text case-insensitively like MariaDB's *_ci collations. */
let textCollation: string | undefined;
const str = (name: string, length: number, nullable = true, dflt?: string): TableColumnOptions => ({
  name,
  collation: textCollation,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
  default: dflt === undefined ? undefined : `'${dflt}'`,
});
const ts = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const money = (name: string): TableColumnOptions => ({ name, type: 'decimal', precision: 12, scale: 2, isNullable: true });
const bool = (name: string, nullable = true, dflt?: boolean): TableColumnOptions => ({
  name,
  type: 'boolean',
  isNullable: nullable,
  default: dflt === undefined ? undefined : dflt ? 1 : 0,
});
const text = (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: true, collation: textCollation });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL' = 'RESTRICT') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });
const idx = (table: string, columns: string[], unique = false) =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`.slice(0, 64), columnNames: columns, isUnique: unique });

export class Initial1732600000000 implements MigrationInterface {
  name = 'Initial1732600000000';

  public async up(q: QueryRunner): Promise<void> {
    const longText = q.connection.options.type === 'mysql' ? 'mediumtext' : 'text';
    textCollation = q.connection.options.type === 'mysql' ? undefined : 'NOCASE';

    await q.createTable(
      new Table({
        name: 'tenants',
        columns: [id(), str('name', 120, false), str('slug', 64, false), ts('created_at')],
        indices: [idx('tenants', ['slug'], true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [id(), int('tenant_id'), str('email', 190, false), str('name', 120, false), str('role', 16, false), ts('created_at'), ts('updated_at'), ts('disabled_at', true)],
        indices: [idx('users', ['tenant_id', 'email'], true)],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id(),
          int('tenant_id'),
          int('user_id'),
          str('name', 120, false),
          str('prefix', 16, false),
          { name: 'key_hash', type: 'char', length: '64', isNullable: false },
          ts('created_at'),
          ts('last_used_at', true),
          ts('revoked_at', true),
        ],
        indices: [idx('api_keys', ['key_hash'], true), idx('api_keys', ['tenant_id', 'user_id'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('user_id', 'users', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'customers',
        columns: [
          id(),
          int('tenant_id'),
          str('first_name', 100),
          str('last_name', 100),
          str('company_name', 200),
          str('email', 190),
          str('phone', 40),
          str('personal_code', 40),
          str('address', 255),
          ts('created_at'),
          ts('updated_at'),
          int('version', false, 1),
        ],
        indices: [idx('customers', ['tenant_id', 'last_name']), idx('customers', ['tenant_id', 'email'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'locations',
        columns: [
          id(),
          int('tenant_id'),
          str('name', 150, false),
          str('code', 40),
          str('address', 255),
          str('city', 100),
          { name: 'country', type: 'char', length: '2', isNullable: true },
          str('phone', 40),
          str('email', 190),
          ts('created_at'),
          ts('updated_at'),
          int('version', false, 1),
        ],
        indices: [idx('locations', ['tenant_id', 'name'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'reject_reasons',
        columns: [{ name: 'code', type: 'varchar', length: '64', isPrimary: true }, str('label', 150, false), int('position')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trade_ins',
        columns: [
          id(),
          int('tenant_id'),
          str('status', 32, false),
          str('specification_title', 255),
          text('note'),
          int('customer_id', true),
          int('dealership_id', true),
          money('customer_asking_price'),
          money('purchase_price'),
          money('market_price'),
          money('market_value_on_sales_day'),
          { name: 'margin', type: 'decimal', precision: 5, scale: 2, isNullable: true },
          money('refurbish_cost_estimate'),
          { name: 'last_service_date', type: 'date', isNullable: true },
          int('days_to_sale', true),
          { name: 'daily_depreciation_rate', type: 'decimal', precision: 7, scale: 4, isNullable: true },
          bool('price_ex_vat', false, false),
          bool('is_vat_exempt', false, false),
          money('debt_amount'),
          str('debt_bank', 150),
          str('reject_reason', 64),
          str('reject_reason_meta_text', 1000),
          str('vm_make', 100),
          str('vm_model', 100),
          str('vm_vin_code', 17),
          str('vm_color', 60),
          int('vm_mileage', true),
          str('vm_gearbox', 60),
          str('vm_reg_nr', 20),
          str('vm_vehicle_type', 10, false, 'PC'),
          str('vm_body_type', 60),
          int('vm_cylinder_capacity_cm3', true),
          int('vm_max_power_kw', true),
          { name: 'vm_first_registration_date', type: 'date', isNullable: true },
          str('vm_fuel', 60),
          str('vm_drivetrain_type', 60),
          str('vm_transmission_type', 60),
          str('vm_transmission_code', 60),
          text('vm_equipment'),
          text('vm_accidents'),
          bool('cond_full_service'),
          bool('cond_tires_more_than6mm'),
          bool('cond_ac_works'),
          bool('cond_animals_in_car'),
          bool('cond_major_accident'),
          bool('cond_mechanical_tested'),
          bool('cond_original_paint'),
          bool('cond_smoked_in_car'),
          ts('created_at'),
          int('created_by_id', true),
          ts('updated_at'),
          int('updated_by_id', true),
          ts('report_signed_at', true),
          int('report_signed_by_id', true),
          int('done_by_id', true),
          int('version', false, 1),
        ],
        indices: [
          idx('trade_ins', ['tenant_id', 'status', 'updated_at']),
          idx('trade_ins', ['tenant_id', 'created_at']),
          idx('trade_ins', ['tenant_id', 'updated_at']),
          idx('trade_ins', ['tenant_id', 'customer_id']),
          idx('trade_ins', ['tenant_id', 'dealership_id']),
          idx('trade_ins', ['tenant_id', 'vm_reg_nr']),
          idx('trade_ins', ['tenant_id', 'vm_vin_code']),
          idx('trade_ins', ['tenant_id', 'vm_make']),
          idx('trade_ins', ['tenant_id', 'vm_model']),
          idx('trade_ins', ['tenant_id', 'vm_mileage']),
          idx('trade_ins', ['tenant_id', 'vm_first_registration_date']),
          idx('trade_ins', ['tenant_id', 'purchase_price']),
          idx('trade_ins', ['tenant_id', 'customer_asking_price']),
        ],
        foreignKeys: [
          fk('tenant_id', 'tenants', 'CASCADE'),
          fk('customer_id', 'customers'),
          fk('dealership_id', 'locations'),
          fk('created_by_id', 'users', 'SET NULL'),
          fk('updated_by_id', 'users', 'SET NULL'),
          fk('report_signed_by_id', 'users', 'SET NULL'),
          fk('done_by_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trade_in_status_changes',
        columns: [
          id(),
          int('tenant_id'),
          int('trade_in_id'),
          str('from_status', 32),
          str('to_status', 32, false),
          int('changed_by_id', true),
          ts('changed_at'),
          str('reject_reason', 64),
          str('reject_reason_meta_text', 1000),
        ],
        indices: [idx('trade_in_status_changes', ['trade_in_id', 'id'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('trade_in_id', 'trade_ins', 'CASCADE'), fk('changed_by_id', 'users', 'SET NULL')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          id(),
          int('tenant_id'),
          str('idem_key', 255, false),
          str('request_path', 255, false),
          { name: 'request_hash', type: 'char', length: '64', isNullable: false },
          int('status_code', true),
          { name: 'response_body', type: longText, isNullable: true },
          str('location', 500),
          ts('created_at'),
        ],
        indices: [idx('idempotency_keys', ['tenant_id', 'idem_key'], true), idx('idempotency_keys', ['created_at'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE')],
      }),
    );

    const reasons: [string, string][] = [
      ['price_too_low', 'Customer found the offered price too low'],
      ['customer_withdrew', 'Customer withdrew / changed their mind'],
      ['sold_elsewhere', 'Vehicle sold elsewhere'],
      ['vehicle_condition', 'Vehicle condition not acceptable'],
      ['financing_declined', 'Financing or outstanding debt issue'],
      ['no_response', 'Customer did not respond'],
      ['duplicate', 'Duplicate trade-in'],
      ['other', 'Other (see rejectReasonMetaText)'],
    ];
    for (const [i, [code, label]] of reasons.entries()) {
      await q.query('INSERT INTO reject_reasons (code, label, position) VALUES (?, ?, ?)', [code, label, i + 1]);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'trade_in_status_changes', 'trade_ins', 'reject_reasons', 'locations', 'customers', 'api_keys', 'users', 'tenants']) {
      await q.dropTable(t);
    }
  }
}
