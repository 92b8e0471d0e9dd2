import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Picture types (catalogue), trade-in pictures and comments. Portable Table API: MariaDB and SQLite. */
export class PicturesComments1732600000001 implements MigrationInterface {
  name = 'PicturesComments1732600000001';

  public async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type !== 'mysql';
    await q.createTable(
      new Table({
        name: 'picture_types',
        columns: [
          { name: 'code', type: 'varchar', length: '64', isPrimary: true },
          { name: 'label', type: 'varchar', length: '150' },
          { name: 'position', type: 'int' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trade_in_pictures',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'int' },
          { name: 'trade_in_id', type: 'int' },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'picture_type_code', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'created_by_id', type: 'int', isNullable: true },
        ],
        indices: [
          // one picture per type per trade-in (NULL = untyped, any number)
          new TableIndex({ name: 'uq_trade_in_pictures_type', columnNames: ['trade_in_id', 'picture_type_code'], isUnique: true }),
          new TableIndex({ name: 'ix_trade_in_pictures_tenant', columnNames: ['tenant_id', 'trade_in_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['trade_in_id'], referencedTableName: 'trade_ins', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['picture_type_code'], referencedTableName: 'picture_types', referencedColumnNames: ['code'] }),
          new TableForeignKey({ columnNames: ['created_by_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL' }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trade_in_comments',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'int' },
          { name: 'trade_in_id', type: 'int' },
          { name: 'comment', type: 'text', collation: sqlite ? 'NOCASE' : undefined },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'created_by_id', type: 'int', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_trade_in_comments_trade_in', columnNames: ['trade_in_id', 'id'] })],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['trade_in_id'], referencedTableName: 'trade_ins', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['created_by_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL' }),
        ],
      }),
    );
    const types: [string, string][] = [
      ['exterior_front', 'Exterior — front'],
      ['exterior_rear', 'Exterior — rear'],
      ['exterior_left', 'Exterior — left side'],
      ['exterior_right', 'Exterior — right side'],
      ['interior_front', 'Interior — front seats and dashboard'],
      ['interior_rear', 'Interior — rear seats'],
      ['dashboard', 'Dashboard'],
      ['odometer', 'Odometer reading'],
      ['engine', 'Engine bay'],
      ['trunk', 'Trunk'],
      ['wheels', 'Wheels and tires'],
      ['damage', 'Damage close-up'],
      ['vin_plate', 'VIN plate'],
      ['documents', 'Registration documents'],
    ];
    for (const [i, [code, label]] of types.entries()) {
      await q.query('INSERT INTO picture_types (code, label, position) VALUES (?, ?, ?)', [code, label, (i + 1) * 10]);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropTable('trade_in_comments');
    await q.dropTable('trade_in_pictures');
    await q.dropTable('picture_types');
  }
}
