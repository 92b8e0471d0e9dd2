/**
 * Security: tenant isolation on every documented route (ids and IRIs of the other tenant in paths,
 * bodies and filters), authentication failures, hashed key storage, body limit, rate limiting,
 * security headers, and no internals in error bodies. Every response also passes the contract check.
 */
import { createHash } from 'node:crypto';
import { openapi } from './contract';
import { client, expectProblem, setup, TestContext } from './helpers';

let ctx: TestContext;
const B: Record<string, number> = {};
let aTradeIn: number;
let aCustomer: number;

/** Every row of tenant B, to prove that nothing the attacker did changed it. */
async function tenantBSnapshot(): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const table of [
    'customers',
    'locations',
    'trade_ins',
    'trade_in_pictures',
    'trade_in_comments',
    'trade_in_status_changes',
    'users',
    'idempotency_keys',
    'webhook_subscriptions',
    'webhook_deliveries',
    'outbox_events',
  ]) {
    out[table] = await ctx.ds.query(`SELECT * FROM ${table} WHERE tenant_id = ${ctx.b.tenantId} ORDER BY id`);
  }
  out.api_keys = await ctx.ds.query(`SELECT id, user_id, name, prefix, key_hash, revoked_at FROM api_keys WHERE tenant_id = ${ctx.b.tenantId} ORDER BY id`);
  return JSON.stringify(out);
}

beforeAll(async () => {
  ctx = await setup();
  const b = client(ctx, ctx.b.admin);
  B.customers = (await b.post('/api/v3/customers', { lastName: 'Secret B' }).expect(201)).body.id;
  B.locations = (await b.post('/api/v3/locations', { name: 'B dealership' }).expect(201)).body.id;
  B['trade-ins'] = (await b.post('/api/v3/trade-ins', { customer: `/api/v3/customers/${B.customers}`, dealership: `/api/v3/locations/${B.locations}`, note: 'B note' }).expect(201)).body.id;
  B.pictures = (await b.post(`/api/v3/trade-ins/${B['trade-ins']}/pictures`, [{ url: 'https://b.example/1', pictureType: '/api/v3/picture-types/odometer' }]).expect(200)).body[0].id;
  B.comments = (await b.post(`/api/v3/trade-ins/${B['trade-ins']}/comments`, [{ comment: 'B comment' }]).expect(200)).body[0].id;
  B.users = ctx.b.managerUserId;
  B['api-keys'] = Number((await ctx.ds.query(`SELECT id FROM api_keys WHERE tenant_id = ${ctx.b.tenantId} ORDER BY id LIMIT 1`))[0].id);
  B.webhooks = (await b.post('/api/v3/webhooks', { url: 'https://93.184.216.34/b-hook', description: 'Secret B' }).expect(201)).body.id;
  const event = Number((await ctx.ds.query(`SELECT id FROM outbox_events WHERE tenant_id = ${ctx.b.tenantId} ORDER BY id LIMIT 1`))[0].id);
  await ctx.ds.query(
    `INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, event_type, trade_in_id, status, attempts, next_attempt_at, locked_until, created_at, delivered_at) VALUES (?, ?, ?, 'customer.created', NULL, 'delivered', 1, '2024-01-01 00:00:00.000', NULL, '2024-01-01 00:00:00.000', '2024-01-01 00:00:00.000')`,
    [ctx.b.tenantId, B.webhooks, event],
  );
  B.deliveries = Number((await ctx.ds.query(`SELECT id FROM webhook_deliveries WHERE tenant_id = ${ctx.b.tenantId} ORDER BY id LIMIT 1`))[0].id);
  const a = client(ctx, ctx.a.admin);
  aCustomer = (await a.post('/api/v3/customers', { lastName: 'A' }).expect(201)).body.id;
  aTradeIn = (await a.post('/api/v3/trade-ins', { note: 'A note' }).expect(201)).body.id;
});
afterAll(() => ctx.close());

