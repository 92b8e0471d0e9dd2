import { NestExpressApplication } from '@nestjs/platform-express';
import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { createApiKey, createTenant, createUser } from '../src/auth/keys';
import { Role } from '../src/auth/user.entity';
import { AppConfig } from '../src/config';
import { TxService } from '../src/database/tx.service';
import { contractChecked } from './contract';

export const ENGINE = process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
export const MYSQL_URL = process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';

export interface TenantKeys {
  tenantId: number;
  admin: string;
  manager: string;
  readonly: string;
  adminUserId: number;
  managerUserId: number;
}

export interface TestContext {
  app: NestExpressApplication;
  ds: DataSource;
  a: TenantKeys;
  b: TenantKeys;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
  databaseUrl?: string;
}

/** A fresh database per test file: SQLite in memory, or a new MariaDB database dropped afterwards. */
export async function freshDatabase(): Promise<{ databaseUrl?: string; sqlitePath: string; drop: () => Promise<void> }> {
  if (ENGINE !== 'mysql') return { sqlitePath: ':memory:', drop: () => Promise.resolve() };
  const name = `tradein_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const conn = await createConnection(`${MYSQL_URL}/`);
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  return {
    databaseUrl: `${MYSQL_URL}/${name}`,
    sqlitePath: ':memory:',
    drop: async () => {
      const c = await createConnection(`${MYSQL_URL}/`);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export async function makeTenant(tx: TxService, slug: string): Promise<TenantKeys> {
  return tx.run(async (em) => {
    const tenant = await createTenant(em, `Tenant ${slug}`, slug);
    const keys: Partial<Record<Role, string>> = {};
    const ids: Partial<Record<Role, number>> = {};
    for (const role of ['admin', 'manager', 'readonly'] as Role[]) {
      const user = await createUser(em, tenant.id, `${role}@${slug}.example`, `${role} of ${slug}`, role);
      keys[role] = (await createApiKey(em, user, `${role} key`)).key;
      ids[role] = user.id;
    }
    return { tenantId: tenant.id, admin: keys.admin!, manager: keys.manager!, readonly: keys.readonly!, adminUserId: ids.admin!, managerUserId: ids.manager! };
  });
}

export async function setup(overrides: Partial<AppConfig> = {}): Promise<TestContext> {
  const db = await freshDatabase();
  const { app } = await createApp({
    databaseUrl: db.databaseUrl,
    sqlitePath: db.sqlitePath,
    logLevel: 'silent',
    rateLimit: 1_000_000,
    bootstrap: false,
    // Cheap hashing and budgets out of the way; the tests of budgets and hashing set their own.
    passwordMemoryKib: 1024,
    passwordTimeCost: 1,
    passwordChecksPerIp: 1_000_000,
    loginAccountMaxChecks: 1_000_000,
    authFailuresPerIp: 1_000_000,
    // A locked e-mail's 429 answered at once: the fuzzer's logins lock e-mails, and each held answer would cost it a second (the hardening suite sets its own).
    rejectDelayMs: 0,
    // Totals are asserted everywhere: a count that misses the 300 ms default wait on a loaded machine would drop them
    // (seen once at load average 11); the tests of the wait set their own.
    countWaitMs: 5_000,
    // Programme photos a suite uploads go to the temporary folder, not the project's data/ (suites that look at the files set their own).
    uploadDir: join(tmpdir(), 'trade-in-test-uploads'),
    ...overrides,
    // The job runner only where a test asks for it (or ticks it itself): deterministic suites.
    webhooks: { jobs: 'off', ...overrides.webhooks },
  });
  const tx = app.get(TxService);
  const a = await makeTenant(tx, 'alpha');
  const b = await makeTenant(tx, 'beta');
  const server = app.getHttpServer();
  return {
    app,
    ds: app.get(DataSource),
    a,
    b,
    databaseUrl: db.databaseUrl,
    // Every response is checked against openapi/openapi.json (see contract.ts).
    http: () => contractChecked(request(server)),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Shorthands that send the key and the seed's headers. */
export function client(ctx: TestContext, key: string, accept = 'application/json') {
  const h = (r: request.Test) => r.set('X-API-Key', key).set('Accept', accept);
  return {
    get: (url: string) => h(ctx.http().get(url)),
    post: (url: string, body?: unknown) =>
      h(ctx.http().post(url))
        .set('Content-Type', 'application/json')
        .send(body as object),
    put: (url: string, body?: unknown) =>
      h(ctx.http().put(url))
        .set('Content-Type', 'application/json')
        .send(body as object),
    patch: (url: string, body?: unknown, type = 'application/merge-patch+json') =>
      body === undefined ? h(ctx.http().patch(url)).set('Content-Type', 'application/json') : h(ctx.http().patch(url)).set('Content-Type', type).send(JSON.stringify(body)),
    delete: (url: string) => h(ctx.http().delete(url)),
  };
}

export { assertContract, contractChecked, contractErrors } from './contract';

/** Every error body must be a problem document that names the issue and reveals nothing internal. */
export function expectProblem(res: request.Response, status: number, mention?: string | RegExp): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/at \w+ \(|node_modules|\/work\/|SELECT |INSERT |QueryFailedError|SQLITE_|ER_[A-Z_]+/);
  if (mention) expect(text).toMatch(mention);
}
