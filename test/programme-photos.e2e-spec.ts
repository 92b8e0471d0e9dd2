import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { OutboxEvent } from '../src/database/outbox.entity';
import { TxService } from '../src/database/tx.service';
import { ProgramPhoto } from '../src/upgrade/program.entities';
import { ProgrammeJobs } from '../src/upgrade/programme.jobs';
import { client, expectProblem, makeTenant, setup, TenantKeys, TestContext } from './helpers';

/*
 * Issue 17, the photo and audit findings: photo requirements per tenant (F6) enforced at submit
 * (F7); uploads checked by decoding them (F23); the catalogue: product-only valuations (F17) and
 * the document's submission example (F18); the actor of every move (F24); one photo list for
 * both APIs (F25).
 */

let ctx: TestContext;
let uploadDir: string;
const BASE = 'https://trade.example';
const MAX_PIXELS = 4_000_000;

beforeAll(async () => {
  uploadDir = mkdtempSync(join(tmpdir(), 'programme-photos-'));
  ctx = await setup({ uploadDir, publicBaseUrl: BASE, photoMaxBytes: 2 * 1024 * 1024, photoMaxPixels: MAX_PIXELS });
});
afterAll(async () => {
  await ctx.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

/** Real images, made by the image library the server decodes them with. */
const image = (format: 'jpeg' | 'png' | 'webp', width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } })
    .toFormat(format)
    .toBuffer();

let n = 0;
/** A fresh tenant (its own photo requirements and catalogue): keys for its staff. */
async function tenant(): Promise<{ slug: string; keys: TenantKeys }> {
  const slug = `photos${++n}`;
  return { slug, keys: await makeTenant(ctx.app.get(TxService), slug) };
}

/** A programme customer of `slug`: Bearer token, plain JSON, and photo uploads. */
async function customer(slug: string) {
  const email = `photos${++n}@example.com`;
  await ctx.http().post(`/api/${slug}/auth/register`).send({ email, password: 'correct horse battery', first_name: 'Mari', last_name: 'Tamm' }).expect(202);
  const login = await ctx.http().post(`/api/${slug}/auth/login`).send({ email, password: 'correct horse battery' }).expect(200);
  const h = <T extends { set: (k: string, v: string) => T }>(r: T) => r.set('Authorization', `Bearer ${login.body.token}`).set('Accept', 'application/json');
  const me = await h(ctx.http().get(`/api/${slug}/auth/me`)).expect(200);
  const api = {
    customerIri: me.body.customer as string,
    get: (url: string) => h(ctx.http().get(url)),
    post: (url: string, body?: unknown) => h(ctx.http().post(url)).send(body as object),
    put: (url: string, body?: unknown) => h(ctx.http().put(url)).send(body as object),
    upload: (data: Buffer, pictureType?: string) => {
      const r = h(ctx.http().post(`/api/${slug}/photos`));
      return (pictureType ? r.field('picture_type', pictureType) : r).attach('photo', data, { filename: 'photo.jpg', contentType: 'image/jpeg' });
    },
    /** A real JPEG uploaded (of the angle, if given); its id. */
    photo: async (pictureType?: string) => (await api.upload(await image('jpeg'), pictureType).expect(201)).body.id as string,
  };
  return api;
}

