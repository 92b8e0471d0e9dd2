import { createDataSource } from './app.entities';
import { loadConfig } from './config';

/** `npm run migration:run`: applies pending migrations to the configured database. */
async function main() {
  const cfg = loadConfig();
  const ds = createDataSource(cfg);
  await ds.initialize();
  const done = await ds.runMigrations({ transaction: 'each' });
  console.log(done.length ? `Applied: ${done.map((m) => m.name).join(', ')}` : 'Database is up to date.');
  await ds.destroy();
}
main().catch((e) => {
  console.error(`Migration failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
