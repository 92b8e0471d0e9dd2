import type { Response } from 'supertest';
import { CollectionCompiler } from '../src/database/collection-compiler';
import { TradeInsRepository } from '../src/trade-ins/trade-ins.repository';
import { client, setup, TestContext } from './helpers';

/**
 * Issue 12, plan C (CollectionCompiler.branchedIds): several statuses with an order their
 * `(tenant_id, status, X)` index serves are read as one ordered range per status, merged. A
 * differential test: every page it gives is the page plans A/B give for the same request
 * (order, NULLs first ascending, the id tie-break in the direction of the last order), for offset
 * pages, cursor walks and previous links, on the engine under test.
 */
let ctx: TestContext;
let m: ReturnType<typeof client>;
let ld: ReturnType<typeof client>;

const STATUSES = ['not_done', 'done', 'sent_to_customer', 'purchase_agreement'];
const STAMPS = ['2024-03-01 10:00:00.000', '2024-01-15 08:30:00.000', '2024-03-01 10:00:00.000', '2024-02-10 12:00:00.000', '2024-01-15 08:30:00.000'];

beforeAll(async () => {
  ctx = await setup();
  m = client(ctx, ctx.a.manager);
  ld = client(ctx, ctx.a.manager, 'application/ld+json');
  // 41 trade-ins: statuses interleaved along the ids, prices with NULLs and ties (as unpriced drafts have), updatedAt with ties.
  for (let i = 0; i < 41; i++) {
    const id = (
      await m
        .post('/api/v3/trade-ins', {
          vehicleModel: { make: i % 2 ? 'Volvo' : 'Škoda', regNr: `STB${String(i).padStart(3, '0')}` },
          purchasePrice: i % 5 === 0 || i % 7 === 0 ? null : 1000 * (i % 3),
        })
        .expect(201)
    ).body.id as number;
    // The statuses and timestamps straight into the table: the status machine's paths are not what this test is about.
    await ctx.ds.query(`UPDATE trade_ins SET status = ?, updated_at = ? WHERE id = ?`, [STATUSES[(i * 7) % 4], STAMPS[i % STAMPS.length], id]);
  }
});
afterAll(() => {
  CollectionCompiler.statusBranches = true;
  return ctx.close();
});

const ids = (body: { id: number }[]) => body.map((t) => t.id);

/** Offset pages 1 and 2, a cursor walk to the end and the previous page of its third page: everything a caller can see of the order. */
async function pages(query: string): Promise<unknown> {
  const offset = [];
  for (const page of [1, 2]) offset.push(ids((await m.get(`/api/v3/trade-ins?itemsPerPage=5&page=${page}&${query}`).expect(200)).body));
  const walk: number[][] = [];
  let back: number[] = [];
  let url: string | undefined = `/api/v3/trade-ins?partial=true&itemsPerPage=4&${query}`;
  for (let n = 0; url && n < 30; n++) {
    const res: Response = await ld.get(url).expect(200);
    walk.push(ids(res.body['hydra:member']));
    if (n === 2) back = ids((await ld.get(res.body['hydra:view']['hydra:previous']).expect(200)).body['hydra:member']);
    url = res.body['hydra:view']['hydra:next'];
  }
  return { offset, walk, back };
}

/** The branched plan's cached SQL (one entry per shape it served): shows the plan ran. */
function branchShapes(): number {
  const repository: unknown = ctx.app.get(TradeInsRepository);
  return (repository as { pages: { branchSql: Map<string, string> } }).pages.branchSql.size;
}

const STATUS_IN = 'status[]=done&status[]=sent_to_customer&status[]=not_done';

describe('status[] with an order: one index range per status, merged (plan C)', () => {
  it.each([
    [`${STATUS_IN}&order[purchasePrice]=asc`],
    [`${STATUS_IN}&order[purchasePrice]=desc`],
    [`${STATUS_IN}&order[updatedAt]=asc`],
    [`${STATUS_IN}&order[updatedAt]=desc`],
    [STATUS_IN],
    [`${STATUS_IN}&order[id]=asc`],
    ['status[]=done&status[]=purchase_agreement&order[purchasePrice]=asc&vehicleModel.make=volvo'],
  ])('gives the pages of the plain plans for %s', async (query) => {
    const before = branchShapes();
    const branched = await pages(query);
    expect(branchShapes()).toBeGreaterThan(before);
    CollectionCompiler.statusBranches = false;
    try {
      expect(branched).toEqual(await pages(query));
    } finally {
      CollectionCompiler.statusBranches = true;
    }
    expect((branched as { walk: number[][] }).walk.flat().length).toBeGreaterThan(8);
  });

  it('leaves a single status, an order on another column and deep pages to the plain plans', async () => {
    const before = branchShapes();
    await m.get('/api/v3/trade-ins?status=done&order[purchasePrice]=asc').expect(200);
    await m.get(`/api/v3/trade-ins?${STATUS_IN}&order[vehicleModel.make]=asc`).expect(200);
    await m.get(`/api/v3/trade-ins?${STATUS_IN}&order[purchasePrice]=asc&order[updatedAt]=desc`).expect(200);
    await m.get(`/api/v3/trade-ins?${STATUS_IN}&order[purchasePrice]=asc&itemsPerPage=100&page=10`).expect(200);
    expect(branchShapes()).toBe(before);
  });
});
