import { TradeInPicture } from '../src/pictures/picture.entity';
import { client, expectProblem, setup, TestContext } from './helpers';

let ctx: TestContext;
let m: ReturnType<typeof client>;
beforeAll(async () => {
  ctx = await setup();
  m = client(ctx, ctx.a.manager);
});
afterAll(() => ctx.close());

const newTradeIn = async (body: object = {}) => (await m.post('/api/v3/trade-ins', body).expect(201)).body.id as number;
const gallery = (res: { body: { url: string; pictureType: string | null }[] }) => res.body.map((p) => `${p.pictureType?.split('/').pop() ?? '-'}:${p.url}`);

describe('picture types', () => {
  it('lists at least the 14 codes of the spec with labels and positions', async () => {
    const res = await client(ctx, ctx.a.readonly).get('/api/v3/picture-types').expect(200);
    const codes = res.body.map((t: { code: string }) => t.code);
    for (const c of [
      'exterior_front',
      'exterior_rear',
      'exterior_left',
      'exterior_right',
      'interior_front',
      'interior_rear',
      'dashboard',
      'odometer',
      'engine',
      'trunk',
      'wheels',
      'damage',
      'vin_plate',
      'documents',
    ]) {
      expect(codes).toContain(c);
    }
    expect(res.body[0]).toMatchObject({ code: 'exterior_front', iri: '/api/v3/picture-types/exterior_front', label: expect.any(String), position: expect.any(Number) });
    await m.get('/api/v3/picture-types/odometer').expect(200);
    expectProblem(await m.get('/api/v3/picture-types/selfie'), 404);
  });
});

