import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { loadConfig } from './config';

async function main() {
  // A .env file next to package.json, if present (Node's built-in loader; real env vars win).
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const { app, bootstrapKey } = await createApp(config);
  await app.listen(config.port, config.host);
  const base = `http://localhost:${config.port}`;
  if (bootstrapKey) {
    const line = '='.repeat(78);
    process.stdout.write(
      `\n${line}\n First start: created tenant "default", user admin@example.com (admin) and this API key.\n` +
        ` It is shown ONCE — store it now:\n\n   X-API-Key: ${bootstrapKey}\n\n` +
        ` Try: curl -H 'X-API-Key: ${bootstrapKey}' ${base}/api/v3/customers\n${line}\n\n`,
    );
  }
  process.stdout.write(
    `Trade-in API listening on ${base} (${config.databaseUrl ? 'MySQL/MariaDB' : `SQLite ${config.sqlitePath}`}); Swagger UI: ${base}/api/docs\n`,
  );
}

main().catch((e) => {
  console.error(`Failed to start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
