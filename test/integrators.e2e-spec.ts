import { client, expectProblem, setup, TestContext } from './helpers';

/** What an integrator meets first: transport headers, CORS, methods, request ids (issue 14). */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await setup({ trustProxy: true, corsOrigins: ['https://dms.example.com'] });
});
afterAll(() => ctx.close());

describe('security headers fit the transport', () => {
  it('over plain http: no HSTS and no upgrade-insecure-requests (they blank Swagger UI on any non-localhost address)', async () => {
    for (const url of ['/api/docs', '/api/v3/customers']) {
      const res = await ctx.http().get(url);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
  });

  it('behind a trusted proxy that says https: HSTS and upgrade-insecure-requests', async () => {
    const res = await ctx.http().get('/api/v3/customers').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('X-Forwarded-Proto is ignored unless TRUST_PROXY is set', async () => {
    const other = await setup({ trustProxy: false });
    try {
      const res = await other.http().get('/api/v3/customers').set('X-Forwarded-Proto', 'https');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin before authentication', async () => {
    const res = await ctx
      .http()
      .options('/api/v3/trade-ins')
      .set('Origin', 'https://dms.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-api-key, content-type, idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://dms.example.com');
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    expect(res.headers['access-control-allow-headers']).toMatch(/X-API-Key/i);
    expect(res.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);
  });

  it('exposes the headers a browser client reads (Link, X-Total-Count, ETag, Location)', async () => {
    const res = await client(ctx, ctx.a.admin).get('/api/v3/customers').set('Origin', 'https://dms.example.com').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://dms.example.com');
    const exposed = String(res.headers['access-control-expose-headers']).split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['Link', 'X-Total-Count', 'ETag', 'Location', 'X-Request-Id']));
  });

  it('gives other origins no CORS headers', async () => {
    const res = await client(ctx, ctx.a.admin).get('/api/v3/customers').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('methods', () => {
  it('a wrong method on an existing path is 405 with Allow, not 404', async () => {
    const res = await client(ctx, ctx.a.admin)
      .get('/api/v3/trade-ins/11')
      .then(() => ctx.http().put('/api/v3/trade-ins/11').set('X-API-Key', ctx.a.admin).set('Accept', 'application/json'));
    expectProblem(res, 405, /PUT/);
    expect(res.headers.allow).toBe('GET, PATCH, DELETE, HEAD, OPTIONS');
    const list = await ctx.http().delete('/api/v3/customers').set('X-API-Key', ctx.a.admin);
    expectProblem(list, 405);
    expect(list.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
  });

  it('OPTIONS names the allowed methods; unknown paths stay 404', async () => {
    const res = await ctx.http().options('/api/v3/trade-ins/5/pictures');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, POST, PATCH, HEAD, OPTIONS');
    expectProblem(await ctx.http().put('/api/v3/no-such-thing').set('Accept', 'application/json'), 404, /No route matches/);
  });
});

describe('X-Request-Id', () => {
  it("echoes the caller's id and generates one when absent or unusable", async () => {
    const given = await client(ctx, ctx.a.admin).get('/api/v3/customers').set('X-Request-Id', 'dms-42.7').expect(200);
    expect(given.headers['x-request-id']).toBe('dms-42.7');
    const generated = await client(ctx, ctx.a.admin).get('/api/v3/customers').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await client(ctx, ctx.a.admin).get('/api/v3/customers').set('X-Request-Id', 'a b<script>').expect(200);
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expectProblem(await ctx.http().get('/api/v3/customers').set('X-Request-Id', 'on-error'), 401);
  });
});

describe('timestamps', () => {
  const q = (s: string) => encodeURIComponent(s);
  it('are shown with the milliseconds stored, so polling by updatedAt neither repeats nor skips an item', async () => {
    const m = client(ctx, ctx.a.manager);
    const first = await m.post('/api/v3/trade-ins', { note: 'poll 1' }).expect(201);
    const second = await m.post('/api/v3/trade-ins', { note: 'poll 2' }).expect(201);
    const { updatedAt, createdAt } = first.body;
    expect(updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    const ids = async (query: string) => (await m.get(`/api/v3/trade-ins?properties[]=id&itemsPerPage=100&${query}`).expect(200)).body.map((t: { id: number }) => t.id);
    // The last item seen is not returned again; the next one is.
    const after = await ids(`updatedAt[strictly_after]=${q(updatedAt)}`);
    expect(after).not.toContain(first.body.id);
    if (second.body.updatedAt > updatedAt) expect(after).toContain(second.body.id);
    expect(await ids(`updatedAt[after]=${q(updatedAt)}`)).toContain(first.body.id);
    expect(await ids(`createdAt[before]=${q(createdAt)}`)).toContain(first.body.id);
    expect(await ids(`createdAt[strictly_before]=${q(createdAt)}`)).not.toContain(first.body.id);
  });
});

describe('contract papercuts', () => {
  it('an empty body on POST is 400 and creates nothing (API Platform answers so)', async () => {
    const m = client(ctx, ctx.a.manager);
    const before = (await m.get('/api/v3/trade-ins?itemsPerPage=1').expect(200)).headers['x-total-count'];
    expectProblem(await ctx.http().post('/api/v3/trade-ins').set('X-API-Key', ctx.a.manager).set('Content-Type', 'application/json').set('Accept', 'application/json'), 400, /body is empty/);
    expectProblem(await ctx.http().post('/api/v3/customers').set('X-API-Key', ctx.a.manager).set('Content-Type', 'application/json').set('Accept', 'application/json'), 400, /body is empty/);
    expect((await m.get('/api/v3/trade-ins?itemsPerPage=1').expect(200)).headers['x-total-count']).toBe(before);
  });

  it("absolute-URL IRIs on the API's own origin are accepted; other origins are not", async () => {
    const m = client(ctx, ctx.a.manager);
    const customer = await m.post('/api/v3/customers', { lastName: 'Absolute' }).expect(201);
    const created = await m.post('/api/v3/trade-ins', { customer: `http://localhost:3000${customer.body.iri}` }).expect(201);
    expect(created.body.customer.id).toBe(customer.body.id);
    expectProblem(await m.post('/api/v3/trade-ins', { customer: `http://elsewhere.example${customer.body.iri}` }), 400, /customer/);
  });

  it('error type URIs resolve to a description of the error', async () => {
    const conflict = await client(ctx, ctx.a.manager).patch('/api/v3/trade-ins/999999/status/done');
    expect(conflict.body.type).toBe('/errors/404');
    const res = await ctx.http().get(conflict.body.type).set('Accept', 'application/json').expect(200);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', description: expect.stringMatching(/another tenant/) });
    expectProblem(await ctx.http().get('/errors/999').set('Accept', 'application/json'), 404);
  });

  it('the lock message names routes that work from the current status', async () => {
    const m = client(ctx, ctx.a.manager);
    const vehicle = { make: 'Škoda', model: 'Octavia', firstRegistrationDate: '2019-01-01', mileage: 1000, regNr: 'LOCK1' };
    const c = await m.post('/api/v3/customers', { lastName: 'Lock' }).expect(201);
    const t = await m.post('/api/v3/trade-ins', { vehicleModel: vehicle, purchasePrice: 1000, customer: c.body.iri }).expect(201);
    const id = t.body.id;
    for (const slug of ['ready-for-appraisal', 'done']) await m.patch(`/api/v3/trade-ins/${id}/status/${slug}`).expect(200);
    const routes = (res: { body: { violations: { message: string }[] } }) => [...res.body.violations[0].message.matchAll(/status\/([a-z-]+)/g)].map((x) => x[1]);
    for (const [slug, expected] of [
      ['done', ['draft']],
      ['sent-to-customer', ['done', 'draft']],
      ['purchase-agreement', ['no-deal', 'draft']],
    ] as const) {
      if (slug !== 'done') await m.patch(`/api/v3/trade-ins/${id}/status/${slug}`).expect(200);
      const locked = await m.patch(`/api/v3/trade-ins/${id}`, { note: 'x' });
      expectProblem(locked, 422);
      expect(routes(locked)).toEqual(expected);
      const pictures = await m.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://img.example/1.jpg' }]);
      expect(routes(pictures)).toEqual(expected);
    }
  });

  it.each(['pictures', 'comments'])('%s lists carry an ETag; a write with a stale If-Match is 412 and changes nothing', async (list) => {
    const m = client(ctx, ctx.a.manager);
    const t = await m.post('/api/v3/trade-ins', { note: 'etag' }).expect(201);
    const url = `/api/v3/trade-ins/${t.body.id}/${list}`;
    const item = list === 'pictures' ? { url: 'https://img.example/a.jpg' } : { comment: 'first' };
    const first = await m.post(url, [item]).expect(200);
    const tag = first.headers.etag;
    expect(tag).toMatch(/^"[^"]+"$/);
    expect((await m.get(url).expect(200)).headers.etag).toBe(tag);
    await m.get(url).set('If-None-Match', tag).expect(304);
    const second = await m.post(url, [item]).set('If-Match', tag).expect(200);
    expect(second.headers.etag).not.toBe(tag);
    expectProblem(await m.patch(url, []).set('If-Match', tag), 412);
    expect((await m.get(url).expect(200)).body).toHaveLength(2);
    await m.patch(url, []).set('If-Match', second.headers.etag).expect(200);
  });
});
