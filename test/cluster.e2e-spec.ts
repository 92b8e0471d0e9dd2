import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { runApiKeyCli } from '../src/auth/apikey-cli';
import { API_KEYS_CHANGED } from '../src/auth/auth.service';
import { createApiKey, createUser } from '../src/auth/keys';
import type { Role } from '../src/auth/user.entity';
import { AppConfig } from '../src/config';
import { TxService } from '../src/database/tx.service';
import { publishOnce } from '../src/shared-state/redis-invalidation.bus';
import { DataSource } from 'typeorm';
import { contractChecked, ENGINE, expectProblem, freshDatabase, makeTenant, TenantKeys } from './helpers';
import { dropPrefix, PrivateRedis, TEST_REDIS_URL, testPrefix, waitFor } from './redis';
import { startS3 } from './s3';
import { realJpeg } from './programme-flow';

/**
 * Several instances (issue 18): real HTTP servers of two (and, for the Redis outage, two more)
 * Nest applications on one MariaDB database and one Redis, as behind a load balancer. Each point
 * of the "done when" is shown by requests that go through one instance and are checked on
 * the other. Needs MariaDB and Redis: runs with `npm run test:mysql` (CI).
 */
const describeCluster = ENGINE === 'mysql' && TEST_REDIS_URL ? describe : describe.skip;

const RATE_LIMIT = 8;
const VEHICLE = { make: 'Skoda', model: 'Octavia', regNr: '555SKO', mileage: 90000, firstRegistrationDate: '2019-04-01' };

interface Instance {
  app: NestExpressApplication;
  url: string;
  http: () => Record<'get' | 'post' | 'patch' | 'delete', (path: string) => request.Test>;
}

