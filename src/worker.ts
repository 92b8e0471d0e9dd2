import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config';

/**
 * `npm run worker`: the job runner (webhook delivery, offer expiry, purges) in its own process,
 * for servers started with JOBS=off. Any number of workers (and servers with JOBS=inline) may run
 * against one MySQL/MariaDB database: jobs are claimed with FOR UPDATE SKIP LOCKED. The server
 * runs the migrations; start it first.
 */
async function main() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule.register({ ...config, bootstrap: false, webhooks: { jobs: 'inline' } }), { bufferLogs: true });
  app.enableShutdownHooks();
  process.stdout.write(`Trade-in API worker running jobs (${config.databaseUrl ? 'MySQL/MariaDB' : `SQLite ${config.sqlitePath}`})\n`);
}

main().catch((e) => {
  console.error(`Worker failed to start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