/** A body each write route accepts, so that only the foreign id can make it fail. */
function validBody(template: string, method: string): unknown {
  if (template.endsWith('/pictures')) return [{ url: 'https://a.example/x' }];
  if (template.endsWith('/comments')) return [{ comment: 'from A' }];
  if (template.endsWith('/status/{slug}')) return { rejectReason: 'other' };
  if (template.startsWith('/api/v3/customers')) return { lastName: 'Hacked' };
  if (template.startsWith('/api/v3/locations')) return { name: 'Hacked' };
  if (template.endsWith('/password')) return { password: 'a valid new password' };
  if (template.startsWith('/api/v3/users')) return { name: 'Hacked' };
  if (template.startsWith('/api/v3/webhooks')) return method === 'patch' ? { description: 'Hacked' } : {};
  if (method === 'patch') return { note: 'Hacked' };
  return {};
}

// The dealer API (/api/v3); the programme's own cross-tenant checks are in upgrade.e2e-spec.ts (customer/tenant isolation).
const withForeignIds = Object.entries(openapi.paths)
  .filter(([template]) => template.startsWith('/api/v3/'))
  .flatMap(([template, ops]) =>
    Object.keys(ops)
      .filter(() => /\{(id|pictureId|commentId)\}/.test(template))
      .map((method) => [method.toUpperCase(), template] as const),
  );

describe("the other tenant's ids in paths: 404 on every route, nothing changes", () => {
  it('covers every documented route with an id', () => {
    expect(withForeignIds.length).toBeGreaterThanOrEqual(15);
  });

  it.each(withForeignIds)('%s %s', async (method, template) => {
    const before = await tenantBSnapshot();
    const path = template
      .replace('{id}', String(B[template.split('/')[3]]))
      .replace('{pictureId}', String(B.pictures))
      .replace('{commentId}', String(B.comments))
      .replace('{deliveryId}', String(B.deliveries))
      .replace('{slug}', 'no-deal');
    expect(path).not.toMatch(/[{}]|undefined/); // every placeholder filled with a real id of tenant B
    const a = client(ctx, ctx.a.admin);
    const m = method.toLowerCase();
    const put = () =>
      ctx
        .http()
        .put(path)
        .set('X-API-Key', ctx.a.admin)
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/json')
        .send(validBody(template, m) as object);
    const res =
      m === 'get'
        ? await a.get(path)
        : m === 'delete'
          ? await a.delete(path)
          : m === 'post'
            ? await a.post(path, validBody(template, m))
            : m === 'put'
              ? await put()
              : await a.patch(path, validBody(template, m));
    expectProblem(res, 404);
    expect(JSON.stringify(res.body)).not.toMatch(/Secret B|B note|B comment|B dealership/);
    expect(await tenantBSnapshot()).toBe(before);
  });

  it('own sub-resources of a foreign parent are not reachable either (own trade-in, foreign picture/comment ids)', async () => {
    const a = client(ctx, ctx.a.admin);
    expectProblem(await a.get(`/api/v3/trade-ins/${aTradeIn}/pictures/${B.pictures}`), 404);
    expectProblem(await a.get(`/api/v3/trade-ins/${aTradeIn}/comments/${B.comments}`), 404);
  });
});

describe("the other tenant's IRIs in bodies: 400 naming the field, nothing stored", () => {
  it.each([
    ['POST', '/api/v3/trade-ins', 'customer', () => ({ customer: `/api/v3/customers/${B.customers}` })],
    ['POST', '/api/v3/trade-ins', 'dealership', () => ({ dealership: `/api/v3/locations/${B.locations}` })],
    ['PATCH', '/api/v3/trade-ins/{a}', 'customer', () => ({ customer: `/api/v3/customers/${B.customers}` })],
    ['PATCH', '/api/v3/trade-ins/{a}', 'dealership', () => ({ dealership: `/api/v3/locations/${B.locations}` })],
    ['POST', '/api/v3/api-keys', 'user', () => ({ user: `/api/v3/users/${B.users}`, name: 'steal' })],
  ])('%s %s with a foreign %s', async (method, template, field, body) => {
    const before = await tenantBSnapshot();
    const aRows = JSON.stringify(await ctx.ds.query(`SELECT id, customer_id, dealership_id, version FROM trade_ins WHERE tenant_id = ${ctx.a.tenantId} ORDER BY id`));
    const aKeys = Number((await ctx.ds.query('SELECT COUNT(*) AS n FROM api_keys'))[0].n);
    const a = client(ctx, ctx.a.admin);
    const path = template.replace('{a}', String(aTradeIn));
    const res = method === 'POST' ? await a.post(path, body()) : await a.patch(path, body());
    expectProblem(res, 400, new RegExp(field));
    expect(await tenantBSnapshot()).toBe(before);
    expect(JSON.stringify(await ctx.ds.query(`SELECT id, customer_id, dealership_id, version FROM trade_ins WHERE tenant_id = ${ctx.a.tenantId} ORDER BY id`))).toBe(aRows);
    expect(Number((await ctx.ds.query('SELECT COUNT(*) AS n FROM api_keys'))[0].n)).toBe(aKeys);
  });
});

