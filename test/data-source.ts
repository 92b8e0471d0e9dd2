import { DataSource } from 'typeorm';
import { createTenant } from '../src/auth/keys';
import { createDataSource } from '../src/app.entities';
import { freshDatabase } from './helpers';

/** A migrated data source on a fresh database (SQLite in memory, or MariaDB with TEST_DB=mysql) and one tenant, without the app. */
export async function migratedDataSource(slug: string): Promise<{ ds: DataSource; tenantId: number; close: () => Promise<void> }> {
  const db = await freshDatabase();
  const ds = await createDataSource({ databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath }).initialize();
  await ds.runMigrations({ transaction: 'each' });
  const tenantId = (await createTenant(ds.manager, `Tenant ${slug}`, slug)).id;
  return {
    ds,
    tenantId,
    close: async () => {
      await ds.destroy();
      await db.drop();
    },
  };
}
