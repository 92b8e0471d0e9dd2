import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { loadConfig } from './config';
import { tuneHeap } from './platform/heap';

async function main() {
  // A .env file next to package.json, if present (Node's built-in loader; real env vars win).
  if (existsSync('.env')) process.loadEnvFile('.env');
  tuneHeap(process.env.HEAP_GROWING_PERCENT);
  const config = loadConfig();
  const { app, bootstrapKey } = await createApp(config);
  await app.listen(config.port, config.host);
  const base = `http://localhost:${config.port}`;
  const listening = `Trade-in API listening on ${base} (${config.databaseUrl ? 'MySQL/MariaDB' : `SQLite ${config.sqlitePath}`}); Swagger UI: ${base}/api/docs\n`;
  // The key last, so that a newcomer sees it without scrolling; in the same write as the line
  // before it, so that whoever waits for "listening" has the key too.
  const line = '='.repeat(78);
  const key = bootstrapKey
    ? `\n${line}\n First start: created tenant "default", user admin@example.com (admin) and this API key.\n` +
      ` It is shown ONCE — store it now:\n\n   X-API-Key: ${bootstrapKey}\n\n` +
      ` Try: curl -H 'X-API-Key: ${bootstrapKey}' ${base}/api/v3/customers\n${line}\n\n`
    : '';
  process.stdout.write(listening + key);
}

main().catch((e) => {
  console.error(`Failed to start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
