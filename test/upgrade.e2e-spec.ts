import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant } from '../src/auth/keys';
import { Location } from '../src/locations/location.entity';
import { TxService } from '../src/database/tx.service';
import { TradeInStatusChange } from '../src/trade-ins/trade-in.entity';
import { ProgramAccount, ProgramPhoto, ProgramSession } from '../src/upgrade/program.entities';
import sharp from 'sharp';
import { client, expectProblem, setup, TestContext } from './helpers';
import { noPhotosRequired } from './programme-flow';

let ctx: TestContext;
let uploadDir: string;
const BASE = 'https://trade.example';

beforeAll(async () => {
  uploadDir = mkdtempSync(join(tmpdir(), 'upgrade-uploads-'));
  ctx = await setup({ uploadDir, loginMaxFailures: 3, loginLockSeconds: 600, photoMaxBytes: 64 * 1024, publicBaseUrl: BASE });
  const made = (format: 'jpeg' | 'png' | 'webp') =>
    sharp({ create: { width: 16, height: 12, channels: 3, background: '#4080c0' } })
      .toFormat(format)
      .toBuffer();
  [JPEG, PNG, WEBP] = await Promise.all([made('jpeg'), made('png'), made('webp')]);
  // These suites' submissions are about the rest of the process: no photo required (photos: programme-photos.e2e-spec.ts).
  await noPhotosRequired(ctx, ctx.a.admin, 'alpha');
  await noPhotosRequired(ctx, ctx.b.admin, 'beta');
});
afterAll(async () => {
  await ctx.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

// Real images (uploads are decoded since issue 17), made once.
let JPEG: Buffer;
let PNG: Buffer;
let WEBP: Buffer;

/** A programme customer: Bearer token on every request, plain JSON. */
function customer(token: string) {
  const h = <T extends { set: (k: string, v: string) => T }>(r: T) => r.set('Authorization', `Bearer ${token}`).set('Accept', 'application/json');
  return {
    get: (url: string) => h(ctx.http().get(url)),
    post: (url: string, body?: unknown) => h(ctx.http().post(url)).send(body as object),
    put: (url: string, body?: unknown) => h(ctx.http().put(url)).send(body as object),
    upload: (url: string, data: Buffer, filename = 'p.jpg', extra: Record<string, string> = {}) => {
      let r = h(ctx.http().post(url));
      for (const [k, v] of Object.entries(extra)) r = r.field(k, v);
      return r.attach('photo', data, { filename, contentType: 'image/jpeg' });
    },
  };
}

let n = 0;
/** A new programme customer: registration (202, no token), then login. */
async function register(tenant = 'alpha', email?: string) {
  const address = email ?? `customer${++n}@example.com`;
  await ctx
    .http()
    .post(`/api/${tenant}/auth/register`)
    .send({ email: address, password: 'correct horse battery', first_name: 'Mari', last_name: `Tamm${n}` })
    .expect(202);
  const res = await ctx.http().post(`/api/${tenant}/auth/login`).send({ email: address, password: 'correct horse battery' }).expect(200);
  const me = await customer(res.body.token).get(`/api/${tenant}/auth/me`).expect(200);
  return { token: res.body.token as string, c: customer(res.body.token), body: { ...res.body, customer: me.body } };
}

const VEHICLE = { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000 };

async function uploadPhoto(c: ReturnType<typeof customer>, tenant = 'alpha', data = JPEG, extra: Record<string, string> = {}) {
  return (await c.upload(`/api/${tenant}/photos`, data, 'p.jpg', extra).expect(201)).body.id as string;
}

/** A submitted submission of a new customer, with an offer from alpha's manager. */
async function offered(amount = 300, expires_at?: string) {
  const cu = await register();
  const sub = await cu.c.post('/api/alpha/submissions', { ...VEHICLE, serial_number: `SN-${++n}`, condition: 'good' }).expect(201);
  await cu.c.post(`/api/alpha/submissions/${sub.body.id}`).expect(200);
  const offer = await client(ctx, ctx.a.manager)
    .post('/api/alpha/offers', { submission_id: sub.body.id, amount, ...(expires_at ? { expires_at } : {}) })
    .expect(201);
  return { cu, sub: sub.body.id as string, offer: offer.body.id as string, tradeInId: Number(String(sub.body.id).slice(4)) };
}

describe('the whole process, seen through both APIs', () => {
  it('register, submit with photos, offer, accept, ship, receive, inspect, complete', async () => {
    const admin = client(ctx, ctx.a.admin);
    const staff = client(ctx, ctx.a.manager);
    await admin.post('/api/alpha/admin/valuations', { product_id: 'golf-7', make: 'Volkswagen', model: 'Golf', year_from: 2017, year_to: 2020, base_value: 12345.67 }).expect(201);

    const { c, body: reg } = await register('alpha', 'walker@example.com');
    expect(reg.customer).toMatchObject({ email: 'walker@example.com', last_name: expect.any(String) });
    const me = await c.get('/api/alpha/auth/me').expect(200);
    expect(me.body.email).toBe('walker@example.com');

    const front = await uploadPhoto(c, 'alpha', JPEG, { picture_type: 'exterior_front' });
    const other = await uploadPhoto(c, 'alpha', PNG);
    const created = await c
      .post('/api/alpha/submissions', {
        product_id: 'golf-7',
        serial_number: 'wvwzzz1kz6w000001',
        condition: 'good',
        description: 'Small dent',
        mileage: 84000,
        first_registration_date: '2019-05-01',
        photos: [front, other],
      })
      .expect(201);
    const sub = created.body.id as string;
    expect(sub).toMatch(/^sub_\d+$/);
    expect(created.headers.location).toBe(`/api/alpha/submissions/${sub}`);
    expect(created.body).toMatchObject({ status: 'draft', trade_in_status: 'not_done', make: 'Volkswagen', model: 'Golf', vin: 'WVWZZZ1KZ6W000001', quoted_value: null });
    expect(created.body.photos.map((p: { id: string }) => p.id)).toEqual([front, other]);
    const id = created.body.trade_in.split('/').pop();

    await c.post(`/api/alpha/submissions/${sub}`).expect(200);
    // staff see the automatic quote: 12345.67 × 80 % = 9876.536 → 9876.54
    const forStaff = await staff.get(`/api/alpha/submissions/${sub}`).expect(200);
    expect(forStaff.body).toMatchObject({ status: 'submitted', quoted_value: 9876.54 });

    const offer = await staff.post('/api/alpha/offers', { submission_id: sub, amount: 9500.1, notes: 'Good car', expires_at: '2999-01-01T00:00:00Z' }).expect(201);
    expect(offer.body).toMatchObject({ submission_id: sub, amount: 9500.1, status: 'pending', quoted_value: 9876.54, expired: false });
    const mine = await c.get('/api/alpha/offers').expect(200);
    expect(mine.body.map((o: { id: string }) => o.id)).toEqual([offer.body.id]);
    expect(mine.body[0].quoted_value).toBeNull();

    const accepted = await c.post(`/api/alpha/offers/${offer.body.id}`, { action: 'accept' }).expect(200);
    expect(accepted.body.status).toBe('accepted');
    await c.post(`/api/alpha/submissions/${sub}/ship`, { method: 'shipping_kit', carrier: 'DHL', tracking_number: 'JD0146' }).expect(200);
    await staff.post(`/api/alpha/submissions/${sub}/receive`).expect(200);
    const inspected = await staff.post(`/api/alpha/submissions/${sub}/inspect`, { grade: 'fair', notes: 'Deeper scratch' }).expect(200);
    // re-quoted: 9500.10 × 60 / 80 = 7125.075 → 7125.08
    expect(inspected.body).toMatchObject({ status: 'inspected', inspected_grade: 'fair', final_value: 7125.08, offer: { kind: 'revised', amount: 7125.08, status: 'pending' } });
    // A lower value is the customer's to accept (issue 17): the revised offer, then the credit.
    await c.post(`/api/alpha/offers/${inspected.body.offer.id}`, { action: 'accept' }).expect(200);
    const done = await staff.post(`/api/alpha/submissions/${sub}/complete`, { credit_type: 'store_credit', reference: 'SC-1' }).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', credit_type: 'store_credit', credit_amount: 7125.08, credit_reference: 'SC-1' });

    // The same trade-in through /api/v3
    const t = await staff.get(`/api/v3/trade-ins/${id}`).expect(200);
    expect(t.body).toMatchObject({
      status: 'completed',
      // The dealer-side price follows the final value (issue 17).
      purchasePrice: 7125.08,
      note: 'Small dent',
      customer: { iri: me.body.customer, email: 'walker@example.com' },
      vehicleModel: { make: 'Volkswagen', model: 'Golf', vinCode: 'WVWZZZ1KZ6W000001', mileage: 84000, firstRegistrationDate: '2019-05-01' },
      program: {
        submissionId: sub,
        programStatus: 'completed',
        serialNumber: 'wvwzzz1kz6w000001',
        conditionGrade: 'good',
        quotedValue: 9876.54,
        shippingMethod: 'shipping_kit',
        trackingNumber: 'JD0146',
        inspectedGrade: 'fair',
        finalValue: 7125.08,
        creditType: 'store_credit',
        creditAmount: 7125.08,
      },
    });
    const pictures = await staff.get(`/api/v3/trade-ins/${id}/pictures`).expect(200);
    expect(pictures.body.map((p: { url: string; pictureType: string | null }) => [p.url, p.pictureType])).toEqual([
      [`${BASE}/api/alpha/photos/${front}`, '/api/v3/picture-types/exterior_front'],
      [`${BASE}/api/alpha/photos/${other}`, null],
    ]);
    const history = await staff.get(`/api/v3/trade-ins/${id}/history`).expect(200);
    expect(history.body.map((h: { to: string }) => h.to)).toEqual([
      'not_done',
      'ready_for_appraisal',
      'done',
      'sent_to_customer',
      'purchase_agreement',
      'shipped',
      'received',
      'inspected',
      'completed',
    ]);
    expect(history.body[2].changedBy.id).toBe(ctx.a.managerUserId);
    // locked like any trade-in after done
    expectProblem(await staff.patch(`/api/v3/trade-ins/${id}`, { note: 'x' }), 422, /locked|cannot be changed/);
    // the stored photo is served to its owner
    const img = await c.get(`/api/alpha/photos/${front}`).expect(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(img.body as Buffer, JPEG)).toBe(0);
    const asImage = await ctx.http().get(`/api/alpha/photos/${other}`).set('X-API-Key', ctx.a.manager).set('Accept', 'image/*').expect(200);
    expect(asImage.headers['content-type']).toBe('image/png');
    // a properties[] selection of the programme facts reads them too
    const picked = await staff.get(`/api/v3/trade-ins/${id}?properties[]=id&properties[]=program`).expect(200);
    expect(picked.body).toEqual({ id: Number(id), program: expect.objectContaining({ submissionId: sub, programStatus: 'completed', creditAmount: 7125.08 }) });
    // ... and so does the collection, in full and with a selection
    const listed = await staff.get(`/api/v3/trade-ins?status=completed`).expect(200);
    expect(listed.body.find((m: { id: number }) => m.id === Number(id))).toEqual(t.body);
    const pickedList = await staff.get(`/api/v3/trade-ins?status=completed&properties[]=id&properties[]=program`).expect(200);
    expect(pickedList.body.find((m: { id: number }) => m.id === Number(id))).toEqual(picked.body);
  });
});

describe("the document's examples, as written", () => {
  it('create submission and create offer (ids sub_123 and photo_abc/photo_def as fixtures)', async () => {
    const { c } = await register();
    const a = await uploadPhoto(c);
    const b = await uploadPhoto(c, 'alpha', WEBP);
    await ctx.ds.getRepository(ProgramPhoto).update({ publicId: a }, { publicId: 'photo_abc' });
    await ctx.ds.getRepository(ProgramPhoto).update({ publicId: b }, { publicId: 'photo_def' });
    await client(ctx, ctx.a.admin).post('/api/alpha/admin/valuations', { product_id: 'prod_123', make: 'Honda', model: 'CB500', year_from: 2015, year_to: 2024, base_value: 437.5 }).expect(201);
    // make the next trade-in id 123, so the offer example's "sub_123" is this submission
    await ctx.ds.query(ctx.databaseUrl ? 'ALTER TABLE trade_ins AUTO_INCREMENT = 123' : "UPDATE sqlite_sequence SET seq = 122 WHERE name = 'trade_ins'");
    expectProblem(await ctx.http().post('/api/alpha/submissions').send({}), 401, /Bearer/);
    const created = await c.post(
      '/api/alpha/submissions',
      JSON.parse(`{
"product_id": "prod_123",
"serial_number": "SN-12345678",
"condition": "good",
"description": "Minor scratches on grip",
"photos": ["photo_abc", "photo_def"]
}`),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'sub_123',
      product_id: 'prod_123',
      serial_number: 'SN-12345678',
      condition: 'good',
      description: 'Minor scratches on grip',
      make: 'Honda',
      model: 'CB500',
      vin: null,
    });
    expect(created.body.photos.map((p: { id: string; content_type: string }) => `${p.id}:${p.content_type}`)).toEqual(['photo_abc:image/jpeg', 'photo_def:image/webp']);
    await c.put('/api/alpha/submissions/sub_123', { mileage: 12000, first_registration_date: '2020-03-01' }).expect(200);
    await c.post('/api/alpha/submissions/sub_123').expect(200);

    const offer = await ctx.http().post('/api/alpha/offers').set('X-API-Key', ctx.a.manager).set('Content-Type', 'application/json').send(`{
"submission_id": "sub_123",
"amount": 350.00,
"notes": "Based on good condition assessment",
"expires_at": "2024-02-01T00:00:00Z"
}`);
    expect(offer.status).toBe(201);
    expect(offer.headers['content-type']).toMatch(/^application\/json/);
    // the automatic quote shown to the admin: 437.50 × 80 % = 350.00
    expect(offer.body).toMatchObject({
      submission_id: 'sub_123',
      amount: 350,
      notes: 'Based on good condition assessment',
      expires_at: '2024-02-01T00:00:00.000+00:00',
      status: 'pending',
      expired: true,
      quoted_value: 350,
    });
    const t = await client(ctx, ctx.a.manager).get('/api/v3/trade-ins/123').expect(200);
    expect(t.body).toMatchObject({ status: 'sent_to_customer', purchasePrice: 350, program: { programStatus: 'offered', serialNumber: 'SN-12345678' }, vehicleModel: { vinCode: null } });
  });
});

describe('offers', () => {
  it('an expired offer cannot be accepted (409); it can be declined, and the reason is recorded', async () => {
    const { cu, offer, tradeInId } = await offered(300, '2024-02-01T00:00:00Z');
    expectProblem(await cu.c.post(`/api/alpha/offers/${offer}`, { action: 'accept' }), 409, /expired/);
    const still = await cu.c.get(`/api/alpha/offers/${offer}`).expect(200);
    expect(still.body).toMatchObject({ status: 'pending', expired: true });
    const declined = await cu.c.post(`/api/alpha/offers/${offer}`, { action: 'decline', reason: 'Expected at least 400' }).expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', decline_reason: 'Expected at least 400' });
    const t = await client(ctx, ctx.a.manager).get(`/api/v3/trade-ins/${tradeInId}`).expect(200);
    expect(t.body).toMatchObject({ status: 'no_deal', rejectReason: 'price_too_low', rejectReasonMetaText: expect.stringContaining('Expected at least 400'), program: { programStatus: 'declined' } });
    expectProblem(await cu.c.post(`/api/alpha/offers/${offer}`, { action: 'accept' }), 409, /declined/);
  });

  it('a new offer supersedes the pending one; the old one cannot be accepted', async () => {
    const { cu, sub, offer } = await offered(300);
    const second = await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 320 }).expect(201);
    expectProblem(await cu.c.post(`/api/alpha/offers/${offer}`, { action: 'accept' }), 409, /superseded/);
    await cu.c.post(`/api/alpha/offers/${second.body.id}`, { action: 'accept' }).expect(200);
    expectProblem(await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 1 }), 409, /accepted/);
  });

  it('validation and roles: 422 naming fields; readonly and customers may not create offers', async () => {
    const { sub } = await offered();
    const res = await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: 'nope', amount: -1, expires_at: 'tomorrow' });
    expectProblem(res, 422);
    expect(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['amount', 'expires_at', 'submission_id']);
    expectProblem(await client(ctx, ctx.a.readonly).post('/api/alpha/offers', { submission_id: sub, amount: 1 }), 403);
    const { c } = await register();
    expectProblem(await c.post('/api/alpha/offers', { submission_id: sub, amount: 1 }), 403);
    expectProblem(await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: 'sub_999999', amount: 1 }), 404);
  });
});