const VEHICLE = { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good' };
const paths = (res: { body: { violations?: { propertyPath: string }[] } }) => (res.body.violations ?? []).map((v) => v.propertyPath).sort();
const tradeInOf = (sub: string) => Number(sub.slice(4));

describe('photo requirements per tenant (F6)', () => {
  it('the admin sets the angles and the minimum; managers, readonly keys and customers may not; customers and staff read them', async () => {
    const { slug, keys } = await tenant();
    const cu = await customer(slug);
    const initial = await cu.get(`/api/${slug}/photo-requirements`).expect(200);
    expect(initial.body).toMatchObject({ min_count: 1, required_angles: [], is_default: true, updated_at: null });
    expect(initial.body.angles).toContainEqual({ code: 'odometer', label: 'Odometer reading', required: false });

    const body = { min_count: 3, required_angles: ['odometer', 'exterior_front'] };
    expectProblem(await client(ctx, keys.manager).put(`/api/${slug}/admin/photo-requirements`, body), 403);
    expectProblem(await client(ctx, keys.readonly).put(`/api/${slug}/admin/photo-requirements`, body), 403);
    expectProblem(await cu.put(`/api/${slug}/admin/photo-requirements`, body), 403);
    expectProblem(await client(ctx, ctx.b.admin).put(`/api/${slug}/admin/photo-requirements`, body), 404);
    const set = await client(ctx, keys.admin).put(`/api/${slug}/admin/photo-requirements`, body).expect(200);
    // listed in gallery order, whatever order they were sent in
    expect(set.body).toMatchObject({ min_count: 3, required_angles: ['exterior_front', 'odometer'], is_default: false });

    const seen = await cu.get(`/api/${slug}/photo-requirements`).expect(200);
    expect(seen.body).toEqual(set.body);
    expect(seen.body.angles.filter((a: { required: boolean }) => a.required).map((a: { code: string }) => a.code)).toEqual(['exterior_front', 'odometer']);
    expect((await client(ctx, keys.readonly).get(`/api/${slug}/admin/photo-requirements`).expect(200)).body).toEqual(set.body);
    // only the fields sent change
    const fewer = await client(ctx, keys.admin).put(`/api/${slug}/admin/photo-requirements`, { min_count: 2 }).expect(200);
    expect(fewer.body).toMatchObject({ min_count: 2, required_angles: ['exterior_front', 'odometer'] });
    // another tenant keeps the default
    expect((await client(ctx, ctx.b.readonly).get('/api/beta/admin/photo-requirements').expect(200)).body).toMatchObject({ min_count: 1, required_angles: [], is_default: true });
  });

  it('invalid requirements are 422 naming each fault at once', async () => {
    const { slug, keys } = await tenant();
    const res = await client(ctx, keys.admin).put(`/api/${slug}/admin/photo-requirements`, { min_count: 31, required_angles: ['odometer', 'selfie'] });
    expectProblem(res, 422, /min_count/);
    const angles = await client(ctx, keys.admin).put(`/api/${slug}/admin/photo-requirements`, { required_angles: ['selfie', 'odometer', 'odometer'] });
    expectProblem(angles, 422);
    expect(angles.body.violations).toEqual([
      expect.objectContaining({ propertyPath: 'required_angles[0]', code: 'invalid_choice', message: expect.stringContaining('exterior_front') }),
      expect.objectContaining({ propertyPath: 'required_angles[2]', code: 'duplicate' }),
    ]);
    expectProblem(await client(ctx, keys.admin).put(`/api/${slug}/admin/photo-requirements`, { min_count: 'three' }), 422, /min_count/);
    expect((await client(ctx, keys.admin).get(`/api/${slug}/admin/photo-requirements`).expect(200)).body.is_default).toBe(true);
  });
});

describe('photo requirements enforced at submit (F7)', () => {
  it('a submission without the required photos is 422 listing every missing angle and the shortfall, with the other missing facts, at once', async () => {
    const { slug, keys } = await tenant();
    await client(ctx, keys.admin)
      .put(`/api/${slug}/admin/photo-requirements`, { min_count: 3, required_angles: ['exterior_front', 'odometer'] })
      .expect(200);
    const cu = await customer(slug);
    const untyped = await cu.photo();
    const sub = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, mileage: undefined, serial_number: 'SN-1', photos: [untyped] }).expect(201)).body.id as string;
    const res = await cu.post(`/api/${slug}/submissions/${sub}`);
    expectProblem(res, 422);
    expect(paths(res)).toEqual(['mileage', 'photos', 'photos.exterior_front', 'photos.odometer']);
    expect(res.body.violations).toEqual(
      expect.arrayContaining([
        { propertyPath: 'photos.exterior_front', code: 'required', message: expect.stringMatching(/"exterior_front" \(Exterior — front\) is required/) },
        { propertyPath: 'photos.odometer', code: 'required', message: expect.stringMatching(/"odometer"/) },
        { propertyPath: 'photos', code: 'too_short', message: 'at least 3 photos are required; the submission has 1' },
      ]),
    );
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.status).toBe('draft');
    expectProblem(await client(ctx, keys.manager).post(`/api/${slug}/offers`, { submission_id: sub, amount: 100 }), 409, /draft/);

    // the front only: the odometer is still named, the count is met
    const front = await cu.photo('exterior_front');
    const other = await cu.photo();
    await cu.put(`/api/${slug}/submissions/${sub}`, { mileage: 84000, photos: [untyped, front, other] }).expect(200);
    const still = await cu.post(`/api/${slug}/submissions/${sub}`);
    expectProblem(still, 422);
    expect(paths(still)).toEqual(['photos.odometer']);

    const odometer = await cu.photo('odometer');
    await cu.put(`/api/${slug}/submissions/${sub}`, { photos: [untyped, front, odometer] }).expect(200);
    expect((await cu.post(`/api/${slug}/submissions/${sub}`).expect(200)).body.status).toBe('submitted');
    await client(ctx, keys.manager).post(`/api/${slug}/offers`, { submission_id: sub, amount: 100 }).expect(201);
  });

  it('with no requirements set, a submission needs one photo: one with none is neither submitted nor offered', async () => {
    const { slug, keys } = await tenant();
    const cu = await customer(slug);
    const sub = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, serial_number: 'SN-2' }).expect(201)).body.id as string;
    const res = await cu.post(`/api/${slug}/submissions/${sub}`);
    expectProblem(res, 422, /at least 1 photo is required; the submission has 0/);
    expect(paths(res)).toEqual(['photos']);
    expectProblem(await client(ctx, keys.manager).post(`/api/${slug}/offers`, { submission_id: sub, amount: 100 }), 409);
    await cu.put(`/api/${slug}/submissions/${sub}`, { photos: [await cu.photo()] }).expect(200);
    await cu.post(`/api/${slug}/submissions/${sub}`).expect(200);
    // a tenant may require none
    await client(ctx, keys.admin).put(`/api/${slug}/admin/photo-requirements`, { min_count: 0 }).expect(200);
    const bare = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, serial_number: 'SN-3' }).expect(201)).body.id as string;
    await cu.post(`/api/${slug}/submissions/${bare}`).expect(200);
  });
});