describe('pictures (the seed examples)', () => {
  it('POST adds and answers with the whole gallery; a type already present is ignored; untyped go last', async () => {
    const id = await newTradeIn();
    const first = await m
      .post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://placehold.co/2000x1500', pictureType: '/api/v3/picture-types/exterior_front' }, { url: 'https://placehold.co/1600x1200' }])
      .expect(200);
    expect(gallery(first)).toEqual(['exterior_front:https://placehold.co/2000x1500', '-:https://placehold.co/1600x1200']);
    const second = await m
      .post(`/api/v3/trade-ins/${id}/pictures`, [
        { url: 'https://placehold.co/ignored', pictureType: '/api/v3/picture-types/exterior_front' },
        { url: 'https://placehold.co/odo', pictureType: '/api/v3/picture-types/odometer' },
        { url: 'https://placehold.co/rear', pictureType: '/api/v3/picture-types/exterior_rear' },
        { url: 'https://placehold.co/untyped2' },
      ])
      .expect(200);
    expect(gallery(second)).toEqual([
      'exterior_front:https://placehold.co/2000x1500',
      'exterior_rear:https://placehold.co/rear',
      'odometer:https://placehold.co/odo',
      '-:https://placehold.co/1600x1200',
      '-:https://placehold.co/untyped2',
    ]);
    expect(second.body.map((p: { position: number }) => p.position)).toEqual([1, 2, 3, 4, 5]);
    const get = await m.get(`/api/v3/trade-ins/${id}/pictures`).expect(200);
    expect(get.body).toEqual(second.body);
    const ld = await ctx.http().get(`/api/v3/trade-ins/${id}/pictures`).set('X-API-Key', ctx.a.manager).expect(200);
    expect(ld.body['hydra:member'][0]['@id']).toBe(second.body[0].iri);
    await m.get(second.body[0].iri).expect(200);
  });

  it('PATCH replaces, adds and removes; [] removes all', async () => {
    const id = await newTradeIn();
    await m.post(`/api/v3/trade-ins/${id}/pictures`, [
      { url: 'https://placehold.co/2000x1500', pictureType: '/api/v3/picture-types/exterior_front' },
      { url: 'https://placehold.co/engine', pictureType: '/api/v3/picture-types/engine' },
      { url: 'https://placehold.co/x' },
    ]);
    const patched = await m.patch(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://placehold.co/1600x1200', pictureType: '/api/v3/picture-types/exterior_front' }], 'application/json').expect(200);
    expect(gallery(patched)).toEqual(['exterior_front:https://placehold.co/1600x1200']);
    const emptied = await m.patch(`/api/v3/trade-ins/${id}/pictures`, []).expect(200);
    expect(emptied.body).toEqual([]);
    expect(await ctx.ds.getRepository(TradeInPicture).countBy({ tradeInId: id })).toBe(0);
  });

  it('PATCH keeps unchanged pictures (same id) and refuses two of one type', async () => {
    const id = await newTradeIn();
    const before = await m.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://a.example/1.jpg', pictureType: '/api/v3/picture-types/trunk' }]).expect(200);
    const after = await m.patch(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://a.example/1.jpg', pictureType: '/api/v3/picture-types/trunk' }, { url: 'https://a.example/2.jpg' }]).expect(200);
    expect(after.body[0].id).toBe(before.body[0].id);
    const dup = await m.patch(`/api/v3/trade-ins/${id}/pictures`, [
      { url: 'https://a.example/1.jpg', pictureType: '/api/v3/picture-types/trunk' },
      { url: 'https://a.example/3.jpg', pictureType: '/api/v3/picture-types/trunk' },
    ]);
    expectProblem(dup, 422, /\[1\]\.pictureType/);
  });

  it('validation names the index and field; the request is all or nothing', async () => {
    const id = await newTradeIn();
    const original = [{ url: 'https://a.example/front.jpg', pictureType: '/api/v3/picture-types/exterior_front' }, { url: 'https://a.example/free.jpg' }];
    await m.post(`/api/v3/trade-ins/${id}/pictures`, original).expect(200);
    const before = await m.get(`/api/v3/trade-ins/${id}/pictures`).expect(200);
    const bad = await m.patch(`/api/v3/trade-ins/${id}/pictures`, [
      { url: 'https://a.example/new1.jpg' },
      { url: 'https://a.example/new2.jpg', pictureType: '/api/v3/picture-types/engine' },
      { url: 'ftp://a.example/3.jpg' },
    ]);
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(['[2].url']);
    expect((await m.get(`/api/v3/trade-ins/${id}/pictures`).expect(200)).body).toEqual(before.body);

    const many = await m.post(`/api/v3/trade-ins/${id}/pictures`, [
      { url: '/relative.jpg' },
      { url: 'https://x.example/a', pictureType: '/api/v3/picture-types/selfie' },
      { url: 'https://x.example/b', pictureType: 'exterior_front' },
      'nope',
    ]);
    expectProblem(many, 422);
    expect(many.body.violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(['[0].url', '[1].pictureType', '[2].pictureType', '[3]']);
    expectProblem(await m.post(`/api/v3/trade-ins/${id}/pictures`, { url: 'https://x.example/a' }), 400, /array/);
    expect((await m.get(`/api/v3/trade-ins/${id}/pictures`).expect(200)).body).toEqual(before.body);
  });

  it('at most 100 pictures per trade-in', async () => {
    const id = await newTradeIn();
    const batch = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ url: `https://img.example/${from + i}.jpg` }));
    await m.post(`/api/v3/trade-ins/${id}/pictures`, batch(60)).expect(200);
    expectProblem(await m.post(`/api/v3/trade-ins/${id}/pictures`, batch(41, 60)), 422, /at most 100/);
    await m.post(`/api/v3/trade-ins/${id}/pictures`, batch(40, 60)).expect(200);
    expectProblem(await m.patch(`/api/v3/trade-ins/${id}/pictures`, batch(101)), 422, /100/);
    expect(await ctx.ds.getRepository(TradeInPicture).countBy({ tradeInId: id })).toBe(100);
  });

  it('pictures are locked after done like the trade-in; reopening unlocks', async () => {
    const id = await newTradeIn({ vehicleModel: { make: 'A', model: 'B', regNr: 'X1', mileage: 1, firstRegistrationDate: '2020-01-01' }, purchasePrice: 1, status: 'done' });
    expectProblem(await m.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://a.example/x.jpg' }]), 422, /locked|done/);
    expectProblem(await m.patch(`/api/v3/trade-ins/${id}/pictures`, []), 422, /done/);
    await m.patch(`/api/v3/trade-ins/${id}/status/draft`).expect(200);
    await m.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://a.example/x.jpg' }]).expect(200);
  });
});

describe('comments (the seed examples)', () => {
  it('POST appends and answers with all comments; PATCH replaces all', async () => {
    const id = await newTradeIn();
    const first = await m.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'Jason said YES' }, { comment: 'Dave said NO' }]).expect(200);
    expect(first.body.map((c: { comment: string }) => c.comment)).toEqual(['Jason said YES', 'Dave said NO']);
    expect(first.body[0]).toMatchObject({ id: expect.any(Number), createdAt: expect.any(String), createdBy: { id: ctx.a.managerUserId } });
    const more = await m.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'Third' }]).expect(200);
    expect(more.body).toHaveLength(3);
    const replaced = await m.patch(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'Jason said NO' }, { comment: 'Dave said YES' }], 'application/json').expect(200);
    expect(replaced.body.map((c: { comment: string }) => c.comment)).toEqual(['Jason said NO', 'Dave said YES']);
    expect((await m.get(`/api/v3/trade-ins/${id}/comments`).expect(200)).body).toEqual(replaced.body);
    await m.get(replaced.body[0].iri).expect(200);
    expect((await m.patch(`/api/v3/trade-ins/${id}/comments`, []).expect(200)).body).toEqual([]);
  });

  it('empty or over-long comments → 422 with the index; nothing is written', async () => {
    const id = await newTradeIn();
    const res = await m.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'fine' }, { comment: '   ' }, { comment: 'x'.repeat(5001) }, {}]);
    expectProblem(res, 422);
    expect(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(['[1].comment', '[2].comment', '[3].comment']);
    expect((await m.get(`/api/v3/trade-ins/${id}/comments`).expect(200)).body).toEqual([]);
  });

  it('comments stay writable after done', async () => {
    const id = await newTradeIn({ vehicleModel: { make: 'A', model: 'B', regNr: 'X1', mileage: 1, firstRegistrationDate: '2020-01-01' }, purchasePrice: 1, status: 'done' });
    await m.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'after done' }]).expect(200);
  });
});

