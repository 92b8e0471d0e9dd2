/**
 * GET /api/v3/trade-ins/{id}/status-moves (issue 15): the moves the admin offers as buttons, from the
 * status machine, each with the requirements the trade-in does not meet now.
 */
import { client, expectProblem, setup, TestContext } from './helpers';

let ctx: TestContext;
afterAll(() => ctx.close());
beforeAll(async () => {
  ctx = await setup();
});

const VEHICLE = { make: 'Volkswagen', model: 'Golf', firstRegistrationDate: '2020-02-20', mileage: 40000, regNr: '123ABC' };
const moves = async (key: string, id: number) => (await client(ctx, key).get(`/api/v3/trade-ins/${id}/status-moves`).expect(200)).body;

describe('status moves', () => {
  it('a bare draft offers ready-for-appraisal with every missing vehicle field, and no-deal taking its reason', async () => {
    const a = client(ctx, ctx.a.manager);
    const { id } = (await a.post('/api/v3/trade-ins', { note: 'bare' }).expect(201)).body;
    const body = await moves(ctx.a.manager, id);
    expect(body).toMatchObject({ iri: `/api/v3/trade-ins/${id}/status-moves`, tradeIn: `/api/v3/trade-ins/${id}`, status: 'not_done' });
    expect(body.moves.map((m: { slug: string }) => m.slug)).toEqual(['ready-for-appraisal', 'no-deal']);
    expect(body.moves[0].unmet.map((v: { propertyPath: string }) => v.propertyPath)).toEqual([
      'vehicleModel.make',
      'vehicleModel.model',
      'vehicleModel.firstRegistrationDate',
      'vehicleModel.mileage',
      'vehicleModel.regNr',
    ]);
    expect(body.moves[1]).toEqual({ slug: 'no-deal', status: 'no_deal', unmet: [], takes: ['rejectReason', 'rejectReasonMetaText'] });
  });

  it('the unmet requirements listed are those the move gets as 422, and none once they are met', async () => {
    const a = client(ctx, ctx.a.manager);
    const { id } = (await a.post('/api/v3/trade-ins', { vehicleModel: VEHICLE }).expect(201)).body;
    await a.patch(`/api/v3/trade-ins/${id}/status/ready-for-appraisal`).expect(200);
    const listed = (await moves(ctx.a.manager, id)).moves;
    expect(listed.map((m: { slug: string }) => m.slug)).toEqual(['draft', 'done', 'no-deal']);
    const done = listed.find((m: { slug: string }) => m.slug === 'done');
    const refused = await a.patch(`/api/v3/trade-ins/${id}/status/done`);
    expectProblem(refused, 422);
    expect(done.unmet).toEqual(refused.body.violations);
    await a.patch(`/api/v3/trade-ins/${id}`, { purchasePrice: 8000 }).expect(200);
    expect((await moves(ctx.a.manager, id)).moves.find((m: { slug: string }) => m.slug === 'done').unmet).toEqual([]);
  });

  it('a readonly user may read the moves; another tenant gets 404', async () => {
    const { id } = (await client(ctx, ctx.a.manager).post('/api/v3/trade-ins', { note: 'x' }).expect(201)).body;
    await moves(ctx.a.readonly, id);
    expectProblem(await client(ctx, ctx.b.admin).get(`/api/v3/trade-ins/${id}/status-moves`), 404);
  });
});