describe('uploads are decoded, not sniffed (F23)', () => {
  it('a JPEG header followed by HTML is 422 with a clear message, and nothing is stored', async () => {
    const cu = await customer('alpha');
    const before = readdirSync(uploadDir, { recursive: true }).length;
    const html = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0<html><script>alert(1)</script></html>')]);
    const res = await cu.upload(html);
    expectProblem(res, 422);
    expect(res.body.violations).toEqual([{ propertyPath: 'photo', code: 'invalid_format', message: expect.stringMatching(/not an image that can be read|cannot be decoded/) }]);
    // a real JPEG's header and first bytes, cut off and followed by HTML
    const real = await image('jpeg', 640, 480);
    const cut = Buffer.concat([real.subarray(0, Math.floor(real.length / 3)), Buffer.from('<html><body>not the rest of the image</body></html>')]);
    expectProblem(await cu.upload(cut), 422, /cannot be decoded/);
    // a GIF is an image, but not one of the accepted kinds
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } })
      .gif()
      .toBuffer();
    expectProblem(await cu.upload(gif), 422, /JPEG, PNG or WebP image.*GIF/);
    expect(readdirSync(uploadDir, { recursive: true }).length).toBe(before);
  });

  it('real JPEG, PNG and WebP images pass, with the type decoded from their content', async () => {
    const cu = await customer('alpha');
    for (const [format, type] of [
      ['jpeg', 'image/jpeg'],
      ['png', 'image/png'],
      ['webp', 'image/webp'],
    ] as const) {
      const data = await image(format);
      const res = await cu.upload(data).expect(201);
      expect(res.body).toMatchObject({ content_type: type, size: data.length, source: 'upload', picture: null, submission_id: null });
      const served = await cu.get(`/api/alpha/photos/${res.body.id}`).set('Accept', 'image/*').buffer(true).expect(200);
      expect(served.headers['content-type']).toBe(type);
      expect(Buffer.compare(served.body as Buffer, data)).toBe(0);
    }
  });

  it('an image of more pixels than allowed is refused from its header, before decoding (decompression bombs)', async () => {
    const cu = await customer('alpha');
    // 2001 × 2000: just over the 4 MP this suite allows, a small file
    const big = await image('png', 2001, 2000);
    expect(big.length).toBeLessThan(200 * 1024);
    expectProblem(await cu.upload(big), 422, /2001×2000 pixels \(4\.0 megapixels\); at most 4\.0 megapixels/);
    // a PNG whose header declares 100 000 × 100 000 pixels over a few bytes of data
    const bomb = withPngSize(await image('png', 1, 1), 100_000, 100_000);
    const res = await cu.upload(bomb);
    expectProblem(res, 422, /100000×100000 pixels \(10000\.0 megapixels\)/);
    expect(await image('png', 2000, 2000).then((ok) => cu.upload(ok).expect(201))).toBeTruthy();
  });
});

