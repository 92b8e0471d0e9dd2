import { client, setup, TestContext } from './helpers';

/**
 * Behaviour behind the collection's performance work (issue 6): totals served from the count
 * cache stay exact for writes through this process, and the raw-row hydration of the list
 * returns what the item route returns. (Speed itself is measured by `npm run bench`, never here.)
 */
let ctx: TestContext;
let m: ReturnType<typeof client>;

beforeAll(async () => {
  ctx = await setup();
  m = client(ctx, ctx.a.manager);
});
afterAll(() => ctx.close());

const VEHICLE = { make: 'Skoda', model: 'Octavia', regNr: '555SKO', mileage: 90000, firstRegistrationDate: '2019-04-01' };
const total = async (query = '') => Number((await m.get(`/api/v3/trade-ins${query}`).expect(200)).headers['x-total-count']);

describe('collection totals with the count cache', () => {
  it('follow creates, status changes, patches and deletes at once', async () => {
    expect(await total()).toBe(0);
    const a = (await m.post('/api/v3/trade-ins', { vehicleModel: VEHICLE }).expect(201)).body;
    expect(await total()).toBe(1);
    expect(await total('?status=ready_for_appraisal')).toBe(0);
    expect(await total('?vehicleModel.make=kod')).toBe(1);

    await m.patch(`/api/v3/trade-ins/${a.id}/status/ready-for-appraisal`).expect(200);
    expect(await total('?status=ready_for_appraisal')).toBe(1);
    expect(await total('?status=not_done')).toBe(0);

    await m.patch(`/api/v3/trade-ins/${a.id}`, { vehicleModel: { make: 'Volvo' } }).expect(200);
    expect(await total('?vehicleModel.make=kod')).toBe(0);
    expect(await total('?vehicleModel.make=volv')).toBe(1);

    const b = (await m.post('/api/v3/trade-ins', { vehicleModel: VEHICLE }).expect(201)).body;
    expect(await total()).toBe(2);
    await client(ctx, ctx.a.admin).delete(`/api/v3/trade-ins/${b.id}`).expect(204);
    expect(await total()).toBe(1);
  });

  it('are per tenant', async () => {
    const other = client(ctx, ctx.b.manager);
    const before = Number((await other.get('/api/v3/trade-ins').expect(200)).headers['x-total-count']);
    await other.post('/api/v3/trade-ins', { vehicleModel: VEHICLE }).expect(201);
    expect(Number((await other.get('/api/v3/trade-ins').expect(200)).headers['x-total-count'])).toBe(before + 1);
    expect(await total()).toBe(1);
  });

  it('are exact with the cache disabled too (COUNT_CACHE_SECONDS=0)', async () => {
    const uncached = await setup({ countCacheSeconds: 0 });
    try {
      const u = client(uncached, uncached.a.manager);
      await u.post('/api/v3/trade-ins', { vehicleModel: VEHICLE }).expect(201);
      await u.post('/api/v3/trade-ins', { vehicleModel: VEHICLE }).expect(201);
      expect((await u.get('/api/v3/trade-ins').expect(200)).headers['x-total-count']).toBe('2');
    } finally {
      await uncached.close();
    }
  });
});

describe('list rows are the item representation', () => {
  it('every member equals its item, in both formats, with and without relations', async () => {
    const customer = (await m.post('/api/v3/customers', { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }).expect(201)).body;
    const location = (await client(ctx, ctx.a.admin).post('/api/v3/locations', { name: 'Main', city: 'Tartu', country: 'EE' }).expect(201)).body;
    const full = (
      await m
        .post('/api/v3/trade-ins', {
          customer: customer.iri,
          dealership: location.iri,
          vehicleModel: { ...VEHICLE, equipment: ['Tow bar'], accidents: [{ date: '2021-01-02', description: 'Door', repairCost: 120.5 }] },
          condition: { fullService: true, smokedInCar: false },
          debtInfo: { amount: 1500.25, bank: 'Bank' },
          customerAskingPrice: 9999.99,
          priceExVat: true,
        })
        .expect(201)
    ).body;
    const list = (await m.get('/api/v3/trade-ins?itemsPerPage=100').expect(200)).body as { id: number }[];
    expect(list.length).toBeGreaterThan(1);
    for (const member of list) {
      const item = (await m.get(`/api/v3/trade-ins/${member.id}`).expect(200)).body;
      expect(member).toEqual(item);
    }
    const ld = (await client(ctx, ctx.a.manager, 'application/ld+json').get('/api/v3/trade-ins?itemsPerPage=100').expect(200)).body;
    const ldItem = (await client(ctx, ctx.a.manager, 'application/ld+json').get(`/api/v3/trade-ins/${full.id}`).expect(200)).body;
    const { '@context': _, ...withoutContext } = ldItem;
    expect(ld['hydra:member'].find((x: { id: number }) => x.id === full.id)).toEqual(withoutContext);
    expect(ldItem.customer['@id']).toBe(customer.iri);
    expect(ldItem.vehicleModel.accidents[0].repairCost).toBe(120.5);
    expect(ldItem.debtInfo.amount).toBe(1500.25);
    expect(ldItem.priceExVat).toBe(true);
    expect(ldItem.condition).toMatchObject({ fullService: true, smokedInCar: false, acWorks: null });
  });
});
