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
    const res = await client(ctx, ctx.a.admin).get('/api/v3/trade-ins/11').then(() => ctx.http().put('/api/v3/trade-ins/11').set('X-API-Key', ctx.a.admin).set('Accept', 'application/json'));
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