describe('tenancy and roles', () => {
  it("another tenant's trade-in: 404 on every picture and comment route, nothing changes", async () => {
    const id = await newTradeIn();
    await m.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://a.example/1.jpg' }]).expect(200);
    await m.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'mine' }]).expect(200);
    const b = client(ctx, ctx.b.admin);
    expectProblem(await b.get(`/api/v3/trade-ins/${id}/pictures`), 404);
    expectProblem(await b.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://evil.example/x.jpg' }]), 404);
    expectProblem(await b.patch(`/api/v3/trade-ins/${id}/pictures`, []), 404);
    expectProblem(await b.get(`/api/v3/trade-ins/${id}/comments`), 404);
    expectProblem(await b.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'x' }]), 404);
    expectProblem(await b.patch(`/api/v3/trade-ins/${id}/comments`, []), 404);
    expect((await m.get(`/api/v3/trade-ins/${id}/pictures`).expect(200)).body).toHaveLength(1);
    expect((await m.get(`/api/v3/trade-ins/${id}/comments`).expect(200)).body).toHaveLength(1);
  });

  it('readonly gets 403 on POST and PATCH', async () => {
    const id = await newTradeIn();
    const ro = client(ctx, ctx.a.readonly);
    await ro.get(`/api/v3/trade-ins/${id}/pictures`).expect(200);
    expectProblem(await ro.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://a.example/1.jpg' }]), 403);
    expectProblem(await ro.patch(`/api/v3/trade-ins/${id}/pictures`, []), 403);
    expectProblem(await ro.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'x' }]), 403);
    expectProblem(await ro.patch(`/api/v3/trade-ins/${id}/comments`, []), 403);
  });
});
