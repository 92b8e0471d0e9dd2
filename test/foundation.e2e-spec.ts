import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKey } from '../src/auth/api-key.entity';
import { buildDocument } from '../src/app.factory';
import { client, expectProblem, setup, TestContext } from './helpers';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setup();
});
afterAll(() => ctx.close());

describe('auth', () => {
  it('401 without a key, with an unknown key and with a revoked key', async () => {
    expectProblem(await ctx.http().get('/api/v3/customers'), 401, /X-API-Key/);
    expectProblem(await ctx.http().get('/api/v3/customers').set('X-API-Key', 'tik_not-a-real-key-at-all-000000'), 401, /invalid or has been revoked/);
    const admin = client(ctx, ctx.a.admin);
    const created = await admin.post('/api/v3/api-keys', { user: `/api/v3/users/${ctx.a.managerUserId}`, name: 'temp' }).expect(201);
    expect(created.body.key).toMatch(/^tik_/);
    await client(ctx, created.body.key).get('/api/v3/customers').expect(200);
    await admin.delete(`/api/v3/api-keys/${created.body.id}`).expect(204);
    expectProblem(await client(ctx, created.body.key).get('/api/v3/customers'), 401);
  });

  it('stores keys only as SHA-256 hashes', async () => {
    const rows = await ctx.ds.getRepository(ApiKey).find();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect([ctx.a.admin, ctx.a.manager, ctx.b.admin]).not.toContain(r.keyHash);
    }
    const raw = JSON.stringify(await ctx.ds.query('SELECT * FROM api_keys'));
    expect(raw).not.toContain(ctx.a.admin.slice(4));
  });

  it('readonly may read but gets 403 on every write', async () => {
    const ro = client(ctx, ctx.a.readonly);
    await ro.get('/api/v3/customers').expect(200);
    expectProblem(await ro.post('/api/v3/customers', { lastName: 'X' }), 403, /read-only/);
    expectProblem(await ro.post('/api/v3/trade-ins', {}), 403);
    expectProblem(await ro.patch('/api/v3/trade-ins/1', {}), 403);
    expectProblem(await ro.delete('/api/v3/customers/1'), 403);
  });

  it('admin-only routes refuse managers', async () => {
    const m = client(ctx, ctx.a.manager);
    expectProblem(await m.post('/api/v3/locations', { name: 'X' }), 403, /admin/);
    expectProblem(await m.get('/api/v3/users'), 403);
    expectProblem(await m.get('/api/v3/api-keys'), 403);
  });

  it('users/me tells who the key acts as, and lastUsedAt is recorded', async () => {
    const res = await client(ctx, ctx.a.manager).get('/api/v3/users/me').expect(200);
    expect(res.body).toMatchObject({ id: ctx.a.managerUserId, role: 'manager', iri: `/api/v3/users/${ctx.a.managerUserId}` });
    const keys = await client(ctx, ctx.a.admin).get('/api/v3/api-keys').expect(200);
    const managerKey = keys.body.find((k: { user: { id: number } }) => k.user.id === ctx.a.managerUserId);
    expect(managerKey.prefix).toBe(ctx.a.manager.slice(0, 12));
    expect(managerKey).not.toHaveProperty('key');
    await new Promise((r) => setTimeout(r, 100));
    const again = await client(ctx, ctx.a.admin).get('/api/v3/api-keys').expect(200);
    expect(again.body.find((k: { id: number }) => k.id === managerKey.id).lastUsedAt).toEqual(expect.any(String));
  });

  it('admin creates users; duplicate e-mail is 409; bad role is 422', async () => {
    const admin = client(ctx, ctx.a.admin);
    const u = await admin.post('/api/v3/users', { email: 'new@alpha.example', name: 'New', role: 'manager' }).expect(201);
    expect(u.headers.location).toBe(`/api/v3/users/${u.body.id}`);
    expectProblem(await admin.post('/api/v3/users', { email: 'new@alpha.example', name: 'New', role: 'manager' }), 409);
    const bad = await admin.post('/api/v3/users', { email: 'x', name: '', role: 'boss' });
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['email', 'name', 'role']);
  });
});