describe("the other tenant's ids in filters: absent from results and counts", () => {
  it.each([
    ['/api/v3/trade-ins?customer={customers}'],
    ['/api/v3/trade-ins?customer=/api/v3/customers/{customers}'],
    ['/api/v3/trade-ins?customer[]={customers}&customer[]=/api/v3/customers/{customers}'],
    ['/api/v3/trade-ins?dealership={locations}'],
    ['/api/v3/trade-ins?note=B%20note'],
    ['/api/v3/customers?lastName=Secret'],
    ['/api/v3/locations?name=B%20dealership'],
    ['/api/v3/users?email=manager@beta.example'],
  ])('%s', async (template) => {
    const url = template.replace(/\{(\w+)\}/g, (_, k) => String(B[k]));
    const plain = await client(ctx, ctx.a.admin).get(url).expect(200);
    expect(plain.body).toEqual([]);
    expect(plain.headers['x-total-count']).toBe('0');
    const ld = await client(ctx, ctx.a.admin, 'application/ld+json').get(url).expect(200);
    expect(ld.body['hydra:totalItems']).toBe(0);
  });

  it('collections and counts of A never include B', async () => {
    for (const path of ['/api/v3/trade-ins', '/api/v3/customers', '/api/v3/locations', '/api/v3/users', '/api/v3/api-keys']) {
      const res = await client(ctx, ctx.a.admin).get(`${path}?itemsPerPage=100`).expect(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/Secret B|B note|B dealership|beta\.example/);
    }
  });
});

describe('authentication', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['short', 'tik_'],
    ['unknown', 'tik_' + 'A'.repeat(43)],
    ['truncated valid key', 'TRUNCATE'],
    ['valid key plus a character', 'PLUS'],
    ['case-changed valid key', 'UPPER'],
    ['very long', 'tik_' + 'x'.repeat(4000)],
    ['SQL injection', "tik_' OR '1'='1' --"],
  ])('401 for a %s key', async (_label, raw) => {
    const key = raw === 'TRUNCATE' ? ctx.a.admin.slice(0, -1) : raw === 'PLUS' ? `${ctx.a.admin}x` : raw === 'UPPER' ? ctx.a.admin.toUpperCase() : raw;
    let req = ctx.http().get('/api/v3/customers').set('Accept', 'application/json');
    if (key !== undefined) req = req.set('X-API-Key', key);
    expectProblem(await req, 401, /X-API-Key|invalid or has been revoked/);
  });

  it('a revoked key and a disabled user get 401', async () => {
    const admin = client(ctx, ctx.a.admin);
    const user = (await admin.post('/api/v3/users', { email: 'temp@alpha.example', name: 'Temp', role: 'manager' }).expect(201)).body;
    const k1 = (await admin.post('/api/v3/api-keys', { user: user.iri, name: 'k1' }).expect(201)).body;
    const k2 = (await admin.post('/api/v3/api-keys', { user: user.iri, name: 'k2' }).expect(201)).body;
    await client(ctx, k1.key).get('/api/v3/customers').expect(200);
    await admin.delete(`/api/v3/api-keys/${k1.id}`).expect(204);
    expectProblem(await client(ctx, k1.key).get('/api/v3/customers'), 401);
    await client(ctx, k2.key).get('/api/v3/customers').expect(200);
    await admin.patch(`/api/v3/users/${user.id}`, { disabled: true }).expect(200);
    expectProblem(await client(ctx, k2.key).get('/api/v3/customers'), 401);
  });

  it('keys are stored only as SHA-256 hashes: no column of api_keys holds a key', async () => {
    const created = (
      await client(ctx, ctx.a.admin)
        .post('/api/v3/api-keys', { user: `/api/v3/users/${ctx.a.managerUserId}`, name: 'hash check' })
        .expect(201)
    ).body;
    const rows = await ctx.ds.query<Record<string, unknown>[]>('SELECT * FROM api_keys');
    const dump = JSON.stringify(rows);
    for (const key of [ctx.a.admin, ctx.a.manager, ctx.a.readonly, ctx.b.admin, ctx.b.manager, ctx.b.readonly, created.key as string]) {
      expect(dump).not.toContain(key.slice(4)); // the secret part, in any column
      expect(rows.map((r) => r.key_hash)).toContain(createHash('sha256').update(key).digest('hex'));
    }
    for (const r of rows) expect(String(r.key_hash)).toMatch(/^[0-9a-f]{64}$/);
    // The listing shows prefixes only.
    const listed = await client(ctx, ctx.a.admin).get('/api/v3/api-keys').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.key.slice(12));
  });
});

