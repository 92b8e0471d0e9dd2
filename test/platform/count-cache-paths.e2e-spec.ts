import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, setup, TestContext } from '../helpers';
import { noPhotosRequired } from '../programme-flow';

/*
 * Tripwire for the count cache's invalidation (src/trade-ins/trade-in-counts.ts): writes through
 * TypeORM reach it through a subscriber pushed into DataSource.subscribers, writes through insertRow
 * only when their caller calls changed(). With totals cached for an hour, every write path of the
 * customer programme must still show in /api/v3 totals at once. (The /api/v3 paths:
 * test/list-counts.e2e-spec.ts.)
 */
let ctx: TestContext;
let uploadDir: string;

beforeAll(async () => {
  uploadDir = mkdtempSync(join(tmpdir(), 'count-cache-'));
  ctx = await setup({ countCacheSeconds: 3600, uploadDir });
  // The submission here is about the count cache, not photos (issue 17 made one photo required).
  await noPhotosRequired(ctx, ctx.a.admin);
});
afterAll(async () => {
  await ctx.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

describe('collection totals cached for an hour', () => {
  it('follow every programme write at once: submission, submit, offer, decline', async () => {
    const staff = client(ctx, ctx.a.manager);
    const total = async (query = '') => Number((await staff.get(`/api/v3/trade-ins${query}`).expect(200)).headers['x-total-count']);
    expect(await total()).toBe(0);
    expect(await total('?status=no_deal')).toBe(0);

    await ctx.http().post('/api/alpha/auth/register').send({ email: 'counted@example.com', password: 'correct horse battery', last_name: 'Counted' }).expect(202);
    const registered = await ctx.http().post('/api/alpha/auth/login').send({ email: 'counted@example.com', password: 'correct horse battery' }).expect(200);
    const customer = (url: string, body?: object) => ctx.http().post(url).set('Authorization', `Bearer ${registered.body.token}`).set('Accept', 'application/json').send(body);

    const sub = (
      await customer('/api/alpha/submissions', { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, serial_number: 'SN-COUNT', condition: 'good' }).expect(201)
    ).body.id;
    expect(await total()).toBe(1);
    expect(await total('?status=not_done')).toBe(1);

    await customer(`/api/alpha/submissions/${sub}`).expect(200);
    expect(await total('?status=not_done')).toBe(0);
    expect(await total('?status=ready_for_appraisal')).toBe(1);

    const offer = (await staff.post('/api/alpha/offers', { submission_id: sub, amount: 300 }).expect(201)).body.id;
    expect(await total('?status=sent_to_customer')).toBe(1);
    expect(await total('?purchasePrice[gte]=300')).toBe(1);

    await customer(`/api/alpha/offers/${offer}`, { action: 'decline', reason: 'Too low' }).expect(200);
    expect(await total('?status=sent_to_customer')).toBe(0);
    expect(await total('?status=no_deal')).toBe(1);
  });
});