describe('formats', () => {
  it('JSON-LD is the default; items carry @context, @id, @type', async () => {
    const c = await client(ctx, ctx.a.manager).post('/api/v3/customers', { firstName: 'Mari', lastName: 'Tamm' }).expect(201);
    const res = await ctx.http().get(`/api/v3/customers/${c.body.id}`).set('X-API-Key', ctx.a.manager).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.body).toMatchObject({ '@context': '/api/v3/contexts/Customer', '@id': `/api/v3/customers/${c.body.id}`, '@type': 'Customer', lastName: 'Tamm' });
    const star = await ctx.http().get(`/api/v3/customers/${c.body.id}`).set('X-API-Key', ctx.a.manager).set('Accept', '*/*').expect(200);
    expect(star.body['@type']).toBe('Customer');
  });

  it('plain JSON items carry id and iri and no JSON-LD keys', async () => {
    const res = await client(ctx, ctx.a.manager).get('/api/v3/customers').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body[0]).toHaveProperty('iri');
    expect(res.body[0]).not.toHaveProperty('@id');
  });

  it('406 for formats we cannot produce', async () => {
    const res = await ctx.http().get('/api/v3/customers').set('X-API-Key', ctx.a.manager).set('Accept', 'text/csv');
    expectProblem(res, 406, /application\/ld\+json/);
  });

  it('errors are problem+json for JSON callers and hydra:Error for JSON-LD callers', async () => {
    const plain = await client(ctx, ctx.a.manager).get('/api/v3/customers/999999');
    expectProblem(plain, 404);
    expect(plain.headers['content-type']).toMatch(/^application\/problem\+json/);
    const ld = await ctx.http().get('/api/v3/customers/999999').set('X-API-Key', ctx.a.manager);
    expectProblem(ld, 404);
    expect(ld.body['@type']).toBe('hydra:Error');
  });
});

