/**
 * Validation once, at the edge, and one entry to collections (issue 11): what moved out of the
 * services answers as before — in particular where two faults meet, and what a route does not read.
 */
import { client, expectProblem, setup, TestContext } from './helpers';
import { programmeCustomer } from './programme-flow';

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

const pathsAndCodes = (res: { body: { violations: { propertyPath: string; code: string }[] } }) => res.body.violations.map((v) => `${v.propertyPath}:${v.code}`).sort();

describe('the programme validates at the edge too', () => {
  it('a programme body is answered in its own fields, and only once the caller is known', async () => {
    const body = { mileage: 'many', condition: 'shiny' };
    expectProblem(await ctx.http().post('/api/alpha/submissions').set('Accept', 'application/json').send(body), 401);
    expectProblem(await client(ctx, ctx.a.manager).put('/api/alpha/admin/account-settings', { public_signup: 'yes' }), 403);
    const cu = await programmeCustomer(ctx, 'edge-fields@example.com');
    const res = await cu.post('/api/alpha/submissions', body);
    expectProblem(res, 422);
    expect(pathsAndCodes(res)).toEqual(['condition:invalid_choice', 'mileage:invalid_type']);
  });

  it('a body that may be left out reads as {} when none came, and is still refused when it is no object or invalid', async () => {
    const admin = client(ctx, ctx.a.admin);
    const before = (await admin.get('/api/alpha/admin/offer-settings').expect(200)).body;
    const none = await ctx.http().put('/api/alpha/admin/offer-settings').set('X-API-Key', ctx.a.admin).set('Accept', 'application/json').expect(200);
    expect(none.body).toEqual(before);
    expectProblem(await admin.put('/api/alpha/admin/offer-settings', []), 400, /JSON object/);
    const bad = await admin.put('/api/alpha/admin/offer-settings', { offer_validity_days: 'a week' });
    expectProblem(bad, 422);
    expect(pathsAndCodes(bad)).toEqual(['offer_validity_days:invalid_type']);
  });

  it('a valuation’s rules across fields answer only once its fields are valid, as before the move', async () => {
    const admin = client(ctx, ctx.a.admin);
    const typed = await admin.post('/api/alpha/admin/valuations', { base_value: 'lots' });
    expectProblem(typed, 422);
    expect(pathsAndCodes(typed)).toEqual(['base_value:invalid_type']);
    const across = await admin.post('/api/alpha/admin/valuations', { base_value: 1000 });
    expectProblem(across, 422);
    expect(pathsAndCodes(across)).toEqual(['make:required', 'model:required', 'year_from:required', 'year_to:required']);
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

  it('the programme’s lists go through the same entry: page parameters checked before the handler, properties[] and undeclared orders not read, pages linked', async () => {
    const admin = client(ctx, ctx.a.admin);
    for (const email of ['list-1@example.com', 'list-2@example.com', 'list-3@example.com']) await programmeCustomer(ctx, email);
    for (const path of ['/api/alpha/admin/valuations', '/api/alpha/submissions', '/api/alpha/admin/customers']) {
      expectProblem(await admin.get(`${path}?itemsPerPage=0`), 400, /itemsPerPage/);
      expectProblem(await admin.get(`${path}?page=x`), 400, /page/);
      await admin.get(`${path}?properties[]=no-such!`).expect(200);
    }
    // Submissions and customers declare no order field: an order parameter is ignored; valuations check theirs, as before.
    for (const path of ['/api/alpha/submissions', '/api/alpha/admin/customers']) await admin.get(`${path}?order=sideways&order[email]=up`).expect(200);
    expectProblem(await admin.get('/api/alpha/admin/valuations?order=sideways'), 400, /order/);
    // The page's parameters are checked before the programme-status filter, as before the move.
    expectProblem(await admin.get('/api/alpha/submissions?itemsPerPage=0&status=finished'), 400, /itemsPerPage/);
    expectProblem(await admin.get('/api/alpha/submissions?status=finished'), 400, /status/);
    // Newest first, paged, with the total and the links of every list.
    const all = await admin.get('/api/alpha/admin/customers?itemsPerPage=100').expect(200);
    const ids = all.body.map((c: { id: number }) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const second = await admin.get('/api/alpha/admin/customers?itemsPerPage=1&page=2').expect(200);
    expect(second.body.map((c: { id: number }) => c.id)).toEqual([ids[1]]);
    expect(second.headers['x-total-count']).toBe(String(ids.length));
    expect(second.headers.link).toMatch(/rel="next"/);
    expect(second.body[0]).toMatchObject({ email: expect.stringMatching(/@example\.com$/), submissions_count: 0, customer: expect.stringMatching(/^\/api\/v3\/customers\/\d+$/) });
  });

  it('the API keys declare no order field, so an order parameter is ignored (oldest first)', async () => {
    const admin = client(ctx, ctx.a.admin);
    const plain = (await admin.get('/api/v3/api-keys').expect(200)).body.map((k: { id: number }) => k.id);
    expect(plain).toEqual([...plain].sort((x, y) => x - y));
    expect((await admin.get('/api/v3/api-keys?order=sideways').expect(200)).body.map((k: { id: number }) => k.id)).toEqual(plain);
  });
});