describe('the catalogue (F17, F18)', () => {
  it('a product-only valuation is accepted; without a product_id the vehicle fields are required', async () => {
    const { slug, keys } = await tenant();
    const admin = client(ctx, keys.admin);
    const created = await admin.post(`/api/${slug}/admin/valuations`, { product_id: 'prod_456', base_value: 200 }).expect(201);
    expect(created.body).toMatchObject({ product_id: 'prod_456', base_value: 200, make: null, model: null, year_from: null, year_to: null });
    expect((await admin.get(`/api/${slug}/admin/valuations/${created.body.id}`).expect(200)).body).toEqual(created.body);
    const bare = await admin.post(`/api/${slug}/admin/valuations`, { base_value: 200 });
    expectProblem(bare, 422);
    expect(paths(bare)).toEqual(['make', 'model', 'year_from', 'year_to']);
    expectProblem(await admin.post(`/api/${slug}/admin/valuations`, { product_id: 'prod_457', base_value: 1, year_from: 2020 }), 422, /year_to/);
    expectProblem(await admin.post(`/api/${slug}/admin/valuations`, { product_id: 'prod_456', base_value: 1 }), 409, /prod_456/);

    // a submission of the catalogued product needs no vehicle facts, and is quoted from the product
    const cu = await customer(slug);
    const sub = (await cu.post(`/api/${slug}/submissions`, { product_id: 'prod_456', serial_number: 'SN-456', condition: 'fair', photos: [await cu.photo()] }).expect(201)).body.id as string;
    const submitted = await cu.post(`/api/${slug}/submissions/${sub}`).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', product_catalogued: true, make: null, mileage: null, quoted_value: null });
    expect((await client(ctx, keys.manager).get(`/api/${slug}/submissions/${sub}`).expect(200)).body.quoted_value).toBe(120);
    // the dealer API sees the same trade-in, and its later moves accept the catalogue too
    const t = await client(ctx, keys.manager)
      .get(`/api/v3/trade-ins/${tradeInOf(sub)}`)
      .expect(200);
    expect(t.body).toMatchObject({ status: 'ready_for_appraisal', program: { productId: 'prod_456', productCatalogued: true } });
    await client(ctx, keys.manager).post(`/api/${slug}/offers`, { submission_id: sub, amount: 120 }).expect(201);
  });

  it("the document's submission example, verbatim, is submittable when its product is catalogued; an unknown product still needs the vehicle facts", async () => {
    const { slug, keys } = await tenant();
    await client(ctx, keys.admin).post(`/api/${slug}/admin/valuations`, { product_id: 'prod_123', base_value: 437.5 }).expect(201);
    const cu = await customer(slug);
    // the example names photos photo_abc and photo_def: two real uploads, renamed to those ids
    const a = await cu.photo();
    const b = (await cu.upload(await image('webp')).expect(201)).body.id as string;
    await ctx.ds.getRepository(ProgramPhoto).update({ publicId: a }, { publicId: 'photo_abc' });
    await ctx.ds.getRepository(ProgramPhoto).update({ publicId: b }, { publicId: 'photo_def' });
    const created = await cu.post(
      `/api/${slug}/submissions`,
      JSON.parse(`{
"product_id": "prod_123",
"serial_number": "SN-12345678",
"condition": "good",
"description": "Minor scratches on grip",
"photos": ["photo_abc", "photo_def"]
}`),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ product_id: 'prod_123', product_catalogued: true, serial_number: 'SN-12345678', condition: 'good', description: 'Minor scratches on grip' });
    expect(created.body.photos.map((p: { id: string }) => p.id)).toEqual(['photo_abc', 'photo_def']);
    const sub = created.body.id as string;
    // submitted as it is: no first-registration date, no mileage
    expect((await cu.post(`/api/${slug}/submissions/${sub}`).expect(200)).body).toMatchObject({ status: 'submitted', first_registration_date: null, mileage: null });
    // the automatic quote: 437.50 × 80 % = 350.00, the document's offer amount
    expect((await client(ctx, keys.manager).get(`/api/${slug}/submissions/${sub}`).expect(200)).body.quoted_value).toBe(350);

    // a product id the catalogue does not know waives nothing
    const unknown = (await cu.post(`/api/${slug}/submissions`, { product_id: 'prod_999', serial_number: 'SN-9', condition: 'good', photos: [await cu.photo()] }).expect(201)).body.id as string;
    const res = await cu.post(`/api/${slug}/submissions/${unknown}`);
    expectProblem(res, 422);
    expect(paths(res)).toEqual(['first_registration_date', 'make', 'mileage', 'model']);
  });
});

