/**
 * Concurrency: the server listens on a loopback port and requests are fired in parallel.
 * Meaningful on MariaDB (row locks, a connection pool); on SQLite writes are serialised by
 * design and the same assertions must hold.
 */
import request from 'supertest';
import { ENGINE, setup, TestContext } from '../helpers';
import { contractChecked } from '../contract';
import { historyChains } from './invariants';

let ctx: TestContext;
let base: string;
const api = () => contractChecked(request(base));
const h = (r: request.Test, key = ctx.a.manager) => r.set('X-API-Key', key).set('Accept', 'application/json');

const VEHICLE = { make: 'BMW', model: '530D', regNr: 'CC1', mileage: 1000, firstRegistrationDate: '2019-01-01' };
async function newTradeIn(body: object = {}) {
  return (await h(api().post('/api/v3/trade-ins')).send(body).expect(201)).body as { id: number };
}

beforeAll(async () => {
  ctx = await setup();
  await ctx.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(ctx.app.getHttpServer().address() as { port: number }).port}`;
  // eslint-disable-next-line no-console
  console.log(`concurrency suite on ${ENGINE}`);
});
afterAll(() => ctx.close());

it('50 concurrent PATCHes of different fields of one trade-in lose no update', async () => {
  const cust = (await h(api().post('/api/v3/customers')).send({ lastName: 'Conc' }).expect(201)).body.id;
  const loc = (await h(api().post('/api/v3/locations'), ctx.a.admin).send({ name: 'Conc' }).expect(201)).body.id;
  const { id } = await newTradeIn();
  const top: [string, unknown][] = [
    ['specificationTitle', 'Spec'],
    ['note', 'Note'],
    ['customerAskingPrice', 101],
    ['purchasePrice', 102],
    ['marketPrice', 103],
    ['marketValueOnSalesDay', 104],
    ['margin', 5],
    ['refurbishCostEstimate', 106],
    ['lastServiceDate', '2022-02-02'],
    ['daysToSale', 60],
    ['dailyDepreciationRate', 0.05],
    ['priceExVat', true],
    ['isVatExempt', true],
    ['rejectReason', 'other'],
    ['rejectReasonMetaText', 'Meta'],
    ['customer', `/api/v3/customers/${cust}`],
    ['dealership', `/api/v3/locations/${loc}`],
  ];
  const vehicle: [string, unknown][] = [
    ['make', 'Audi'],
    ['model', 'A4'],
    ['vinCode', 'WAUZZZ8K9BA000001'],
    ['color', 'Red'],
    ['mileage', 12345],
    ['gearbox', 'Manual'],
    ['regNr', 'ABC123'],
    ['vehicleType', 'LCV'],
    ['bodyType', 'Sedan'],
    ['cylinderCapacityCm3', 1984],
    ['maxPowerKw', 140],
    ['firstRegistrationDate', '2018-03-04'],
    ['fuel', 'Diesel'],
    ['drivetrainType', 'FWD'],
    ['transmissionType', 'Manual'],
    ['transmissionCode', 'MQ250'],
    ['equipment', ['Towbar']],
    ['accidents', [{ date: '2020-01-01', description: 'Dent', repairCost: 300 }]],
  ];
  const condition = ['fullService', 'tiresMoreThan6mm', 'acWorks', 'animalsInCar', 'majorAccident', 'mechanicalTested', 'originalPaint', 'smokedInCar'].map((f) => [f, true] as [string, unknown]);
  const debt: [string, unknown][] = [
    ['amount', 2500],
    ['bank', 'Bank'],
  ];
  // The trade-in as answered (supertest bodies are untyped).
  type Fields = Record<string, Record<string, unknown> & { iri?: unknown }>;
  const patches: { body: object; check: (t: Fields) => unknown; want: unknown }[] = [
    ...top.map(([f, v]) => ({ body: { [f]: v }, check: (t: Fields) => (f === 'customer' || f === 'dealership' ? t[f]?.iri : t[f]), want: v })),
    ...vehicle.map(([f, v]) => ({ body: { vehicleModel: { [f]: v } }, check: (t: Fields) => t.vehicleModel[f], want: v })),
    ...condition.map(([f, v]) => ({ body: { condition: { [f]: v } }, check: (t: Fields) => t.condition[f], want: v })),
    ...debt.map(([f, v]) => ({ body: { debtInfo: { [f]: v } }, check: (t: Fields) => t.debtInfo[f], want: v })),
  ];
  expect(patches.length).toBe(45);
  // Five more writers on fields already covered, with distinct values: the version must still count all 50.
  const extra = [1, 2, 3, 4, 5].map((n) => ({ body: { note: `Note ${n}` }, check: () => undefined, want: undefined }));
  const all = [...patches, ...extra];
  const results = await Promise.all(
    all.map((p) =>
      h(api().patch(`/api/v3/trade-ins/${id}`))
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify(p.body)),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(all.map(() => 200));
  const final = await h(api().get(`/api/v3/trade-ins/${id}`)).expect(200);
  const lost = patches.filter((p) => JSON.stringify(p.check(final.body)) !== JSON.stringify(p.want) && !(p.body as { note?: string }).note);
  expect(lost.map((p) => JSON.stringify(p.body))).toEqual([]);
  expect(['Note', 'Note 1', 'Note 2', 'Note 3', 'Note 4', 'Note 5']).toContain(final.body.note);
  expect(final.headers.etag).toBe('"51"'); // 1 + 50 applied writes: none was lost
});

it('20 concurrent moves to different statuses with the same If-Match: exactly one winner, history consistent', async () => {
  const { id } = await newTradeIn({ vehicleModel: VEHICLE, purchasePrice: 1000, rejectReason: 'other' });
  const ready = await h(api().patch(`/api/v3/trade-ins/${id}/status/ready-for-appraisal`)).expect(200);
  const slugs = ['draft', 'done', 'no-deal', 'sent-to-customer', 'purchase-agreement', 'ready-for-appraisal'];
  const moves = Array.from({ length: 20 }, (_, i) => slugs[i % slugs.length]);
  const results = await Promise.all(
    moves.map((slug) =>
      h(api().patch(`/api/v3/trade-ins/${id}/status/${slug}`))
        .set('If-Match', ready.headers.etag)
        .set('Content-Type', 'application/json')
        .send(slug === 'no-deal' ? { rejectReason: 'other' } : {}),
    ),
  );
  const winners = results.filter((r) => r.status === 200);
  // eslint-disable-next-line no-console
  console.log(`status race: ${JSON.stringify(results.map((r, i) => `${moves[i]}:${r.status}`))}`);
  expect(winners).toHaveLength(1);
  for (const r of results) expect([200, 409, 412, 422]).toContain(r.status);
  const history = (await h(api().get(`/api/v3/trade-ins/${id}/history`)).expect(200)).body as { from: string | null; to: string }[];
  expect(history).toHaveLength(3); // creation, ready, the one winner
  expect(history[2].to).toBe(winners[0].body.status);
  expect(await historyChains(ctx.ds, [id])).toEqual([]);
});

it('20 concurrent moves without If-Match: every accepted change is in a consistent history', async () => {
  const { id } = await newTradeIn({ vehicleModel: VEHICLE, purchasePrice: 1000, customer: null });
  const slugs = ['ready-for-appraisal', 'done', 'draft', 'no-deal', 'sent-to-customer'];
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => slugs[i % slugs.length]).map((slug) =>
      h(api().patch(`/api/v3/trade-ins/${id}/status/${slug}`))
        .set('Content-Type', 'application/json')
        .send(slug === 'no-deal' ? { rejectReason: 'other' } : {}),
    ),
  );
  for (const r of results) expect([200, 409, 422]).toContain(r.status);
  const history = (await h(api().get(`/api/v3/trade-ins/${id}/history`)).expect(200)).body as unknown[];
  expect(history.length - 1).toBeLessThanOrEqual(results.filter((r) => r.status === 200).length);
  expect(await historyChains(ctx.ds, [id])).toEqual([]);
});

it('concurrent picture POSTs never create two pictures of one type', async () => {
  const { id } = await newTradeIn();
  const types = ['exterior_front', 'exterior_rear', 'odometer', 'engine'];
  const results = await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      h(api().post(`/api/v3/trade-ins/${id}/pictures`))
        .set('Content-Type', 'application/json')
        .send([
          { url: `https://x.example/${i}-a`, pictureType: `/api/v3/picture-types/${types[i % types.length]}` },
          { url: `https://x.example/${i}-b`, pictureType: `/api/v3/picture-types/${types[(i + 1) % types.length]}` },
          { url: `https://x.example/${i}-untyped` },
        ]),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
  const rows = await ctx.ds.query<{ t: string | null; n: number }[]>(`SELECT picture_type_code AS t, COUNT(*) AS n FROM trade_in_pictures WHERE trade_in_id = ${id} GROUP BY picture_type_code`);
  for (const r of rows) if (r.t !== null) expect(Number(r.n)).toBe(1);
  expect(
    rows
      .filter((r) => r.t !== null)
      .map((r) => r.t)
      .sort(),
  ).toEqual([...types].sort());
  expect(Number(rows.find((r) => r.t === null)?.n)).toBe(24);
});