describe('collections', () => {
  beforeAll(async () => {
    const m = client(ctx, ctx.a.manager);
    for (let i = 1; i <= 35; i++) await m.post('/api/v3/customers', { firstName: `F${i}`, lastName: `Page${String(i).padStart(2, '0')}` }).expect(201);
  });

  it('hydra collection with totalItems and view links', async () => {
    const res = await ctx.http().get('/api/v3/customers?lastName=Page&itemsPerPage=10&page=2').set('X-API-Key', ctx.a.manager).expect(200);
    expect(res.body['@type']).toBe('hydra:Collection');
    expect(res.body['hydra:totalItems']).toBe(35);
    expect(res.body['hydra:member']).toHaveLength(10);
    expect(res.body['hydra:member'][0]['@type']).toBe('Customer');
    const view = res.body['hydra:view'];
    expect(view['@type']).toBe('hydra:PartialCollectionView');
    expect(view['hydra:first']).toContain('page=1');
    expect(view['hydra:last']).toContain('page=4');
    expect(view['hydra:previous']).toContain('page=1');
    expect(view['hydra:next']).toContain('page=3');
    expect(view['hydra:next']).toContain('lastName=Page');
  });

  it('plain JSON collection: bare array, X-Total-Count and Link', async () => {
    const res = await client(ctx, ctx.a.manager).get('/api/v3/customers?lastName=Page&itemsPerPage=10&page=4').expect(200);
    expect(res.body).toHaveLength(5);
    expect(res.headers['x-total-count']).toBe('35');
    expect(res.headers.link).toContain('rel="first"');
    expect(res.headers.link).toContain('rel="prev"');
    expect(res.headers.link).not.toContain('rel="next"');
  });

  it('page links keep brackets readable and are safe for headers whatever the parameter names', async () => {
    const ld = await ctx.http().get('/api/v3/customers?lastName=Page&order[lastName]=asc&itemsPerPage=10').set('X-API-Key', ctx.a.manager).expect(200);
    expect(ld.body['hydra:view']['hydra:next']).toBe('/api/v3/customers?lastName=Page&order[lastName]=asc&itemsPerPage=10&page=2');
    const res = await client(ctx, ctx.a.manager)
      .get(`/api/v3/customers?lastName=Page&itemsPerPage=10&${encodeURIComponent('nöme[ü]')}=${encodeURIComponent('ä b')}`)
      .expect(200);
    expect(res.headers.link).toContain('n%C3%B6me[%C3%BC]=%C3%A4%20b');
    expect(res.headers.link).toMatch(/^[\x20-\x7e]+$/);
  });

  it('default page size 30 and id descending', async () => {
    const res = await client(ctx, ctx.a.manager).get('/api/v3/customers?lastName=Page').expect(200);
    expect(res.body).toHaveLength(30);
    const ids = res.body.map((c: { id: number }) => c.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
  });

  it.each([['page=0'], ['page=-1'], ['page=abc'], ['itemsPerPage=0'], ['itemsPerPage=101'], ['itemsPerPage=1e3'], ['page[]=1']])('400 for %s', async (qs) => {
    expectProblem(await client(ctx, ctx.a.manager).get(`/api/v3/customers?${qs}`), 400, /page|itemsPerPage/);
  });

  it('order[...] in the order given, case-insensitive; bad direction 400; unknown field ignored', async () => {
    const res = await client(ctx, ctx.a.manager).get('/api/v3/customers?lastName=Page&order[lastName]=asc&itemsPerPage=3').expect(200);
    expect(res.body.map((c: { lastName: string }) => c.lastName)).toEqual(['Page01', 'Page02', 'Page03']);
    expectProblem(await client(ctx, ctx.a.manager).get('/api/v3/customers?order[lastName]=sideways'), 400, /order\[lastName\]/);
    await client(ctx, ctx.a.manager).get('/api/v3/customers?order[nope]=asc').expect(200);
  });

  it('properties[] returns only the selected fields', async () => {
    const res = await client(ctx, ctx.a.manager).get('/api/v3/customers?properties[]=id&properties[]=lastName&itemsPerPage=2').expect(200);
    expect(Object.keys(res.body[0]).sort()).toEqual(['id', 'lastName']);
    const ld = await ctx.http().get('/api/v3/customers?properties[]=lastName&itemsPerPage=1').set('X-API-Key', ctx.a.manager).expect(200);
    expect(Object.keys(ld.body['hydra:member'][0]).sort()).toEqual(['@id', '@type', 'lastName']);
  });

  it('a GET with a form-encoded body is read as query parameters', async () => {
    const res = await client(ctx, ctx.a.manager)
      .get('/api/v3/customers')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('order[lastName]=DESC&lastName=Page&itemsPerPage=2&properties[]=lastName')
      .expect(200);
    expect(res.body).toEqual([{ lastName: 'Page35' }, { lastName: 'Page34' }]);
  });

  it('partial pagination skips the count and links by cursor, with neither first nor last', async () => {
    const get = (url: string) => ctx.http().get(url).set('X-API-Key', ctx.a.manager).expect(200);
    const res = await get('/api/v3/customers?lastName=Page&partial=true&itemsPerPage=30');
    expect(res.body).not.toHaveProperty('hydra:totalItems');
    const view = res.body['hydra:view'];
    expect(view).not.toHaveProperty('hydra:first');
    expect(view).not.toHaveProperty('hydra:last');
    expect(view).not.toHaveProperty('hydra:previous');
    expect(view['hydra:next']).toMatch(/^\/api\/v3\/customers\?lastName=Page&partial=true&itemsPerPage=30&cursor=[A-Za-z0-9_-]+$/);
    const rest = await get(view['hydra:next']);
    expect(rest.body['hydra:member']).toHaveLength(5);
    expect(rest.body['hydra:view']).not.toHaveProperty('hydra:next');
    const back = await get(rest.body['hydra:view']['hydra:previous']);
    expect(back.body['hydra:member'].map((c: { id: number }) => c.id)).toEqual(res.body['hydra:member'].map((c: { id: number }) => c.id));
  });
});

describe('writes', () => {
  it('POST 201 + Location; PATCH merge (null clears); DELETE 204', async () => {
    const m = client(ctx, ctx.a.manager);
    const c = await m.post('/api/v3/customers', { firstName: 'A', lastName: 'B', email: 'a@b.example', unknownField: 1 }).expect(201);
    expect(c.headers.location).toBe(`/api/v3/customers/${c.body.id}`);
    expect(c.body).not.toHaveProperty('unknownField');
    const p = await m.patch(`/api/v3/customers/${c.body.id}`, { email: null, phone: '+372 555' }).expect(200);
    expect(p.body).toMatchObject({ firstName: 'A', lastName: 'B', email: null, phone: '+372 555' });
    await m.patch(`/api/v3/customers/${c.body.id}`, { firstName: 'AA' }, 'application/json').expect(200);
    await m.delete(`/api/v3/customers/${c.body.id}`).expect(204);
    expectProblem(await m.get(`/api/v3/customers/${c.body.id}`), 404);
  });

  it('415 for PATCH and POST bodies in other media types', async () => {
    const m = client(ctx, ctx.a.manager);
    const c = await m.post('/api/v3/customers', { lastName: 'T' }).expect(201);
    expectProblem(await m.patch(`/api/v3/customers/${c.body.id}`, { lastName: 'X' }, 'text/plain'), 415, /merge-patch/);
    expectProblem(await m.post('/api/v3/customers').set('Content-Type', 'application/xml').send('<x/>'), 415);
  });

  it('ETag and If-Match: 412 on a stale version', async () => {
    const m = client(ctx, ctx.a.manager);
    const c = await m.post('/api/v3/customers', { lastName: 'Etag' }).expect(201);
    const etag = c.headers.etag;
    expect(etag).toBe('"1"');
    const p = await m.patch(`/api/v3/customers/${c.body.id}`, { lastName: 'Etag2' }).set('If-Match', etag).expect(200);
    expect(p.headers.etag).toBe('"2"');
    expectProblem(await m.patch(`/api/v3/customers/${c.body.id}`, { lastName: 'Etag3' }).set('If-Match', etag), 412);
    expectProblem(await m.delete(`/api/v3/customers/${c.body.id}`).set('If-Match', etag), 412);
    await m.delete(`/api/v3/customers/${c.body.id}`).set('If-Match', p.headers.etag).expect(204);
  });

  it('Idempotency-Key: a retry returns the first result; another body with the key is 422', async () => {
    const m = client(ctx, ctx.a.manager);
    const first = await m.post('/api/v3/customers', { lastName: 'Idem' }).set('Idempotency-Key', 'k-123').expect(201);
    const retry = await m.post('/api/v3/customers', { lastName: 'Idem' }).set('Idempotency-Key', 'k-123').expect(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.location).toBe(first.headers.location);
    const list = await m.get('/api/v3/customers?lastName=Idem').expect(200);
    expect(list.body).toHaveLength(1);
    expectProblem(await m.post('/api/v3/customers', { lastName: 'Other' }).set('Idempotency-Key', 'k-123'), 422, /Idempotency-Key/);
    // keys are per tenant
    await client(ctx, ctx.b.manager).post('/api/v3/customers', { lastName: 'Idem' }).set('Idempotency-Key', 'k-123').expect(201);
  });
});

describe('garbage in → 4xx naming the problem, never 5xx', () => {
  it('malformed JSON → 400', async () => {
    const res = await ctx.http().post('/api/v3/customers').set('X-API-Key', ctx.a.manager).set('Content-Type', 'application/json').send('{"lastName": "x"');
    expectProblem(res, 400, /JSON/);
  });
  it('a JSON array or scalar where an object is expected → 400', async () => {
    expectProblem(await client(ctx, ctx.a.manager).post('/api/v3/customers', [1, 2]), 400, /object/);
    const scalar = await ctx.http().post('/api/v3/customers').set('X-API-Key', ctx.a.manager).set('Content-Type', 'application/json').send('"x"');
    expect(scalar.status).toBe(400);
  });
  it('wrong types → 422 naming each field', async () => {
    const res = await client(ctx, ctx.a.manager).post('/api/v3/customers', { lastName: 42, email: ['x'], phone: { a: 1 } });
    expectProblem(res, 422);
    expect(new Set(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath))).toEqual(new Set(['lastName', 'email', 'phone']));
  });
  it('huge strings → 422 too_long; bodies over the limit → 413', async () => {
    const res = await client(ctx, ctx.a.manager).post('/api/v3/customers', { lastName: 'x'.repeat(5000) });
    expectProblem(res, 422, /lastName/);
    expect(res.body.violations[0].code).toBe('too_long');
    expectProblem(await client(ctx, ctx.a.manager).post('/api/v3/customers', { lastName: 'x'.repeat(2_000_000) }), 413);
  });
  it('prototype pollution keys are dropped', async () => {
    const res = await ctx
      .http()
      .post('/api/v3/customers')
      .set('X-API-Key', ctx.a.manager)
      .set('Content-Type', 'application/json')
      .send('{"lastName":"Proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')
      .expect(201);
    expect(res.body.lastName).toBe('Proto');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('non-numeric and out-of-range ids → 404', async () => {
    expectProblem(await client(ctx, ctx.a.manager).get('/api/v3/customers/abc'), 404);
    expectProblem(await client(ctx, ctx.a.manager).get('/api/v3/customers/99999999999'), 404);
    expectProblem(await client(ctx, ctx.a.manager).get('/api/v3/nothing-here'), 404, /No route/);
  });
});

describe('catalogue, operations and docs', () => {
  it('reject reasons catalogue', async () => {
    const res = await client(ctx, ctx.a.readonly).get('/api/v3/reject-reasons').expect(200);
    expect(res.body.map((r: { code: string }) => r.code)).toContain('price_too_low');
    await client(ctx, ctx.a.readonly).get('/api/v3/reject-reasons/price_too_low').expect(200);
    expectProblem(await client(ctx, ctx.a.readonly).get('/api/v3/reject-reasons/nope'), 404);
  });

  it('health needs no key and checks the database', async () => {
    const res = await ctx.http().get('/health').expect(200);
    expect(res.body.info.database.status).toBe('up');
  });

  it('security and rate-limit headers are set', async () => {
    const res = await client(ctx, ctx.a.manager).get('/api/v3/customers').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-ratelimit-limit']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('Swagger UI and the OpenAPI document are served, and equal the committed openapi/openapi.json', async () => {
    const ui = await ctx.http().get('/api/docs/').expect(200);
    expect(ui.text).toContain('swagger');
    const served = await ctx.http().get('/api/docs.json').expect(200);
    expect(served.body.openapi).toBe('3.1.0');
    expect(served.body.components.securitySchemes.ApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
    expect(served.body).toEqual(committed);
    expect(buildDocument(ctx.app)).toEqual(committed);
  });

  it('every DTO property in the document has a description and an example', () => {
    const doc = buildDocument(ctx.app) as {
      components: { schemas: Record<string, { properties?: Record<string, { description?: string; example?: unknown; $ref?: string; allOf?: unknown; anyOf?: unknown; items?: { $ref?: string } }> }> };
    };
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const [prop, def] of Object.entries(schema.properties ?? {})) {
        const isRef = def.$ref || def.allOf || def.anyOf || def.items?.$ref;
        if (!def.description) missing.push(`${name}.${prop} (description)`);
        if (!isRef && def.example === undefined) missing.push(`${name}.${prop} (example)`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('idempotency key retention', () => {
  it('purges keys older than 24 hours and keeps newer ones', async () => {
    const { IdempotencyService } = await import('../src/database/idempotency.service');
    const m = client(ctx, ctx.a.manager);
    await m.post('/api/v3/customers', { lastName: 'Retained' }).set('Idempotency-Key', 'retain-1').expect(201);
    const svc = ctx.app.get(IdempotencyService);
    expect(await svc.purge(Date.now())).toBe(0);
    expect(await svc.purge(Date.now() + 25 * 3600_000)).toBeGreaterThan(0);
    // the key is free again: a new request with it creates a new resource
    const again = await m.post('/api/v3/customers', { lastName: 'Retained' }).set('Idempotency-Key', 'retain-1').expect(201);
    const list = await m.get('/api/v3/customers?lastName=Retained').expect(200);
    expect(list.body.map((c: { id: number }) => c.id)).toContain(again.body.id);
    expect(list.body).toHaveLength(2);
  });
});