describe('the actor of every move (F24)', () => {
  it('history and status-moves name the customer, the staff user and the offer-expiry job', async () => {
    const { slug, keys } = await tenant();
    const cu = await customer(slug);
    const staff = client(ctx, keys.manager);
    const sub = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, serial_number: 'SN-A', photos: [await cu.photo()] }).expect(201)).body.id as string;
    await cu.post(`/api/${slug}/submissions/${sub}`).expect(200);
    await staff.post(`/api/${slug}/offers`, { submission_id: sub, amount: 300, expires_at: '2024-02-01T00:00:00Z' }).expect(201);
    await ctx.app.get(TxService).run((em) => ctx.app.get(ProgrammeJobs).expireOffers(em, new Date()));
    const second = (await staff.post(`/api/${slug}/offers`, { submission_id: sub, amount: 310 }).expect(201)).body.id as string;
    await cu.post(`/api/${slug}/offers/${second}`, { action: 'accept' }).expect(200);

    const id = tradeInOf(sub);
    const history = await staff.get(`/api/v3/trade-ins/${id}/history`).expect(200);
    const customerActor = { kind: 'customer', user: null, customer: cu.customerIri, job: null };
    const staffActor = { kind: 'user', user: `/api/v3/users/${keys.managerUserId}`, customer: null, job: null };
    const jobActor = { kind: 'system', user: null, customer: null, job: 'programme.expire-offers' };
    expect(history.body.map((h: { from: string | null; to: string; actor: unknown }) => [h.from, h.to, h.actor])).toEqual([
      [null, 'not_done', customerActor],
      ['not_done', 'ready_for_appraisal', customerActor],
      ['ready_for_appraisal', 'done', staffActor],
      ['done', 'sent_to_customer', staffActor],
      ['sent_to_customer', 'done', jobActor],
      ['done', 'sent_to_customer', staffActor],
      ['sent_to_customer', 'purchase_agreement', customerActor],
    ]);
    // the staff user is still shown as before; customers and jobs are not users
    expect(history.body[2].changedBy).toMatchObject({ id: keys.managerUserId });
    expect(history.body[0].changedBy).toBeNull();
    const moves = await staff.get(`/api/v3/trade-ins/${id}/status-moves`).expect(200);
    expect(moves.body.lastChange).toMatchObject({ from: 'sent_to_customer', to: 'purchase_agreement', actor: customerActor });
    // the dealer API's own moves are the staff user's
    await staff.patch(`/api/v3/trade-ins/${id}/status/no-deal`, { rejectReason: 'price_too_low' }).expect(200);
    const last = await staff.get(`/api/v3/trade-ins/${id}/status-moves`).expect(200);
    expect(last.body.lastChange).toMatchObject({ to: 'no_deal', actor: staffActor });
    // JSON-LD too
    const ld = await client(ctx, keys.manager, 'application/ld+json').get(`/api/v3/trade-ins/${id}/history`).expect(200);
    expect(ld.body['hydra:member'][0].actor).toEqual(customerActor);
    // the events (webhooks) tell them apart too: `actor` is still the staff user or null, `actorDetail` says who
    const events = await ctx.ds.getRepository(OutboxEvent).find({ where: { tradeInId: id }, order: { id: 'ASC' } });
    const moved = events.filter((e) => e.type === 'trade_in.created' || e.type === 'trade_in.status_changed').map((e) => [e.payload.to, e.payload.actor, e.payload.actorDetail]);
    expect(moved.slice(0, 5)).toEqual([
      ['not_done', null, customerActor],
      ['ready_for_appraisal', null, customerActor],
      ['done', staffActor.user, staffActor],
      ['sent_to_customer', staffActor.user, staffActor],
      ['done', null, jobActor],
    ]);
  });
});

