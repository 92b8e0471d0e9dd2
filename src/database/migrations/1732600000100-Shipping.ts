import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Shipping kits and labels of the customer programme (issue 17): the customer's postal address in
 * parts (what a label needs; `customers.address` stays the free-text line of the dealer record),
 * the shipping configuration per tenant, shipments (the kit order and the return of an item, with
 * the addresses as they were when ordered) and their carrier/fulfilment tracking events, unique per
 * shipment by the carrier's event id (a repeated update is a no-op). Portable Table API.
 */
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ts = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
/** An address in parts, each column prefixed (`facility_line1`, `customer_city`, …). */
const address = (prefix: string): TableColumnOptions[] => [
  str(`${prefix}_name`, 200),
  str(`${prefix}_line1`, 120),
  str(`${prefix}_line2`, 120),
  str(`${prefix}_postcode`, 16),
  str(`${prefix}_city`, 100),
  str(`${prefix}_country`, 2),
];
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });
const idx = (table: string, columns: string[], unique = false) =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`.slice(0, 64), columnNames: columns, isUnique: unique });

const ACCOUNT_ADDRESS = [str('address_line1', 120), str('address_line2', 120), str('address_postcode', 16), str('address_city', 100), str('address_country', 2)];

export class Shipping1732600000100 implements MigrationInterface {
  name = 'Shipping1732600000100';

  public async up(q: QueryRunner): Promise<void> {
    await q.addColumns(
      'program_accounts',
      ACCOUNT_ADDRESS.map((c) => new TableColumn(c)),
    );
    await q.createTable(
      new Table({
        name: 'program_shipping_settings',
        columns: [
          { name: 'tenant_id', type: 'int', isPrimary: true },
          str('provider', 16, false),
          str('default_method', 16, false),
          str('default_carrier', 60),
          ...address('facility'),
          ts('updated_at'),
          int('updated_by_id', true),
        ],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('updated_by_id', 'users', 'SET NULL')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_shipments',
        columns: [
          id(),
          int('tenant_id'),
          int('trade_in_id'),
          int('account_id'),
          str('direction', 16, false),
          str('status', 20, false),
          str('provider', 16, false),
          str('method', 16, false),
          str('carrier', 60),
          str('tracking_number', 64),
          ...address('customer'),
          ...address('facility'),
          ts('ordered_at', true),
          ts('kit_sent_at', true),
          ts('shipped_at', true),
          ts('delivered_at', true),
          ts('created_at'),
          ts('updated_at'),
        ],
        indices: [idx('program_shipments', ['trade_in_id', 'direction'], true), idx('program_shipments', ['tenant_id', 'account_id', 'status']), idx('program_shipments', ['tenant_id', 'status'])],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('trade_in_id', 'trade_ins', 'CASCADE'), fk('account_id', 'program_accounts', 'RESTRICT')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'program_shipment_events',
        columns: [
          id(),
          int('tenant_id'),
          int('shipment_id'),
          str('event_id', 100),
          str('status', 20, false),
          str('carrier', 60),
          str('tracking_number', 64),
          str('description', 500),
          ts('occurred_at'),
          ts('recorded_at'),
          int('recorded_by_id', true),
        ],
        indices: [idx('program_shipment_events', ['shipment_id', 'event_id'], true)],
        foreignKeys: [fk('tenant_id', 'tenants', 'CASCADE'), fk('shipment_id', 'program_shipments', 'CASCADE'), fk('recorded_by_id', 'users', 'SET NULL')],
      }),
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropTable('program_shipment_events');
    await q.dropTable('program_shipments');
    await q.dropTable('program_shipping_settings');
    for (const c of [...ACCOUNT_ADDRESS].reverse()) await q.dropColumn('program_accounts', c.name);
  }
}
