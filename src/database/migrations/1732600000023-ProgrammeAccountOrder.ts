import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The programme's admin customer list (`GET /api/{tenant}/admin/customers`) pages a tenant's
 * accounts newest first (`WHERE tenant_id = ? ORDER BY id DESC LIMIT …`). The only index starting
 * with tenant_id was `(tenant_id, email)`, which is not in id order: every page sorted all of the
 * tenant's accounts. `(tenant_id)` — InnoDB and SQLite append the id — is read backwards and stops
 * after the page (issue 12).
 */
const INDEX = new TableIndex({ name: 'ix_program_accounts_tenant_id', columnNames: ['tenant_id'] });

export class ProgrammeAccountOrder1732600000023 implements MigrationInterface {
  name = 'ProgrammeAccountOrder1732600000023';

  public async up(q: QueryRunner): Promise<void> {
    await q.createIndex('program_accounts', INDEX);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('program_accounts', INDEX.name!);
  }
}