describe('one photo list for both APIs (F25)', () => {
  it('PATCH pictures [] on the dealer side empties the programme list and frees the photo; a dealer picture appears in it', async () => {
    const { slug, keys } = await tenant();
    const staff = client(ctx, keys.manager);
    const cu = await customer(slug);
    const photo = await cu.photo('exterior_front');
    const sub = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, serial_number: 'SN-P', photos: [photo] }).expect(201)).body.id as string;
    const id = tradeInOf(sub);
    const pictures = await staff.get(`/api/v3/trade-ins/${id}/pictures`).expect(200);
    expect(pictures.body.map((p: { url: string }) => p.url)).toEqual([`${BASE}/api/${slug}/photos/${photo}`]);
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.photos).toEqual([
      expect.objectContaining({ id: photo, source: 'upload', picture: `/api/v3/trade-ins/${id}/pictures/${pictures.body[0].id}`, submission_id: sub }),
    ]);

    await staff.patch(`/api/v3/trade-ins/${id}/pictures`, []).expect(200);
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.photos).toEqual([]);
    expect((await staff.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.photos).toEqual([]);
    // ... and the photo is free again: it can be attached to another submission
    const other = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, serial_number: 'SN-Q', photos: [photo] }).expect(201)).body;
    expect(other.photos.map((p: { id: string }) => p.id)).toEqual([photo]);

    // a picture added on the dealer side appears to the programme, and counts for submitting
    const added = await staff.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://cdn.example/front.jpg', pictureType: '/api/v3/picture-types/exterior_rear' }]).expect(200);
    const listed = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.photos;
    expect(listed).toEqual([
      {
        id: `picture_${added.body[0].id}`,
        url: 'https://cdn.example/front.jpg',
        content_type: null,
        size: null,
        picture_type: 'exterior_rear',
        submission_id: sub,
        picture: `/api/v3/trade-ins/${id}/pictures/${added.body[0].id}`,
        source: 'dealer',
        created_at: expect.any(String),
      },
    ]);
    expect((await cu.post(`/api/${slug}/submissions/${sub}`).expect(200)).body.photos).toHaveLength(1);
  });

  it("the customer's list edits are the dealer's pictures: kept by id, replaced, emptied", async () => {
    const { slug, keys } = await tenant();
    const staff = client(ctx, keys.manager);
    const cu = await customer(slug);
    const first = await cu.photo();
    const sub = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, serial_number: 'SN-R', photos: [first] }).expect(201)).body.id as string;
    const id = tradeInOf(sub);
    const dealer = (await staff.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://cdn.example/odo.jpg', pictureType: '/api/v3/picture-types/odometer' }]).expect(200)).body.find(
      (p: { url: string }) => p.url === 'https://cdn.example/odo.jpg',
    );
    const second = await cu.photo('exterior_front');
    // keep the dealer's picture by its id in the list, replace the first photo by the second
    const updated = await cu.put(`/api/${slug}/submissions/${sub}`, { photos: [`picture_${dealer.id}`, second] }).expect(200);
    expect(updated.body.photos.map((p: { id: string }) => p.id)).toEqual([second, `picture_${dealer.id}`]);
    const gallery = await staff.get(`/api/v3/trade-ins/${id}/pictures`).expect(200);
    expect(gallery.body.map((p: { url: string; pictureType: string | null }) => [p.url, p.pictureType])).toEqual([
      [`${BASE}/api/${slug}/photos/${second}`, '/api/v3/picture-types/exterior_front'],
      ['https://cdn.example/odo.jpg', '/api/v3/picture-types/odometer'],
    ]);
    expectProblem(await cu.put(`/api/${slug}/submissions/${sub}`, { photos: ['picture_999999'] }), 422, /picture_999999/);
    // emptied from the programme side: the dealer's gallery is empty too
    await cu.put(`/api/${slug}/submissions/${sub}`, { photos: [] }).expect(200);
    expect((await staff.get(`/api/v3/trade-ins/${id}/pictures`).expect(200)).body).toEqual([]);
  });
});

/** The PNG with its IHDR width and height replaced (and the chunk's CRC recomputed): a header that declares a huge image. */
function withPngSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  // signature (8), then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4), 5 more bytes, CRC (4)
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
