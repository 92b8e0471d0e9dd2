import request from 'supertest';
import { OutboxEvent } from '../src/database/outbox.entity';
import { TxService } from '../src/database/tx.service';
import { ProgrammeJobs } from '../src/upgrade/programme.jobs';
import { client, expectProblem, setup, TestContext } from './helpers';
import { decodeLabel } from './label-reader';
import { realJpeg } from './programme-flow';

/**
 * Issue 17, done when: the whole programme as the Upgrade module document describes it, with the
 * new steps, walked end to end on one tenant — submit with the required photos → automatic offer →
 * accept → kit order and label → the carrier's update ships it → receive → inspect lower → the
 * customer accepts the revised offer → credit issued to the ledger → the customer sees the balance;
 * and the branches: revised offer declined (return label, declined), rejected by staff, withdrawn,
 * an offer that expires. Each step's details are tested in the programme-* suites; this one shows
 * the steps fit together.
 */
let ctx: TestContext;
const FACILITY = { name: 'Proign Trade-in Centre', line1: 'Peterburi tee 2', postcode: '11415', city: 'Tallinn', country: 'EE' };
const ADDRESS = { line1: 'Narva mnt 5', postcode: '10117', city: 'Tallinn', country: 'EE' };
const VEHICLE = { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good', product_id: 'golf-walk' };
let n = 0;

const admin = () => client(ctx, ctx.a.admin);
const staff = () => client(ctx, ctx.a.manager);
const put = (url: string, body: unknown) =>
  ctx
    .http()
    .put(url)
    .set('X-API-Key', ctx.a.admin)
    .set('Accept', 'application/json')
    .send(body as object);
const binary = (r: request.Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
const eventTypes = async (tradeInId: number) => (await ctx.ds.getRepository(OutboxEvent).find({ where: { tradeInId }, order: { sequence: 'ASC' } })).map((e) => e.type);

beforeAll(async () => {
  ctx = await setup();
  // The tenant's programme: two required angles, a catalogued product (quote 80 % of 500 for "good"),
  // automatic offers at 90 % of the quote valid 7 days, kits fulfilled by an integration.
  await put('/api/alpha/admin/photo-requirements', { min_count: 2, required_angles: ['exterior_front', 'odometer'] }).expect(200);
  await admin().post('/api/alpha/admin/valuations', { product_id: 'golf-walk', base_value: 500 }).expect(201);
  await put('/api/alpha/admin/offer-settings', { auto_offer_percent: 90, auto_offer_validity_days: 7 }).expect(200);
  await put('/api/alpha/admin/shipping', { facility: FACILITY, default_method: 'shipping_kit', provider: 'integration' }).expect(200);
});
afterAll(() => ctx.close());

/** A customer with a shipping address, calling with its token; uploads real JPEGs of an angle. */
async function customer() {
  const email = `walk${++n}@example.com`;
  await ctx.http().post('/api/alpha/auth/register').send({ email, password: 'correct horse battery', first_name: 'Mari', last_name: 'Tamm' }).expect(202);
  const token = `Bearer ${(await ctx.http().post('/api/alpha/auth/login').send({ email, password: 'correct horse battery' }).expect(200)).body.token}`;
  const h = <T extends { set: (k: string, v: string) => T }>(r: T) => r.set('Authorization', token).set('Accept', 'application/json');
  const cu = {
    get: (url: string) => h(ctx.http().get(url)),
    post: (url: string, body?: unknown) => h(ctx.http().post(url)).send(body as object),
    put: (url: string, body?: unknown) => h(ctx.http().put(url)).send(body as object),
    label: (url: string) => binary(ctx.http().get(url).set('Authorization', token)),
    photo: async (angle: string) =>
      (
        await h(ctx.http().post('/api/alpha/photos'))
          .field('picture_type', angle)
          .attach('photo', await realJpeg(), { filename: `${angle}.jpg`, contentType: 'image/jpeg' })
          .expect(201)
      ).body.id as string,
  };
  await cu.put('/api/alpha/profile', { shipping_address: ADDRESS }).expect(200);
  return cu;
}

/** A submission with both angles, submitted: the automatic offer is made at once. */
async function offered() {
  const cu = await customer();
  const photos = [await cu.photo('exterior_front'), await cu.photo('odometer')];
  const sub = (await cu.post('/api/alpha/submissions', { ...VEHICLE, serial_number: `SN-W${n}`, photos }).expect(201)).body.id as string;
  const res = await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
  return { cu, sub, tradeInId: Number(sub.slice(4)), offer: res.body.offer as { id: string; amount: number; kind: string; status: string; expires_at: string } };
}

/** … accepted, shipped by the carrier's update, received and inspected as `grade`. */
async function inspected(grade: string) {
  const o = await offered();
  await o.cu.post(`/api/alpha/offers/${o.offer.id}`, { action: 'accept' }).expect(200);
  const kit = (await o.cu.get(`/api/alpha/submissions/${o.sub}`).expect(200)).body.shipments[0] as { id: string };
  await staff()
    .post(`/api/alpha/admin/shipments/${kit.id}/tracking`, { event_id: `carrier-${o.sub}`, status: 'shipped', carrier: 'DHL', tracking_number: `JD${n}` })
    .expect(200);
  await staff().post(`/api/alpha/submissions/${o.sub}/receive`).expect(200);
  const res = await staff().post(`/api/alpha/submissions/${o.sub}/inspect`, { grade }).expect(200);
  return { ...o, kit, inspectedBody: res.body };
}

describe('the programme, end to end', () => {
  it('submit with the required photos → automatic offer → accept → kit and label → carrier ships → receive → inspect lower → revised offer accepted → credit in the ledger', async () => {
    const cu = await customer();
    // Without the required angles, submitting is refused with everything missing at once.
    const draft = (await cu.post('/api/alpha/submissions', { ...VEHICLE, serial_number: `SN-W${n}` }).expect(201)).body.id as string;
    const refused = await cu.post(`/api/alpha/submissions/${draft}`);
    expectProblem(refused, 422);
    expect(refused.body.violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(expect.arrayContaining(['photos.exterior_front', 'photos.odometer']));
    await cu.put(`/api/alpha/submissions/${draft}`, { photos: [await cu.photo('exterior_front'), await cu.photo('odometer')] }).expect(200);
    const submitted = await cu.post(`/api/alpha/submissions/${draft}`).expect(200);
    // quote 400 (80 % of 500), the automatic offer 90 % of it, expiring in 7 days
    expect(submitted.body).toMatchObject({ status: 'offered', offer: { amount: 360, kind: 'automatic', status: 'pending' } });
    const offer = submitted.body.offer as { id: string; expires_at: string };
    expect(Date.parse(offer.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    // Accepting orders the kit from the profile address; the integration hears of it.
    await cu.post(`/api/alpha/offers/${offer.id}`, { action: 'accept' }).expect(200);
    const accepted = (await cu.get(`/api/alpha/submissions/${draft}`).expect(200)).body;
    expect(accepted.status).toBe('accepted');
    expect(accepted.shipments).toHaveLength(1);
    expect(accepted.shipments[0]).toMatchObject({ direction: 'outbound', status: 'ordered', customer_address: { line1: ADDRESS.line1 }, facility_address: { name: FACILITY.name } });

    // The label: both addresses, and a barcode that scans as the submission id.
    const label = await decodeLabel((await cu.label(`/api/alpha/submissions/${draft}/label`).expect(200)).body as Buffer);
    for (const line of [ADDRESS.line1, FACILITY.name, FACILITY.line1]) expect(label.text).toContain(line);
    expect(label.barcode).toMatchObject({ format: 'CODE_128', text: draft });

    // The carrier's update ships it; staff receive and inspect it one grade lower.
    const kit = accepted.shipments[0] as { id: string };
    await staff().post(`/api/alpha/admin/shipments/${kit.id}/tracking`, { event_id: 'carrier-walk-1', status: 'shipped', carrier: 'DHL', tracking_number: 'JD014600003828' }).expect(200);
    expect((await cu.get(`/api/alpha/submissions/${draft}`).expect(200)).body).toMatchObject({ status: 'shipped', carrier: 'DHL', tracking_number: 'JD014600003828' });
    await staff().post(`/api/alpha/submissions/${draft}/receive`).expect(200);
    const inspected = await staff().post(`/api/alpha/submissions/${draft}/inspect`, { grade: 'fair' }).expect(200);
    // 360 re-quoted from good (80 %) to fair (60 %): 270, offered to the customer as a revised offer.
    expect(inspected.body).toMatchObject({ status: 'inspected', final_value: 270, offer: { kind: 'revised', status: 'pending', amount: 270 } });
    expectProblem(await staff().post(`/api/alpha/submissions/${draft}/complete`, { credit_type: 'store_credit' }), 409);

    // The customer accepts the revised offer; staff complete; the credit is in the ledger.
    await cu.post(`/api/alpha/offers/${inspected.body.offer.id}`, { action: 'accept' }).expect(200);
    const completed = await staff().post(`/api/alpha/submissions/${draft}/complete`, { credit_type: 'store_credit', reference: 'SC-WALK' }).expect(200);
    expect(completed.body).toMatchObject({ status: 'completed', credit_amount: 270 });
    const credits = (await cu.get('/api/alpha/credits').expect(200)).body;
    expect(credits).toMatchObject({ balance: 270, total_entries: 1 });
    expect(credits.entries[0]).toMatchObject({ kind: 'issue', amount: 270 });
    // The dealer side shows the same price, and the history names who made each move.
    const tradeInId = Number(draft.slice(4));
    expect((await staff().get(`/api/v3/trade-ins/${tradeInId}`).expect(200)).body.purchasePrice).toBe(270);
    const history = (await staff().get(`/api/v3/trade-ins/${tradeInId}/history`).expect(200)).body as { to: string; actor: { kind: string } }[];
    expect(history.map((h) => [h.to, h.actor.kind])).toEqual(
      expect.arrayContaining([
        ['ready_for_appraisal', 'customer'],
        ['purchase_agreement', 'customer'],
        ['received', 'user'],
        ['completed', 'user'],
      ]),
    );
    expect(await eventTypes(tradeInId)).toEqual(
      expect.arrayContaining([
        'submission.submitted',
        'offer.created',
        'offer.accepted',
        'submission.kit_ordered',
        'submission.shipped',
        'submission.inspected',
        'offer.revised',
        'submission.credit_issued',
        'credit.entry',
      ]),
    );
  });

  it('a revised offer declined: the return label, and the submission ends declined with nothing credited', async () => {
    const s = await inspected('poor');
    const revised = s.inspectedBody.offer as { id: string; kind: string };
    expect(revised.kind).toBe('revised');
    await s.cu.post(`/api/alpha/offers/${revised.id}`, { action: 'decline', reason: 'Too low for me' }).expect(200);
    const declined = (await s.cu.get(`/api/alpha/submissions/${s.sub}`).expect(200)).body;
    expect(declined).toMatchObject({ status: 'declined', return_requested_at: expect.any(String), credit_amount: null });
    expect(declined.shipments.map((x: { direction: string }) => x.direction)).toEqual(['outbound', 'return']);
    const label = await decodeLabel((await s.cu.label(`/api/alpha/submissions/${s.sub}/label?direction=return`).expect(200)).body as Buffer);
    expect(label.barcode.text).toBe(s.sub);
    expect(label.text).toContain(ADDRESS.line1);
    expect((await s.cu.get('/api/alpha/credits').expect(200)).body.balance).toBe(0);
  });

  it('an item rejected by staff, a withdrawn submission, and an offer that expires', async () => {
    // rejected by staff once received: declined, its return ordered
    const r = await inspected('good');
    await staff().post(`/api/alpha/submissions/${r.sub}/reject`, { reason: 'Not the catalogued product' }).expect(200);
    expect((await r.cu.get(`/api/alpha/submissions/${r.sub}`).expect(200)).body).toMatchObject({ status: 'declined', return_requested_at: expect.any(String) });

    // withdrawn while offered: the offer is withdrawn with it
    const w = await offered();
    await w.cu.post(`/api/alpha/submissions/${w.sub}/withdraw`).expect(200);
    expect((await w.cu.get(`/api/alpha/submissions/${w.sub}`).expect(200)).body.status).toBe('declined');
    expect((await w.cu.get(`/api/alpha/offers/${w.offer.id}`).expect(200)).body.status).toBe('withdrawn');

    // the automatic offer expires unanswered: the job expires it, the submission awaits a new offer
    const e = await offered();
    await ctx.app.get(TxService).run((em) => ctx.app.get(ProgrammeJobs).expireOffers(em, new Date(Date.parse(e.offer.expires_at) + 1000)));
    expect((await e.cu.get(`/api/alpha/offers/${e.offer.id}`).expect(200)).body.status).toBe('expired');
    expect((await e.cu.get(`/api/alpha/submissions/${e.sub}`).expect(200)).body.status).toBe('submitted');
    expectProblem(await e.cu.post(`/api/alpha/offers/${e.offer.id}`, { action: 'accept' }), 409, /expired/);
  });
});
