import { TxService } from '../src/database/tx.service';
import { ShippingService } from '../src/upgrade/shipping/shipping.service';
import sharp from 'sharp';
import { client, TestContext } from './helpers';

/** A small real JPEG (uploads are decoded, not sniffed). */
export const realJpeg = (width = 32, height = 24) =>
  sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 200 } } })
    .jpeg()
    .toBuffer();

/**
 * The tenant asks for no photo to submit (unset, a submission needs one): for suites whose
 * submissions are about something else than photos (issue 17 made photos required).
 */
export async function noPhotosRequired(ctx: TestContext, adminKey: string, tenant = 'alpha'): Promise<void> {
  await ctx.http().put(`/api/${tenant}/admin/photo-requirements`).set('X-API-Key', adminKey).set('Accept', 'application/json').send({ min_count: 0 }).expect(200);
}

/** A programme customer (registered and logged in), calling with its Bearer token. */
export async function programmeCustomer(ctx: TestContext, email: string, tenant = 'alpha') {
  await ctx.http().post(`/api/${tenant}/auth/register`).send({ email, password: 'correct horse battery', first_name: 'Mari', last_name: 'Tamm' }).expect(202);
  const login = await ctx.http().post(`/api/${tenant}/auth/login`).send({ email, password: 'correct horse battery' }).expect(200);
  const h = <T extends { set: (k: string, v: string) => T }>(r: T) => r.set('Authorization', `Bearer ${login.body.token}`).set('Accept', 'application/json');
  return {
    get: (url: string) => h(ctx.http().get(url)),
    post: (url: string, body?: unknown) => h(ctx.http().post(url)).send(body as object),
    put: (url: string, body?: unknown) => h(ctx.http().put(url)).send(body as object),
    /** Uploads a real JPEG; its photo id. */
    photo: async () =>
      (
        await h(ctx.http().post(`/api/${tenant}/photos`))
          .attach('photo', await realJpeg(), { filename: 'car.jpg', contentType: 'image/jpeg' })
          .expect(201)
      ).body.id as string,
  };
}