describeCluster('several instances on MariaDB + Redis', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let s3: Awaited<ReturnType<typeof startS3>>;
  const prefix = testPrefix();
  const uploadDirs: string[] = [];
  const instances: Instance[] = [];
  let A: Instance;
  let B: Instance;
  let ds: DataSource;
  let alpha: TenantKeys;
  let n = 0;
  // Each test is its own client address (the app trusts X-Forwarded-For here), so that the budgets
  // per address (failed authentications, password checks) of one test do not meet another's.
  let addresses = 0;
  const address = () => `198.18.${++addresses >> 8}.${addresses & 255}`;
  let from = address();
  beforeEach(() => (from = address()));

  async function start(overrides: Partial<AppConfig>): Promise<Instance> {
    const uploadDir = mkdtempSync(join(tmpdir(), 'cluster-uploads-'));
    uploadDirs.push(uploadDir);
    // createApp reads TRUST_PROXY from the environment (as main.ts does); only while it runs.
    const trustProxy = process.env.TRUST_PROXY;
    process.env.TRUST_PROXY = 'true';
    const created = createApp({
      databaseUrl: db.databaseUrl,
      logLevel: 'silent',
      bootstrap: false,
      redisUrl: TEST_REDIS_URL,
      redisPrefix: prefix,
      rateLimit: RATE_LIMIT,
      // Long enough that only an invalidation message, never expiry, can explain a fresh answer.
      apiKeyCacheSeconds: 600,
      countCacheSeconds: 600,
      passwordMemoryKib: 1024,
      passwordTimeCost: 1,
      passwordChecksPerIp: 4,
      authFailuresPerIp: 3,
      loginAccountMaxChecks: 1_000_000,
      // Each instance has its own disk: only the object storage can make a photo visible to the other.
      uploadDir,
      photoStorage: 's3',
      s3: s3.config,
      ...overrides,
    });
    const { app } = await created.finally(() => {
      if (trustProxy === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = trustProxy;
    });
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const instance = {
      app,
      url,
      http: () => {
        const agent = contractChecked(request(url));
        return {
          get: (path: string) => agent.get(path).set('X-Forwarded-For', from),
          post: (path: string) => agent.post(path).set('X-Forwarded-For', from),
          patch: (path: string) => agent.patch(path).set('X-Forwarded-For', from),
          delete: (path: string) => agent.delete(path).set('X-Forwarded-For', from),
        };
      },
    };
    instances.push(instance);
    return instance;
  }

  /** A new user and API key of alpha, so that each test has its own rate-limit counters and cache entries. */
  async function newKey(role: Role = 'manager'): Promise<{ key: string; id: number; userId: number }> {
    return A.app.get(TxService).run(async (em) => {
      const user = await createUser(em, alpha.tenantId, `${role}${++n}@alpha.example`, `user ${n}`, role);
      const { key, record } = await createApiKey(em, user, 'cluster test');
      return { key, id: record.id, userId: user.id };
    });
  }

  /** The Redis part of /health (public, and rate limited per address like any route: each call is its own address). */
  const health = async (i: Instance) =>
    (await i.http().get('/health').set('X-Forwarded-For', address()).expect(200)).body.info.redis as { status: string; shared: boolean; invalidationsHeard: boolean };
  const me = (i: Instance, key: string) => i.http().get('/api/v3/users/me').set('X-API-Key', key).set('Accept', 'application/json');

  beforeAll(async () => {
    db = await freshDatabase();
    s3 = await startS3();
    A = await start({});
    B = await start({});
    ds = A.app.get(DataSource);
    alpha = await makeTenant(A.app.get(TxService), 'alpha');
    await waitFor(async () => (await health(B)).invalidationsHeard, 'B hearing invalidations');
  });
  afterAll(async () => {
    for (const i of instances) await i.app.close();
    await s3?.close();
    await db?.drop();
    await dropPrefix(TEST_REDIS_URL!, prefix);
    for (const dir of uploadDirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('revocation', () => {
    it('a key revoked through A is refused by B on the next request', async () => {
      const { key, id } = await newKey();
      await me(B, key).expect(200); // B has the key in its cache now
      await A.http().delete(`/api/v3/api-keys/${id}`).set('X-API-Key', alpha.admin).expect(204);
      expectProblem(await me(B, key), 401, /invalid or has been revoked/);
    });

    it('without a message B would still let it in: a revocation by raw SQL is served from its cache (what the messages fix)', async () => {
      const { key, id } = await newKey();
      await me(B, key).expect(200);
      await ds.query('UPDATE api_keys SET revoked_at = NOW() WHERE id = ?', [id]);
      await me(B, key).expect(200);
      await A.http().delete(`/api/v3/api-keys/${id}`).set('X-API-Key', alpha.admin).expect(204); // revoking again publishes
      expectProblem(await me(B, key), 401);
    });

    it('a user disabled through A is refused by B on the next request', async () => {
      const { key, userId } = await newKey();
      await me(B, key).expect(200);
      await A.http().patch(`/api/v3/users/${userId}`).set('X-API-Key', alpha.admin).set('Content-Type', 'application/merge-patch+json').send({ disabled: true }).expect(200);
      expectProblem(await me(B, key), 401);
    });

    it('a role changed through A applies on B on the next request', async () => {
      const { key, userId } = await newKey('manager');
      await B.http().post('/api/v3/customers').set('X-API-Key', key).set('Accept', 'application/json').send({ lastName: 'Before' }).expect(201);
      await A.http().patch(`/api/v3/users/${userId}`).set('X-API-Key', alpha.admin).set('Content-Type', 'application/merge-patch+json').send({ role: 'readonly' }).expect(200);
      expectProblem(await B.http().post('/api/v3/customers').set('X-API-Key', key).set('Accept', 'application/json').send({ lastName: 'After' }), 403, /read-only/);
    });

    it('a key revoked with the CLI is refused by A and B on the next request', async () => {
      const { key, id } = await newKey();
      await me(A, key).expect(200);
      await me(B, key).expect(200);
      const out: string[] = [];
      const announce = () => publishOnce({ url: TEST_REDIS_URL!, prefix, commandTimeoutMs: 1000 }, API_KEYS_CHANGED);
      expect(await runApiKeyCli(['revoke', String(id)], ds, (s) => out.push(s), announce)).toBe(0);
      expect(out.join('')).toMatch(/stop accepting it at once/);
      expectProblem(await me(A, key), 401);
      expectProblem(await me(B, key), 401);
    });
  });

  describe('limits', () => {
    it(`a rate limit of ${RATE_LIMIT} per window is enforced across A and B together`, async () => {
      const { key } = await newKey();
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT; i++) {
        const res = await (i % 2 ? B : A).http().get('/api/v3/customers').set('X-API-Key', key).set('Accept', 'application/json');
        statuses.push(res.status);
        if (res.status === 200) expect(res.headers['x-ratelimit-remaining']).toBe(String(RATE_LIMIT - i - 1));
        else expectProblem(res, 429);
      }
      expect(statuses).toEqual([...Array(RATE_LIMIT).fill(200), 429]);
    });

    it('the password-check budget of an address is shared: the fifth check through either instance is refused', async () => {
      const from = address();
      const email = `budget${++n}@example.com`;
      await A.http().post('/api/alpha/auth/register').set('X-Forwarded-For', from).send({ email, password: 'correct horse battery', last_name: 'Budget' }).expect(202);
      for (const i of [B, A, B]) await i.http().post('/api/alpha/auth/login').set('X-Forwarded-For', from).send({ email, password: 'correct horse battery' }).expect(200);
      expectProblem(await A.http().post('/api/alpha/auth/login').set('X-Forwarded-For', from).send({ email, password: 'correct horse battery' }), 429, /password checks/);
    });

    it('failed authentications are counted across instances: past the limit the address is refused before any lookup', async () => {
      const from = address();
      for (const i of [A, B, A]) expectProblem(await me(i, 'tik_not-a-real-key-at-all-000000').set('X-Forwarded-For', from), 401);
      expectProblem(await me(B, alpha.admin).set('X-Forwarded-For', from), 429, /failed authentications/);
    });
  });

  describe('caches and storage', () => {
    it('a trade-in created through A is counted at once in B’s hydra:totalItems', async () => {
      const { key } = await newKey();
      const total = async (i: Instance) => (await i.http().get('/api/v3/trade-ins').set('X-API-Key', key).set('Accept', 'application/ld+json').expect(200)).body['hydra:totalItems'] as number;
      const before = await total(B); // cached in B for COUNT_CACHE_SECONDS (600 s)
      await A.http().post('/api/v3/trade-ins').set('X-API-Key', key).set('Accept', 'application/json').send({ vehicleModel: VEHICLE }).expect(201);
      expect(await total(B)).toBe(before + 1);
    });

    it('a photo uploaded through A is served by B', async () => {
      const JPEG = await realJpeg();
      const from = address();
      const email = `photo${++n}@example.com`;
      await A.http().post('/api/alpha/auth/register').set('X-Forwarded-For', from).send({ email, password: 'correct horse battery', last_name: 'Photo' }).expect(202);
      const { token } = (await A.http().post('/api/alpha/auth/login').set('X-Forwarded-For', from).send({ email, password: 'correct horse battery' }).expect(200)).body;
      const uploaded = await A.http()
        .post('/api/alpha/photos')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Forwarded-For', from)
        .attach('photo', JPEG, { filename: 'car.jpg', contentType: 'image/jpeg' })
        .expect(201);
      const served = await B.http().get(`/api/alpha/photos/${uploaded.body.id}`).set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', from).set('Accept', 'image/*').buffer(true).expect(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(Buffer.compare(served.body as Buffer, JPEG)).toBe(0);
    });
  });

  describe('Redis stopped mid-test (a private redis-server)', () => {
    let redis: PrivateRedis;
    let C: Instance;
    let D: Instance;

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      C = await start({ redisUrl: redis.url });
      D = await start({ redisUrl: redis.url });
      await waitFor(async () => (await health(C)).invalidationsHeard && (await health(D)).invalidationsHeard, 'C and D hearing invalidations');
    });
    afterAll(async () => {
      await redis.stop();
    });

    it('revoked keys stay refused and the API keeps answering; sharing resumes when Redis is back', async () => {
      const { key, id } = await newKey();
      const second = await newKey();
      for (const k of [key, second.key]) await me(D, k).expect(200); // cached in D

      await redis.stop();
      await waitFor(async () => !(await health(C)).shared && !(await health(D)).invalidationsHeard, 'C and D noticing');

      // C cannot tell D, and D bypasses its cache: the revocation still takes effect at once.
      await C.http().delete(`/api/v3/api-keys/${id}`).set('X-API-Key', alpha.admin).expect(204);
      expectProblem(await me(D, key), 401);
      expectProblem(await me(C, key), 401);

      // The API keeps answering, reads and writes, on both.
      for (const i of [C, D]) {
        await i.http().get('/api/v3/trade-ins').set('X-API-Key', second.key).set('Accept', 'application/ld+json').expect(200);
        await i.http().post('/api/v3/trade-ins').set('X-API-Key', second.key).set('Accept', 'application/json').send({ vehicleModel: VEHICLE }).expect(201);
      }
      // Rate limits fall back to counting per instance: D alone still stops the key after RATE_LIMIT requests.
      const { key: limited } = await newKey();
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT; i++) statuses.push((await me(D, limited)).status);
      expect(statuses).toEqual([...Array(RATE_LIMIT).fill(200), 429]);

      // An instance started while Redis is down starts, and serves.
      const E = await start({ redisUrl: redis.url });
      expect(await health(E)).toMatchObject({ status: 'up', shared: false, invalidationsHeard: false });
      await me(E, second.key).expect(200);
      expectProblem(await me(E, key), 401);

      await redis.start();
      await waitFor(async () => (await health(C)).shared && (await health(D)).invalidationsHeard && (await health(E)).invalidationsHeard, 'C, D and E on Redis', 15_000);
      const third = await newKey();
      await me(D, third.key).expect(200);
      await C.http().delete(`/api/v3/api-keys/${third.id}`).set('X-API-Key', alpha.admin).expect(204);
      expectProblem(await me(D, third.key), 401);
    });
  });
});
