import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Staff sign-in for the admin (issue 15): a password per user (argon2id PHC string, like the
 * programme's customer passwords; null = no password, API keys only) and staff sessions, of which
 * only the SHA-256 hash of the bearer token is stored.
 */
export class StaffSignIn1732600000070 implements MigrationInterface {
  name = 'StaffSignIn1732600000070';

  public async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn({ name: 'password_hash', type: 'varchar', length: '255', isNullable: true }));
    await q.createTable(
      new Table({
        name: 'staff_sessions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'int', isNullable: false },
          { name: 'user_id', type: 'int', isNullable: false },
          { name: 'token_hash', type: 'char', length: '64', isNullable: false },
          { name: 'created_at', type: 'datetime', precision: 3, isNullable: false },
          { name: 'expires_at', type: 'datetime', precision: 3, isNullable: false },
          { name: 'revoked_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_staff_sessions_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_staff_sessions_user_id', columnNames: ['user_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropTable('staff_sessions');
    await q.dropColumn('users', 'password_hash');
  }
}
