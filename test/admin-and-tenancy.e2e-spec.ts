import { runApiKeyCli } from '../src/auth/apikey-cli';
import { bootstrapIfEmpty } from '../src/auth/keys';
import { client, expectProblem, setup, TestContext } from './helpers';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setup();
});
afterAll(() => ctx.close());

describe('apikey CLI', () => {
  it('creates a key that works, lists it, and revokes it', async () => {
    let out = '';
    const write = (s: string) => (out += s);
    const code = await runApiKeyCli(['create', '--tenant', 'alpha', '--email', 'cli@alpha.example', '--role', 'readonly', '--label', 'from cli'], ctx.ds, write);
    expect(code).toBe(0);
    const key = /(tik_[A-Za-z0-9_-]{40,})/.exec(out)![1];
    const me = await client(ctx, key).get('/api/v3/users/me').expect(200);
    expect(me.body).toMatchObject({ email: 'cli@alpha.example', role: 'readonly' });
    out = '';
    await runApiKeyCli(['list', '--tenant', 'alpha'], ctx.ds, write);
    expect(out).toContain('cli@alpha.example');
    expect(out).not.toContain(key);
    const id = /#(\d+)\t[^\n]*from cli/.exec(out)![1];
    out = '';
    expect(await runApiKeyCli(['revoke', id], ctx.ds, write)).toBe(0);
    expect(out).toMatch(/Revoked 1/);
  });

  it('refuses unknown tenants and roles', async () => {
    await expect(runApiKeyCli(['create', '--tenant', 'nope', '--email', 'x@y.example'], ctx.ds, () => undefined)).rejects.toThrow(/No tenant/);
    await expect(runApiKeyCli(['create', '--tenant', 'alpha', '--email', 'x@y.example', '--role', 'god'], ctx.ds, () => undefined)).rejects.toThrow(/--role/);
  });

  it('first-start bootstrap only acts on an empty database', async () => {
    expect(await ctx.ds.transaction((em) => bootstrapIfEmpty(em))).toBeNull();
  });
});

describe("a second tenant cannot read, filter, count, reference or modify the first tenant's customers and locations", () => {
  let customerId: number;
  let locationId: number;
  beforeAll(async () => {
    customerId = (await client(ctx, ctx.a.manager).post('/api/v3/customers', { firstName: 'Only', lastName: 'Alpha', email: 'only@alpha.example' }).expect(201)).body.id;
    locationId = (await client(ctx, ctx.a.admin).post('/api/v3/locations', { name: 'Alpha Tallinn', city: 'Tallinn' }).expect(201)).body.id;
  });

  it('read and modify → 404, and nothing changed', async () => {
    const b = client(ctx, ctx.b.admin);
    expectProblem(await b.get(`/api/v3/customers/${customerId}`), 404);
    expectProblem(await b.patch(`/api/v3/customers/${customerId}`, { lastName: 'Hacked' }), 404);
    expectProblem(await b.delete(`/api/v3/customers/${customerId}`), 404);
    expectProblem(await b.get(`/api/v3/locations/${locationId}`), 404);
    expectProblem(await b.patch(`/api/v3/locations/${locationId}`, { name: 'Hacked' }), 404);
    expectProblem(await b.delete(`/api/v3/locations/${locationId}`), 404);
    const still = await client(ctx, ctx.a.manager).get(`/api/v3/customers/${customerId}`).expect(200);
    expect(still.body.lastName).toBe('Alpha');
    expect((await client(ctx, ctx.a.manager).get(`/api/v3/locations/${locationId}`).expect(200)).body.name).toBe('Alpha Tallinn');
  });

  it('filter and count → absent', async () => {
    const b = client(ctx, ctx.b.admin);
    for (const url of ['/api/v3/customers?lastName=Alpha', '/api/v3/customers?email=only@alpha.example', '/api/v3/customers', '/api/v3/locations?name=Alpha']) {
      const res = await b.get(url).expect(200);
      expect(res.body.find((r: { id: number }) => r.id === customerId || r.id === locationId)).toBeUndefined();
      if (url.includes('=')) expect(res.headers['x-total-count']).toBe('0');
    }
    const ld = await ctx.http().get('/api/v3/customers?lastName=Alpha').set('X-API-Key', ctx.b.admin).expect(200);
    expect(ld.body['hydra:totalItems']).toBe(0);
  });

  it('reference in a body → 400', async () => {
    const b = client(ctx, ctx.b.manager);
    expectProblem(await b.post('/api/v3/trade-ins', { customer: `/api/v3/customers/${customerId}` }), 400, /customer/);
    expectProblem(await b.post('/api/v3/trade-ins', { dealership: `/api/v3/locations/${locationId}` }), 400, /dealership/);
    expectProblem(await client(ctx, ctx.b.admin).post('/api/v3/api-keys', { user: `/api/v3/users/${ctx.a.adminUserId}`, name: 'steal' }), 400, /user.*does not exist/);
  });

  it('users and keys of another tenant are invisible', async () => {
    const b = client(ctx, ctx.b.admin);
    expectProblem(await b.get(`/api/v3/users/${ctx.a.adminUserId}`), 404);
    expectProblem(await b.patch(`/api/v3/users/${ctx.a.adminUserId}`, { role: 'readonly' }), 404);
    const keys = await b.get('/api/v3/api-keys').expect(200);
    expect(keys.body.every((k: { user: { id: number } }) => k.user.id !== ctx.a.adminUserId)).toBe(true);
    const aKeys = await client(ctx, ctx.a.admin).get('/api/v3/api-keys').expect(200);
    expectProblem(await b.delete(`/api/v3/api-keys/${aKeys.body[0].id}`), 404);
    await client(ctx, ctx.a.admin).get('/api/v3/users/me').expect(200);
  });
});

describe('locations CRUD', () => {
  it('validates, filters and orders', async () => {
    const admin = client(ctx, ctx.a.admin);
    const bad = await admin.post('/api/v3/locations', { name: '', country: 'Estonia', email: 'nope' });
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['country', 'email', 'name']);
    expectProblem(await admin.post('/api/v3/locations', {}), 422, /name/);
    const l = await admin.post('/api/v3/locations', { name: 'Tartu', city: 'Tartu', country: 'EE', code: 'TRT' }).expect(201);
    expectProblem(await admin.patch(`/api/v3/locations/${l.body.id}`, { name: null }), 422, /name/);
    const res = await admin.get('/api/v3/locations?code=TRT').expect(200);
    expect(res.body.map((x: { id: number }) => x.id)).toEqual([l.body.id]);
  });
});

describe('customer invariants', () => {
  it('needs a lastName or a companyName, on create and on the merged state of a patch', async () => {
    const m = client(ctx, ctx.a.manager);
    expectProblem(await m.post('/api/v3/customers', { firstName: 'Nameless' }), 422, /lastName or a companyName/);
    const c = await m.post('/api/v3/customers', { lastName: 'Kask' }).expect(201);
    expectProblem(await m.patch(`/api/v3/customers/${c.body.id}`, { lastName: null }), 422, /lastName or a companyName/);
    expect((await m.get(`/api/v3/customers/${c.body.id}`).expect(200)).body.lastName).toBe('Kask');
    await m.patch(`/api/v3/customers/${c.body.id}`, { companyName: 'Kask OÜ' }).expect(200);
    const cleared = await m.patch(`/api/v3/customers/${c.body.id}`, { lastName: null }).expect(200);
    expect(cleared.body).toMatchObject({ lastName: null, companyName: 'Kask OÜ' });
  });
});