describe('limits, headers and error bodies', () => {
  const writes = Object.entries(openapi.paths).flatMap(([template, ops]) =>
    Object.keys(ops)
      .filter((m) => m === 'post' || m === 'patch')
      .map((m) => [m.toUpperCase(), template] as const),
  );

  it.each(writes)('413 for a body over the limit: %s %s', async (method, template) => {
    const path = template.replace('{id}', String(template.includes('customers') ? aCustomer : aTradeIn)).replace('{slug}', 'draft');
    const big = template.endsWith('/pictures') || template.endsWith('/comments') ? [{ comment: 'x'.repeat(2_000_000) }] : { note: 'x'.repeat(2_000_000) };
    const a = client(ctx, ctx.a.admin);
    const res = method === 'POST' ? await a.post(path, big) : await a.patch(path, big);
    expectProblem(res, 413, /larger than/);
  });

  it('security headers on successes and on errors', async () => {
    const responses = [
      await client(ctx, ctx.a.admin).get('/api/v3/customers'),
      await client(ctx, ctx.a.admin).get('/api/v3/customers/999999'),
      await ctx.http().get('/api/v3/customers'),
      await ctx.http().get('/no/such/route'),
      await client(ctx, ctx.a.admin).post('/api/v3/customers').set('Content-Type', 'application/json').send('{bad'),
    ];
    for (const res of responses) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      // Over plain http no HSTS (see integrators.e2e-spec.ts for the transport rule).
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('no stack, SQL or paths in any error body', async () => {
    const a = client(ctx, ctx.a.admin);
    const responses = [
      await a.get("/api/v3/trade-ins?order[id]=ASC'&purchasePrice[gte]=1 OR 1=1"),
      await a.get('/api/v3/trade-ins?createdAt[after]=2024-99-99'),
      await a.get('/api/v3/trade-ins?properties[]=__proto__'),
      await a.get('/api/v3/customers/%E0%A4%A'),
      await a.post('/api/v3/customers', { lastName: 'x'.repeat(1000) }),
      await a.post('/api/v3/trade-ins', { purchasePrice: 7e-323, vehicleModel: { mileage: -1 } }),
      await a.post('/api/v3/users', { email: 'admin@alpha.example', name: 'dup', role: 'admin' }),
      await a.delete(`/api/v3/customers/${aCustomer}`).set('If-Match', '"999"'),
      await a.post('/api/v3/customers').set('Content-Type', 'application/json; charset=utf-16').send('{"lastName":"x"}'),
    ];
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectProblem(res, res.status);
    }
  });
});

describe('rate limiting', () => {
  let limited: TestContext;
  beforeAll(async () => {
    limited = await setup({ rateLimit: 5 });
  });
  afterAll(() => limited.close());

  it('429 with Retry-After once a key exceeds its budget; other keys are unaffected', async () => {
    const a = client(limited, limited.a.manager);
    for (let i = 0; i < 5; i++) await a.get('/api/v3/customers').expect(200);
    const res = await a.get('/api/v3/customers');
    expectProblem(res, 429, /Retry-After/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await client(limited, limited.b.manager).get('/api/v3/customers').expect(200);
  });
});