const VEHICLE = { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good' };

/**
 * The programme's whole process on one submission, with every kind of offer answer: created,
 * updated, submitted, an offer superseded by a second, a third declined … no: one submission can
 * end only once, so: offer 1 superseded by offer 2, offer 2 accepted, shipped, received, inspected,
 * completed (credit issued); and a second submission whose offer is declined.
 */
export async function wholeProgramme(ctx: TestContext, email: string): Promise<{ sub: string; declinedSub: string; tradeInId: number }> {
  const cu = await programmeCustomer(ctx, email);
  const staff = client(ctx, ctx.a.manager);
  const sub = (await cu.post('/api/alpha/submissions', { ...VEHICLE, serial_number: `SN-${email}`, photos: [await cu.photo()] }).expect(201)).body.id as string;
  await cu.put(`/api/alpha/submissions/${sub}`, { ...VEHICLE, mileage: 85000, serial_number: `SN-${email}` }).expect(200);
  await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
  await staff.post('/api/alpha/offers', { submission_id: sub, amount: 300 }).expect(201);
  const second = (await staff.post('/api/alpha/offers', { submission_id: sub, amount: 320 }).expect(201)).body.id as string;
  await cu.post(`/api/alpha/offers/${second}`, { action: 'accept' }).expect(200);
  await cu.post(`/api/alpha/submissions/${sub}/ship`, { method: 'drop_off' }).expect(200);
  await staff.post(`/api/alpha/submissions/${sub}/receive`).expect(200);
  await staff.post(`/api/alpha/submissions/${sub}/inspect`, { grade: 'good' }).expect(200);
  await staff.post(`/api/alpha/submissions/${sub}/complete`, { credit_type: 'store_credit' }).expect(200);
  const other = (await cu.post('/api/alpha/submissions', { ...VEHICLE, serial_number: `SN2-${email}`, photos: [await cu.photo()] }).expect(201)).body.id as string;
  await cu.post(`/api/alpha/submissions/${other}`).expect(200);
  const third = (await staff.post('/api/alpha/offers', { submission_id: other, amount: 100 }).expect(201)).body.id as string;
  await cu.post(`/api/alpha/offers/${third}`, { action: 'decline', reason: 'too low' }).expect(200);
  return { sub, declinedSub: other, tradeInId: Number(sub.slice(4)) };
}

/**
 * The other endings of issue 17, for the event catalogue: a revised offer declined (offer.revised,
 * submission.return_requested), an offered submission withdrawn (offer.withdrawn, submission.withdrawn)
 * and one rejected by staff (submission.rejected).
 */
export async function programmeEndings(ctx: TestContext, email: string): Promise<void> {
  await noPhotosRequired(ctx, ctx.a.admin);
  const cu = await programmeCustomer(ctx, email);
  const staff = client(ctx, ctx.a.manager);
  const submitted = async (serial: string) => {
    const sub = (await cu.post('/api/alpha/submissions', { ...VEHICLE, serial_number: `${serial}-${email}` }).expect(201)).body.id as string;
    await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
    return sub;
  };
  const offer = async (sub: string) => (await staff.post('/api/alpha/offers', { submission_id: sub, amount: 100 }).expect(201)).body.id as string;
  const revisedSub = await submitted('SN-R');
  await cu.post(`/api/alpha/offers/${await offer(revisedSub)}`, { action: 'accept' }).expect(200);
  await staff.post(`/api/alpha/submissions/${revisedSub}/ship`, { method: 'drop_off' }).expect(200);
  await staff.post(`/api/alpha/submissions/${revisedSub}/receive`).expect(200);
  const revised = (await staff.post(`/api/alpha/submissions/${revisedSub}/inspect`, { grade: 'poor' }).expect(200)).body.offer.id as string;
  await cu.post(`/api/alpha/offers/${revised}`, { action: 'decline' }).expect(200);
  const withdrawn = await submitted('SN-W');
  await offer(withdrawn);
  await cu.post(`/api/alpha/submissions/${withdrawn}/withdraw`).expect(200);
  await staff.post(`/api/alpha/submissions/${await submitted('SN-J')}/reject`, { reason: 'Not a product we take' }).expect(200);
}

/**
 * Shipping (issue 17) on a new submission of tenant alpha: the integration provider configured, a
 * customer with a shipping address accepts an offer (kit order: submission.kit_ordered), the
 * fulfilment system reports the item shipped (submission.tracking_updated, submission.shipped),
 * and the item's return is ordered (submission.return_ordered) as another feature would.
 */
export async function shippedByCarrier(ctx: TestContext, email: string): Promise<{ sub: string; tradeInId: number; shipmentId: string }> {
  await noPhotosRequired(ctx, ctx.a.admin);
  await ctx
    .http()
    .put('/api/alpha/admin/shipping')
    .set('X-API-Key', ctx.a.admin)
    .send({ facility: { name: 'Trade-in Centre', line1: 'Peterburi tee 2', postcode: '11415', city: 'Tallinn', country: 'EE' }, default_method: 'shipping_kit', provider: 'integration' })
    .expect(200);
  const cu = await programmeCustomer(ctx, email);
  const staff = client(ctx, ctx.a.manager);
  await cu.put('/api/alpha/profile', { shipping_address: { line1: 'Narva mnt 5', postcode: '10117', city: 'Tallinn', country: 'EE' } }).expect(200);
  const sub = (await cu.post('/api/alpha/submissions', { ...VEHICLE, serial_number: `SN-${email}` }).expect(201)).body.id as string;
  await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
  const offer = (await staff.post('/api/alpha/offers', { submission_id: sub, amount: 300 }).expect(201)).body.id as string;
  await cu.post(`/api/alpha/offers/${offer}`, { action: 'accept' }).expect(200);
  const shipmentId = (await cu.get(`/api/alpha/submissions/${sub}`).expect(200)).body.shipments[0].id as string;
  await staff.post(`/api/alpha/admin/shipments/${shipmentId}/tracking`, { event_id: `carrier-${email}`, status: 'shipped', carrier: 'DHL', tracking_number: 'JD014600003828' }).expect(200);
  const tradeInId = Number(sub.slice(4));
  await ctx.app.get(TxService).run((em) => ctx.app.get(ShippingService).createReturnShipment(em, { tenant: { id: ctx.a.tenantId, slug: 'alpha' } }, tradeInId));
  return { sub, tradeInId, shipmentId };
}