describe('completion', () => {
  async function inspected() {
    const o = await offered(500);
    const staff = client(ctx, ctx.a.manager);
    await o.cu.c.post(`/api/alpha/offers/${o.offer}`, { action: 'accept' }).expect(200);
    await staff.post(`/api/alpha/submissions/${o.sub}/ship`, { method: 'drop_off' }).expect(200);
    await staff.post(`/api/alpha/submissions/${o.sub}/receive`).expect(200);
    await staff.post(`/api/alpha/submissions/${o.sub}/inspect`, { grade: 'good' }).expect(200);
    return o;
  }

  it('the credit is issued once: a second completion is 409 and changes nothing', async () => {
    const { sub, tradeInId } = await inspected();
    const staff = client(ctx, ctx.a.manager);
    const first = await staff.post(`/api/alpha/submissions/${sub}/complete`, { credit_type: 'refund' }).expect(200);
    expect(first.body).toMatchObject({ credit_type: 'refund', credit_amount: 500 });
    expectProblem(await staff.post(`/api/alpha/submissions/${sub}/complete`, { credit_type: 'store_credit' }), 409, /already completed/);
    const after = await staff.get(`/api/alpha/submissions/${sub}`).expect(200);
    expect(after.body).toMatchObject({ credit_type: 'refund', credit_issued_at: first.body.credit_issued_at });
    const h = await ctx.ds.getRepository(TradeInStatusChange).countBy({ tradeInId, toStatus: 'completed' });
    expect(h).toBe(1);
  });

  it('concurrent completions: exactly one succeeds', async () => {
    const { sub } = await inspected();
    const staff = client(ctx, ctx.a.manager);
    const results = await Promise.all([1, 2, 3].map(() => staff.post(`/api/alpha/submissions/${sub}/complete`, { credit_type: 'store_credit' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it('the v3 status route cannot complete without the programme credit; logistics moves are checked', async () => {
    const { sub, tradeInId, cu } = await offered(100);
    const staff = client(ctx, ctx.a.manager);
    expectProblem(await staff.post(`/api/alpha/submissions/${sub}/receive`), 409, /offered/);
    expectProblem(await cu.c.post(`/api/alpha/submissions/${sub}/receive`), 403);
    expectProblem(await staff.patch(`/api/v3/trade-ins/${tradeInId}/status/completed`), 409, /sent_to_customer.*completed/);
  });
});

describe('photos', () => {
  it('bad uploads are rejected: not an image, disguised file, too big, no file, wrong media type', async () => {
    const { c } = await register();
    const before = readdirSync(uploadDir, { recursive: true }).length;
    expectProblem(await c.upload('/api/alpha/photos', Buffer.from('just some text'), 'notes.txt'), 422, /JPEG, PNG or WebP/);
    expectProblem(await c.upload('/api/alpha/photos', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'evil.jpg'), 422, /photo/);
    expectProblem(await c.upload('/api/alpha/photos', Buffer.concat([JPEG, Buffer.alloc(70 * 1024)]), 'big.jpg'), 413, /larger/);
    expectProblem(
      await ctx
        .http()
        .post('/api/alpha/photos')
        .set('Authorization', `Bearer ${(await register()).token}`)
        .field('note', 'no file'),
      400,
      /photo/,
    );
    const wrongField = await ctx
      .http()
      .post('/api/alpha/photos')
      .set('Authorization', `Bearer ${(await register()).token}`)
      .attach('image', JPEG, 'p.jpg');
    expectProblem(wrongField, 400, /photo/);
    expectProblem(await c.post('/api/alpha/photos', { photo: 'base64...' }), 415);
    expectProblem(await c.upload('/api/alpha/photos', PNG, 'p.png', { picture_type: 'selfie' }), 422, /picture_type/);
    expect(readdirSync(uploadDir, { recursive: true }).length).toBe(before);
    expect(await ctx.ds.getRepository(ProgramPhoto).countBy({ accountId: (await c.get('/api/alpha/auth/me')).body.id })).toBe(0);
  });

  it('an upload holds one file, in the field "photo", and a few fields; anything more is 400 and stores nothing', async () => {
    const { token, c } = await register();
    const before = readdirSync(uploadDir, { recursive: true }).length;
    const post = () => ctx.http().post('/api/alpha/photos').set('Authorization', `Bearer ${token}`);
    expectProblem(await post().attach('photo', JPEG, 'a.jpg').attach('photo', JPEG, 'b.jpg'), 400, /Too many files/);
    const other = await post().attach('image', JPEG, 'p.jpg');
    expectProblem(other, 400, /photo/);
    expect(other.body.detail).toContain('image');
    let many = post();
    for (let i = 0; i < 6; i++) many = many.field(`f${i}`, 'x');
    expectProblem(await many.attach('photo', JPEG, 'p.jpg'), 400, /Too many/);
    expect(readdirSync(uploadDir, { recursive: true }).length).toBe(before);
    expect(await ctx.ds.getRepository(ProgramPhoto).countBy({ accountId: (await c.get('/api/alpha/auth/me')).body.id })).toBe(0);
  });

  it('a photo is served only to its owner and the tenant staff', async () => {
    const owner = await register();
    const other = await register();
    const id = await uploadPhoto(owner.c);
    await owner.c.get(`/api/alpha/photos/${id}`).expect(200);
    await ctx.http().get(`/api/alpha/photos/${id}`).set('X-API-Key', ctx.a.readonly).expect(200);
    expectProblem(await other.c.get(`/api/alpha/photos/${id}`), 404);
    expectProblem(await ctx.http().get(`/api/alpha/photos/${id}`).set('X-API-Key', ctx.b.admin), 404);
    expectProblem(await ctx.http().get(`/api/beta/photos/${id}`).set('X-API-Key', ctx.b.admin), 404);
    expectProblem(await ctx.http().get(`/api/alpha/photos/${id}`), 401);
    // someone else's photo cannot be attached
    const res = await other.c.post('/api/alpha/submissions', { photos: [id] });
    expectProblem(res, 422, /photos\[0\]/);
  });
});

describe('isolation', () => {
  it("a customer cannot see another customer's or another tenant's data", async () => {
    const { cu, sub, offer } = await offered(250);
    const photo = await uploadPhoto(cu.c);
    const intruder = await register();
    const list = await intruder.c.get('/api/alpha/submissions').expect(200);
    expect(list.body).toEqual([]);
    expect(list.headers['x-total-count']).toBe('0');
    expectProblem(await intruder.c.get(`/api/alpha/submissions/${sub}`), 404);
    expectProblem(await intruder.c.put(`/api/alpha/submissions/${sub}`, { description: 'x' }), 404);
    expectProblem(await intruder.c.post(`/api/alpha/submissions/${sub}`), 404);
    expectProblem(await intruder.c.post(`/api/alpha/submissions/${sub}/ship`, { method: 'drop_off' }), 404);
    expectProblem(await intruder.c.get(`/api/alpha/offers/${offer}`), 404);
    expectProblem(await intruder.c.post(`/api/alpha/offers/${offer}`, { action: 'decline' }), 404);
    expect((await intruder.c.get('/api/alpha/offers').expect(200)).body).toEqual([]);
    expectProblem(await intruder.c.get(`/api/alpha/photos/${photo}`), 404);

    // the owner's token is bound to tenant alpha; beta's customers and staff see nothing of alpha
    expectProblem(await cu.c.get('/api/beta/submissions'), 404);
    const betaCustomer = await register('beta');
    expect((await betaCustomer.c.get('/api/beta/submissions').expect(200)).body).toEqual([]);
    expectProblem(await betaCustomer.c.get(`/api/alpha/submissions/${sub}`), 404);
    expectProblem(await betaCustomer.c.get(`/api/beta/submissions/${sub}`), 404);
    expectProblem(await client(ctx, ctx.b.admin).get('/api/alpha/admin/customers'), 404);
    expectProblem(await client(ctx, ctx.b.admin).get(`/api/beta/submissions/${sub}`), 404);
    const betaStats = await client(ctx, ctx.b.admin).get('/api/beta/admin/stats').expect(200);
    expect(betaStats.body.offers.count).toBe(0);
    // the same e-mail may register in another tenant; it is another account
    await register('beta', 'walker@example.com');
    expectProblem(await ctx.http().get('/api/nosuchtenant/submissions').set('Authorization', `Bearer ${cu.token}`), 404);
  });

  it('customers cannot use staff routes and staff keys cannot act as customers', async () => {
    const { c } = await register();
    for (const url of ['/api/alpha/admin/valuations', '/api/alpha/admin/customers', '/api/alpha/admin/stats']) expectProblem(await c.get(url), 403);
    expectProblem(await client(ctx, ctx.a.admin).post('/api/alpha/submissions', {}), 403);
    expectProblem(await client(ctx, ctx.a.readonly).post('/api/alpha/admin/valuations', { make: 'A', model: 'B', year_from: 2000, year_to: 2001, base_value: 1 }), 403);
    expectProblem(await ctx.http().get('/api/alpha/admin/stats'), 401);
  });
});

describe('accounts', () => {
  it('passwords are argon2id hashes, tokens are stored hashed, logout revokes', async () => {
    const { token, c, body } = await register('alpha', 'hash@example.com');
    const account = await ctx.ds.getRepository(ProgramAccount).findOneByOrFail({ id: body.customer.id });
    expect(account.passwordHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(account.passwordHash).not.toContain('correct horse');
    const sessions = await ctx.ds.getRepository(ProgramSession).findBy({ accountId: account.id });
    expect(sessions).toHaveLength(1);
    expect(sessions[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions[0].tokenHash).not.toBe(token);
    await c.post('/api/alpha/auth/logout').expect(204);
    expectProblem(await c.get('/api/alpha/auth/me'), 401);
    const login = await ctx.http().post('/api/alpha/auth/login').send({ email: 'HASH@example.com', password: 'correct horse battery' }).expect(200);
    await customer(login.body.token).get('/api/alpha/profile').expect(200);
  });

  it('repeated failed logins lock the account from that address, even for the right password', async () => {
    await register('alpha', 'lock@example.com');
    for (let i = 0; i < 3; i++) expectProblem(await ctx.http().post('/api/alpha/auth/login').send({ email: 'lock@example.com', password: 'wrong password!' }), 401, /wrong/);
    expectProblem(await ctx.http().post('/api/alpha/auth/login').send({ email: 'lock@example.com', password: 'wrong password!' }), 429, /try again in \d+ seconds/);
    const locked = await ctx.http().post('/api/alpha/auth/login').send({ email: 'lock@example.com', password: 'correct horse battery' });
    expectProblem(locked, 429, /failed logins/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await ctx.http().post('/api/alpha/auth/login').send({ email: 'nobody@example.com', password: 'correct horse battery' }), 401);
  });

  it('registration validates; a known e-mail changes nothing; profile updates the dealer-side customer', async () => {
    const bad = await ctx.http().post('/api/alpha/auth/register').send({ email: 'not-an-email', password: 'short', last_name: '' });
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['email', 'last_name', 'password']);
    expectProblem(
      await ctx
        .http()
        .post('/api/alpha/auth/register')
        .send({ email: 'x@example.com', password: 'é'.repeat(40), last_name: 'X' }),
      422,
      /72 bytes/,
    );
    const { c } = await register('alpha', 'dup@example.com');
    await ctx.http().post('/api/alpha/auth/register').send({ email: 'Dup@example.com', password: 'another horse battery', last_name: 'D' }).expect(202);
    expect(await ctx.ds.getRepository(ProgramAccount).countBy({ email: 'dup@example.com' })).toBe(1);
    const p = await c.put('/api/alpha/profile', { phone: '+372 5555', first_name: null }).expect(200);
    expect(p.body).toMatchObject({ phone: '+372 5555', first_name: null });
    const dealer = await client(ctx, ctx.a.manager).get(p.body.customer).expect(200);
    expect(dealer.body).toMatchObject({ phone: '+372 5555', firstName: null, email: 'dup@example.com' });
    expectProblem(await ctx.http().post('/api/alpha/auth/register').set('Content-Type', 'application/json').send('{"email":'), 400);
  });

  it('tenant slugs that collide with API paths are refused', async () => {
    const tx = ctx.app.get(TxService);
    for (const slug of ['v3', 'v4', 'docs', 'Bad Slug', '-x']) await expect(tx.run((em) => createTenant(em, 'X', slug))).rejects.toThrow(/slug|reserved/);
    expectProblem(await ctx.http().post('/api/v3/auth/register').send({}), 404);
    // The programme answers JSON whatever Accept says; a reserved slug is still a 404, not a 406.
    expectProblem(await ctx.http().get('/api/v3/submissions/sub_1').set('Accept', 'text/csv'), 404);
    const { c } = await register('alpha', 'csv@example.com');
    const me = await c.get('/api/alpha/auth/me').set('Accept', 'text/csv').expect(200);
    expect(me.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('submissions', () => {
  it('submitting needs complete information; violations use the programme field names', async () => {
    const { c } = await register();
    const s = await c.post('/api/alpha/submissions', { description: 'empty' }).expect(201);
    const res = await c.post(`/api/alpha/submissions/${s.body.id}`);
    expectProblem(res, 422);
    expect(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['condition', 'first_registration_date', 'make', 'mileage', 'model', 'serial_number']);
    await c.put(`/api/alpha/submissions/${s.body.id}`, { ...VEHICLE, condition: 'poor', reg_nr: '123ABC' }).expect(200);
    await c.post(`/api/alpha/submissions/${s.body.id}`).expect(200);
    await c.post(`/api/alpha/submissions/${s.body.id}`).expect(200); // no-op
    expectProblem(await c.put(`/api/alpha/submissions/${s.body.id}`, { description: 'late' }), 409, /draft/);
    const bad = await c.post('/api/alpha/submissions', { condition: 'mint', mileage: -1, photos: 'x', location_id: 999999 });
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['condition', 'mileage', 'photos']);
    expectProblem(await c.post('/api/alpha/submissions', { location_id: 999999 }), 422, /location_id/);
  });

  it("the requirements of a move are worded in the programme's terms: no trade-in field or status in the messages", async () => {
    const { c } = await register();
    const s = await c.post('/api/alpha/submissions', { description: 'empty' }).expect(201);
    const res = await c.post(`/api/alpha/submissions/${s.body.id}`);
    expectProblem(res, 422);
    const byField = Object.fromEntries(res.body.violations.map((v: { propertyPath: string; message: string }) => [v.propertyPath, v.message]));
    expect(byField).toEqual({
      condition: 'condition (excellent, good, fair or poor) is required.',
      first_registration_date: 'first_registration_date is required.',
      make: 'make is required.',
      mileage: 'mileage is required.',
      model: 'model is required.',
      serial_number: 'serial_number (or reg_nr) is required.',
    });
  });

  it('lists are paginated and filter by programme status', async () => {
    const { c } = await register();
    for (let i = 0; i < 3; i++) await c.post('/api/alpha/submissions', { description: `s${i}` }).expect(201);
    const page = await c.get('/api/alpha/submissions?itemsPerPage=2').expect(200);
    expect(page.body).toHaveLength(2);
    expect(page.headers['x-total-count']).toBe('3');
    expect(page.headers.link).toContain('rel="next"');
    expect((await c.get('/api/alpha/submissions?status=draft').expect(200)).body).toHaveLength(3);
    expect((await c.get('/api/alpha/submissions?status=completed').expect(200)).body).toHaveLength(0);
    expectProblem(await c.get('/api/alpha/submissions?status=finished'), 400, /status/);
    expectProblem(await c.get('/api/alpha/submissions?itemsPerPage=1000'), 400, /itemsPerPage/);
  });
});

describe('valuations, modifiers and quotes', () => {
  it('CRUD, per-tenant modifiers, and the quote follows them', async () => {
    const admin = {
      ...client(ctx, ctx.b.admin),
      put: (url: string, body: unknown) =>
        ctx
          .http()
          .put(url)
          .set('X-API-Key', ctx.b.admin)
          .send(body as object),
    };
    const v = await admin.post('/api/beta/admin/valuations', { make: 'Audi', model: 'A4', year_from: 2016, year_to: 2018, base_value: 1000.01 }).expect(201);
    expect(v.headers.location).toBe(`/api/beta/admin/valuations/${v.body.id}`);
    expectProblem(await admin.post('/api/beta/admin/valuations', { make: 'Audi', model: 'A4', year_from: 2019, year_to: 2018, base_value: 1 }), 422, /year_to/);
    await admin.post('/api/beta/admin/valuations', { product_id: 'p1', make: 'Audi', model: 'A4', year_from: 2010, year_to: 2020, base_value: 5 }).expect(201);
    expectProblem(await admin.post('/api/beta/admin/valuations', { product_id: 'p1', make: 'X', model: 'Y', year_from: 2010, year_to: 2020, base_value: 5 }), 409);
    expect((await admin.get('/api/beta/admin/condition-modifiers').expect(200)).body).toEqual({ excellent: 100, good: 80, fair: 60, poor: 40 });
    expect((await admin.put('/api/beta/admin/condition-modifiers', { fair: 55.5 }).expect(200)).body).toEqual({ excellent: 100, good: 80, fair: 55.5, poor: 40 });
    expectProblem(await admin.put('/api/beta/admin/condition-modifiers', { good: 250 }), 422, /good/);
    expect((await client(ctx, ctx.a.admin).get('/api/alpha/admin/condition-modifiers').expect(200)).body.fair).toBe(60);

    const { c } = await register('beta');
    // make/model case-insensitive, year 2017 in both ranges → the narrowest (2016–2018) wins: 1000.01 × 55.5 % = 555.00555 → 555.01
    const s = await c.post('/api/beta/submissions', { make: 'audi', model: 'a4', first_registration_date: '2017-06-01', mileage: 1, reg_nr: 'B1', condition: 'fair' }).expect(201);
    await c.post(`/api/beta/submissions/${s.body.id}`).expect(200);
    expect((await admin.get(`/api/beta/submissions/${s.body.id}`).expect(200)).body.quoted_value).toBe(555.01);
    const put = await admin.put(`/api/beta/admin/valuations/${v.body.id}`, { make: 'Audi', model: 'A4', year_from: 2016, year_to: 2018, base_value: 2000 }).expect(200);
    expect(put.body.base_value).toBe(2000);
    expect((await admin.get(`/api/beta/admin/valuations?make=aud&order[id]=asc`).expect(200)).body.map((x: { id: number }) => x.id)[0]).toBe(v.body.id);
    await admin.delete(`/api/beta/admin/valuations/${v.body.id}`).expect(204);
    expectProblem(await admin.get(`/api/beta/admin/valuations/${v.body.id}`), 404);
    expect((await admin.get(`/api/beta/submissions/${s.body.id}`).expect(200)).body.quoted_value).toBe(555.01);
  });
});

describe('appraisal maths on /api/v3/trade-ins/{id}/appraisal', () => {
  it('exact decimals; missing inputs are named', async () => {
    const m = client(ctx, ctx.a.manager);
    const t = await m.post('/api/v3/trade-ins', { marketPrice: 20000.01, daysToSale: 33, dailyDepreciationRate: 0.1234, margin: 12.5, refurbishCostEstimate: 799.99 }).expect(201);
    const a = await m.get(`/api/v3/trade-ins/${t.body.id}/appraisal`).expect(200);
    // 2000001 cents × 0.1234 % × 33 = 81444.04… → 81444; 2000001 − 81444 = 1918557; × 12.5 % = 239819.625 → 239820; 1918557 − 239820 − 79999 = 1598738
    expect(a.body).toMatchObject({ depreciation: 814.44, marketValueOnSalesDay: 19185.57, marginAmount: 2398.2, suggestedPurchasePrice: 15987.38, missing: [] });
    const partial = await m.post('/api/v3/trade-ins', { marketPrice: 100, daysToSale: 2000, dailyDepreciationRate: 1 }).expect(201);
    const b = await m.get(`/api/v3/trade-ins/${partial.body.id}/appraisal`).expect(200);
    expect(b.body).toMatchObject({ depreciation: 100, marketValueOnSalesDay: 0, marginAmount: null, suggestedPurchasePrice: null, missing: ['refurbishCostEstimate', 'margin'] });
    expectProblem(await client(ctx, ctx.b.manager).get(`/api/v3/trade-ins/${t.body.id}/appraisal`), 404);
  });
});

describe('admin customers and stats', () => {
  it('stats equal a hand count on fixture data', async () => {
    // a fresh tenant (gamma) with a known fixture
    const tx = ctx.app.get(TxService);
    const { createApiKey, createUser } = await import('../src/auth/keys');
    const key = await tx.run(async (em) => {
      const tenant = await createTenant(em, 'Gamma', 'gamma');
      await em.getRepository(Location).insert({ tenantId: tenant.id, name: 'G', createdAt: new Date(), updatedAt: new Date(), version: 1 });
      return (await createApiKey(em, await createUser(em, tenant.id, 'admin@gamma.example', 'A', 'admin'), 'k')).key;
    });
    const staff = client(ctx, key);
    await noPhotosRequired(ctx, key, 'gamma');
    const one = await register('gamma');
    const two = await register('gamma');
    const submit = async (c: ReturnType<typeof customer>) => {
      const s = await c.post('/api/gamma/submissions', { ...VEHICLE, serial_number: 'SN-1', condition: 'good' }).expect(201);
      await c.post(`/api/gamma/submissions/${s.body.id}`).expect(200);
      return s.body.id as string;
    };
    const offer = async (sub: string, amount: number) => (await staff.post('/api/gamma/offers', { submission_id: sub, amount }).expect(201)).body.id as string;
    // draft ×1
    await one.c.post('/api/gamma/submissions', { description: 'draft' }).expect(201);
    // submitted ×1
    await submit(one.c);
    // offered ×1 (offer 100.10, superseded by 100.20)
    const s3 = await submit(one.c);
    await offer(s3, 100.1);
    await offer(s3, 100.2);
    // declined ×1 (offer 200.30)
    const s4 = await submit(two.c);
    await two.c.post(`/api/gamma/offers/${await offer(s4, 200.3)}`, { action: 'decline' }).expect(200);
    // completed ×2 (offers 300.10 and 0.20, credits 300.10 and 0.20)
    const completedIds: string[] = [];
    for (const [c, amount] of [
      [two.c, 300.1],
      [one.c, 0.2],
    ] as const) {
      const s = await submit(c);
      await c.post(`/api/gamma/offers/${await offer(s, amount)}`, { action: 'accept' }).expect(200);
      await staff.post(`/api/gamma/submissions/${s}/ship`, { method: 'drop_off' }).expect(200);
      await staff.post(`/api/gamma/submissions/${s}/receive`).expect(200);
      await staff.post(`/api/gamma/submissions/${s}/inspect`, { grade: 'good' }).expect(200);
      await staff.post(`/api/gamma/submissions/${s}/complete`, { credit_type: 'store_credit' }).expect(200);
      completedIds.push(s);
    }
    // deterministic stage times: submitted → completed took 100 s and 300 s
    for (const [i, secs] of [
      [0, 100],
      [1, 300],
    ] as const) {
      const tradeInId = Number(completedIds[i].slice(4));
      const rows = await ctx.ds.getRepository(TradeInStatusChange).findBy({ tradeInId });
      const start = new Date('2024-01-01T00:00:00.000Z').getTime();
      for (const r of rows) {
        const offset = r.toStatus === 'ready_for_appraisal' ? 0 : r.toStatus === 'completed' ? secs : r.toStatus === 'not_done' ? -10 : secs / 2;
        await ctx.ds.getRepository(TradeInStatusChange).update({ id: r.id }, { changedAt: new Date(start + offset * 1000) });
      }
    }

    const stats = await staff.get('/api/gamma/admin/stats').expect(200);
    expect(stats.body).toMatchObject({
      submissions: 6,
      by_status: { draft: 1, submitted: 1, offered: 1, accepted: 0, shipped: 0, received: 0, inspected: 0, completed: 2, declined: 1 },
      offers_by_status: { pending: 1, accepted: 2, declined: 1, superseded: 1, expired: 0 },
      acceptance_rate: 0.6667,
      offers: { count: 5, total: 700.9, average: 140.18 },
      credits: { count: 2, total: 300.3, average: 150.15 },
    });
    const stage = (from: string, to: string) => stats.body.stage_times.find((s: { from: string; to: string }) => s.from === from && s.to === to);
    expect(stage('submitted', 'completed')).toEqual({ from: 'submitted', to: 'completed', count: 2, median_seconds: 200 });
    expect(stage('inspected', 'completed')).toEqual({ from: 'inspected', to: 'completed', count: 2, median_seconds: 100 });
    expect(stage('submitted', 'offered').count).toBe(4);

    const customers = await staff.get('/api/gamma/admin/customers').expect(200);
    expect(customers.body.map((c: { email: string; submissions_count: number }) => c.submissions_count)).toEqual([2, 4]);
    expect(customers.headers['x-total-count']).toBe('2');
  });
});

describe('dealer-side customers of programme accounts', () => {
  it('cannot be deleted while the account exists (409, nothing deleted)', async () => {
    const { body } = await register();
    const customerId = Number(String(body.customer.customer).split('/').pop());
    const res = await client(ctx, ctx.a.admin).delete(`/api/v3/customers/${customerId}`);
    expectProblem(res, 409, /programme account/);
    await client(ctx, ctx.a.admin).get(`/api/v3/customers/${customerId}`).expect(200);
  });
});

describe('profile', () => {
  it('last_name cannot be cleared (422); first_name can', async () => {
    const { c } = await register();
    expectProblem(await c.put('/api/alpha/profile', { last_name: null }), 422, /last_name/);
    const ok = await c.put('/api/alpha/profile', { first_name: null }).expect(200);
    expect(ok.body.first_name).toBeNull();
    expect(ok.body.last_name).toEqual(expect.any(String));
  });
});
