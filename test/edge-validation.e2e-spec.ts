/**
 * Validation once, at the edge, and one entry to collections (issue 11): what moved out of the
 * services answers as before — in particular where two faults meet, and what a route does not read.
 */
import { client, expectProblem, setup, TestContext } from './helpers';

let ctx: TestContext;
afterAll(() => ctx.close());
beforeAll(async () => {
  ctx = await setup();
});

describe('validation at the edge', () => {
  it('a body of an input class is answered with every violation before the handler runs', async () => {
    const res = await client(ctx, ctx.a.manager).post('/api/v3/customers', { lastName: 5, email: 'not-an-address', phone: 'call me' });
    expectProblem(res, 422);
    const found = res.body.violations.map((v: { propertyPath: string; code: string }) => `${v.propertyPath}:${v.code}`);
    expect(found.sort()).toEqual(['email:invalid_format', 'lastName:invalid_type', 'phone:invalid_format']);
  });

  it('an id that is no id is a 404 even when the body is invalid too', async () => {
    const a = client(ctx, ctx.a.manager);
    expectProblem(await a.patch('/api/v3/trade-ins/abc', { note: 5 }), 404);
    expectProblem(await a.patch('/api/v3/customers/abc', { email: 5 }), 404);
    expectProblem(await a.patch('/api/v3/trade-ins/abc/status/no-deal', { rejectReason: 5 }), 404);
    expectProblem(await a.post('/api/v3/trade-ins/abc/comments', [{ comment: 5 }]), 404);
    expectProblem(await a.post('/api/v3/trade-ins/abc/pictures', { url: 'not an array' }), 404);
  });

  it('a status route other than no-deal does not read its body; no-deal validates its reason', async () => {
    const a = client(ctx, ctx.a.manager);
    const { id } = (await a.post('/api/v3/trade-ins', { note: 'edge' }).expect(201)).body;
    const bad = await a.patch(`/api/v3/trade-ins/${id}/status/no-deal`, { rejectReason: 5 });
    expectProblem(bad, 422);
    expect(bad.body.violations).toEqual([expect.objectContaining({ propertyPath: 'rejectReason', code: 'invalid_type' })]);
    const reopened = await a.patch(`/api/v3/trade-ins/${id}/status/draft`, { rejectReason: 5 });
    expect(reopened.status).toBe(200);
    expectProblem(await a.patch(`/api/v3/trade-ins/${id}/status/nowhere`, { rejectReason: 5 }), 404, /Unknown status route/);
  });

  it('an array body is checked item by item with the service’s own rules in the same answer', async () => {
    const a = client(ctx, ctx.a.manager);
    const { id } = (await a.post('/api/v3/trade-ins', { note: 'gallery' }).expect(201)).body;
    const res = await a.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'ftp://x' }, { url: 'https://x.example/a', pictureType: '/api/v3/picture-types/selfie' }]);
    expectProblem(res, 422);
    expect(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(['[0].url', '[1].pictureType']);
    expectProblem(await a.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: '' }, 'x']), 422);
  });
});

describe('one entry to collections', () => {
  it('a bad collection parameter is a 400 naming it, on every core list', async () => {
    const admin = client(ctx, ctx.a.admin);
    for (const path of ['/api/v3/trade-ins', '/api/v3/customers', '/api/v3/locations', '/api/v3/users', '/api/v3/api-keys']) {
      expectProblem(await admin.get(`${path}?itemsPerPage=0`), 400, /itemsPerPage/);
    }
  });

  it('lists that select no properties do not read properties[]; the others reject a bad one', async () => {
    const admin = client(ctx, ctx.a.admin);
    expect((await admin.get('/api/v3/users?properties[]=no-such!').expect(200)).body.length).toBeGreaterThan(0);
    expectProblem(await admin.get('/api/v3/customers?properties[]=no-such!'), 400, /properties/);
  });

  it('the API keys declare no order field, so an order parameter is ignored (oldest first)', async () => {
    const admin = client(ctx, ctx.a.admin);
    const plain = (await admin.get('/api/v3/api-keys').expect(200)).body.map((k: { id: number }) => k.id);
    expect(plain).toEqual([...plain].sort((x, y) => x - y));
    expect((await admin.get('/api/v3/api-keys?order=sideways').expect(200)).body.map((k: { id: number }) => k.id)).toEqual(plain);
  });
});