it('concurrent POSTs with one Idempotency-Key create one row and all get it', async () => {
  const body = { lastName: 'Idempotent-Concurrent' };
  const results = await Promise.all(Array.from({ length: 20 }, () => h(api().post('/api/v3/customers')).set('Idempotency-Key', 'conc-key-1').set('Content-Type', 'application/json').send(body)));
  const ok = results.filter((r) => r.status === 201);
  // A retry that arrives while the first is still running may be told to retry (409, documented).
  for (const r of results) expect([201, 409]).toContain(r.status);
  expect(ok.length).toBeGreaterThanOrEqual(1);
  expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
  const rows = await ctx.ds.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM customers WHERE last_name = 'Idempotent-Concurrent'`);
  expect(Number(rows[0].n)).toBe(1);
  // eslint-disable-next-line no-console
  console.log(`idempotency race: ${ok.length}×201, ${results.length - ok.length}×409, 1 row`);
});

it('If-Match with a stale ETag is 412 and changes nothing, also under concurrency', async () => {
  const { id } = await newTradeIn({ note: 'v1' });
  const first = await h(api().get(`/api/v3/trade-ins/${id}`)).expect(200);
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      h(api().patch(`/api/v3/trade-ins/${id}`))
        .set('If-Match', first.headers.etag)
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ note: `w${i}` })),
    ),
  );
  expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  expect(results.filter((r) => r.status === 412)).toHaveLength(9);
  const stale = await h(api().patch(`/api/v3/trade-ins/${id}`))
    .set('If-Match', first.headers.etag)
    .set('Content-Type', 'application/merge-patch+json')
    .send(JSON.stringify({ note: 'late' }));
  expect(stale.status).toBe(412);
  const now = await h(api().get(`/api/v3/trade-ins/${id}`)).expect(200);
  expect(now.headers.etag).toBe('"2"');
  expect(now.body.note).toBe(results.find((r) => r.status === 200)!.body.note);
});
