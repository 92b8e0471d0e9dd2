import type request from 'supertest';
import { FindOptionsWhere } from 'typeorm';
import { OutboxEvent } from '../src/database/outbox.entity';
import { TxService } from '../src/database/tx.service';
import { ShippingService } from '../src/upgrade/shipping/shipping.service';
import { client, expectProblem, makeTenant, setup, TenantKeys, TestContext } from './helpers';
import { decodeLabel } from './label-reader';
import { noPhotosRequired, programmeCustomer } from './programme-flow';

/**
 * Issue 17, shipping kits and labels (findings F1–F5): the configuration per tenant, the kit order
 * made at acceptance from the profile address, the printable label (its text and its barcode read
 * back from the PDF), the two providers, carrier updates that ship the submission, return shipments.
 */
let ctx: TestContext;
const BASE = 'https://trade.example';

beforeAll(async () => {
  ctx = await setup({ publicBaseUrl: BASE });
  // Photo requirements (issue 17) are the subject of programme-photos.e2e-spec.ts; these submissions carry none.
  await noPhotosRequired(ctx, ctx.a.admin);
});
afterAll(async () => {
  await ctx.close();
});

const VEHICLE = { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good' };
const HOME = { line1: 'Narva mnt 5', line2: 'Apt 12', postcode: '10117', city: 'Tallinn', country: 'ee' };
const FACILITY = { name: 'Proign Trade-in Centre', line1: 'Peterburi tee 2', postcode: '11415', city: 'Tallinn', country: 'EE' };
const SETTINGS = { facility: FACILITY, default_method: 'shipping_kit', default_carrier: 'DHL', provider: 'manual' };

let tenants = 0;
/** A tenant of its own, so that its shipping configuration is this test's alone. */
async function tenant(): Promise<{ slug: string; keys: TenantKeys }> {
  const slug = `ship-${++tenants}`;
  const keys = await makeTenant(ctx.app.get(TxService), slug);
  // Photo requirements (issue 17) are the subject of programme-photos.e2e-spec.ts; these submissions carry none.
  await noPhotosRequired(ctx, keys.admin, slug);
  return { slug, keys };
}

/** A staff caller (X-API-Key), with PUT too. */
const staff = (key: string) => ({
  ...client(ctx, key),
  put: (url: string, body: unknown) =>
    ctx
      .http()
      .put(url)
      .set('X-API-Key', key)
      .set('Accept', 'application/json')
      .send(body as object),
});

const events = (where: FindOptionsWhere<OutboxEvent>) => ctx.ds.getRepository(OutboxEvent).find({ where, order: { id: 'ASC' } });

/** Reads a binary body (a label: 200 only, error bodies are JSON) into a Buffer. */
const binary = (r: request.Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

let n = 0;
/**
 * A submission of a new customer (with `address` as their shipping address, if given) that the
 * customer has accepted an offer for.
 */
async function accepted(slug: string, keys: TenantKeys, address: object | null = HOME) {
  const email = `shipper${++n}@example.com`;
  const cu = await programmeCustomer(ctx, email, slug);
  if (address) await cu.put(`/api/${slug}/profile`, { shipping_address: address }).expect(200);
  const sub = (await cu.post(`/api/${slug}/submissions`, { ...VEHICLE, serial_number: `SN-${n}` }).expect(201)).body.id as string;
  await cu.post(`/api/${slug}/submissions/${sub}`).expect(200);
  const offer = (await staff(keys.manager).post(`/api/${slug}/offers`, { submission_id: sub, amount: 320 }).expect(201)).body.id as string;
  await cu.post(`/api/${slug}/offers/${offer}`, { action: 'accept' }).expect(200);
  return { cu, sub, tradeInId: Number(sub.slice(4)) };
}

describe('shipping configuration (F5)', () => {
  it('answers the defaults until configured, lets every staff role read it and only an admin change it', async () => {
    const { slug, keys } = await tenant();
    const url = `/api/${slug}/admin/shipping`;
    const before = await staff(keys.readonly).get(url).expect(200);
    expect(before.body).toEqual({ configured: false, facility: null, default_method: 'shipping_kit', default_carrier: null, provider: 'manual', updated_at: null });

    expectProblem(await staff(keys.manager).put(url, SETTINGS), 403);
    expectProblem(await staff(keys.readonly).put(url, SETTINGS), 403);
    const cu = await programmeCustomer(ctx, `config-reader${++n}@example.com`, slug);
    expectProblem(await cu.get(url), 403);
    expectProblem(await staff(ctx.b.admin).get(url), 404);

    const put = await staff(keys.admin).put(url, { ...SETTINGS, facility: { ...FACILITY, country: 'ee' } });
    expect(put.status).toBe(200);
    const after = await staff(keys.manager).get(url).expect(200);
    expect(after.body).toMatchObject({ configured: true, facility: { ...FACILITY, line2: null }, default_method: 'shipping_kit', default_carrier: 'DHL', provider: 'manual' });
    expect(after.body.updated_at).toEqual(expect.any(String));
  });

  it('refuses an invalid configuration with every violation at once and changes nothing', async () => {
    const { slug, keys } = await tenant();
    const url = `/api/${slug}/admin/shipping`;
    const bad = await staff(keys.admin).put(url, {
      facility: { name: '', line1: 'x'.repeat(121), city: 'Tallinn', country: 'Estonia' },
      default_method: 'pigeon',
      provider: 'fedex',
      default_carrier: 7,
    });
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(
      ['default_carrier', 'default_method', 'facility.country', 'facility.line1', 'facility.name', 'facility.postcode', 'provider'].sort(),
    );
    expectProblem(await staff(keys.admin).put(url, { ...SETTINGS, facility: 'Tallinn' }), 422, /facility must be an object/);
    expectProblem(await staff(keys.admin).put(url, { default_method: 'shipping_kit', provider: 'manual' }), 422, /facility/);
    expect((await staff(keys.admin).get(url).expect(200)).body.configured).toBe(false);
  });
});

describe('the kit order at acceptance (F2)', () => {
  it('is created with the profile address and the facility, ordered, and recorded as submission.kit_ordered', async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin).put(`/api/${slug}/admin/shipping`, SETTINGS).expect(200);
    const { cu, sub, tradeInId } = await accepted(slug, keys);

    const seen = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body;
    expect(seen.status).toBe('accepted');
    expect(seen.shipments).toHaveLength(1);
    const kit = seen.shipments[0];
    expect(kit).toMatchObject({
      submission_id: sub,
      direction: 'outbound',
      status: 'ordered',
      missing: [],
      provider: 'manual',
      method: 'shipping_kit',
      carrier: 'DHL',
      tracking_number: null,
      customer_address: { name: 'Mari Tamm', line1: 'Narva mnt 5', line2: 'Apt 12', postcode: '10117', city: 'Tallinn', country: 'EE' },
      facility_address: { ...FACILITY, line2: null },
      label_url: `${BASE}/api/${slug}/submissions/${sub}/label`,
    });
    expect(kit.id).toMatch(/^shp_\d+$/);

    const recorded = await events({ tradeInId, type: 'submission.kit_ordered' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].payload).toMatchObject({ submission_id: sub, fulfilment: 'manual', shipment: { id: kit.id, customer_address: kit.customer_address, label_url: kit.label_url } });
    // In the trade-in's sequence, right after the acceptance.
    const types = (await events({ tradeInId })).map((e) => e.type);
    expect(types.slice(types.indexOf('offer.accepted'))).toEqual(['offer.accepted', 'submission.kit_ordered']);

    // The address is a snapshot: a later change of the profile does not move an ordered kit.
    await cu.put(`/api/${slug}/profile`, { shipping_address: { ...HOME, line1: 'Elsewhere 1' } }).expect(200);
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0].customer_address.line1).toBe('Narva mnt 5');
  });

  it('waits for the address of a customer who has none, and is ordered when they save one', async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin).put(`/api/${slug}/admin/shipping`, SETTINGS).expect(200);
    const { cu, sub, tradeInId } = await accepted(slug, keys, null);

    const waiting = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0];
    expect(waiting).toMatchObject({ status: 'awaiting_address', missing: ['customer_address'], customer_address: null, label_url: null });
    expectProblem(await cu.get(`/api/${slug}/submissions/${sub}/label`), 409, /add your address/);
    expect(await events({ tradeInId, type: 'submission.kit_ordered' })).toHaveLength(0);

    const bad = await cu.put(`/api/${slug}/profile`, { shipping_address: { line1: '', country: 'Estonia' } });
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual([
      'shipping_address.city',
      'shipping_address.country',
      'shipping_address.line1',
      'shipping_address.postcode',
    ]);

    const profile = await cu.put(`/api/${slug}/profile`, { shipping_address: HOME }).expect(200);
    expect(profile.body.shipping_address).toEqual({ ...HOME, country: 'EE' });
    const ordered = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0];
    expect(ordered).toMatchObject({ status: 'ordered', missing: [], customer_address: { name: 'Mari Tamm', line1: 'Narva mnt 5' } });
    expect(await events({ tradeInId, type: 'submission.kit_ordered' })).toHaveLength(1);
  });

  it('waits for the facility while the tenant has none configured, and is ordered by the configuration', async () => {
    const { slug, keys } = await tenant();
    const { cu, sub, tradeInId } = await accepted(slug, keys);
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0]).toMatchObject({ status: 'awaiting_address', missing: ['facility_address'], provider: 'manual' });

    await staff(keys.admin)
      .put(`/api/${slug}/admin/shipping`, { ...SETTINGS, provider: 'integration' })
      .expect(200);
    const kit = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0];
    expect(kit).toMatchObject({ status: 'ordered', provider: 'integration', facility_address: { name: FACILITY.name } });
    expect((await events({ tradeInId, type: 'submission.kit_ordered' }))[0].payload).toMatchObject({ fulfilment: 'integration' });
  });

  it('is not made when the tenant ships by drop-off', async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin)
      .put(`/api/${slug}/admin/shipping`, { ...SETTINGS, default_method: 'drop_off' })
      .expect(200);
    const { cu, sub } = await accepted(slug, keys);
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments).toEqual([]);
    expectProblem(await cu.get(`/api/${slug}/submissions/${sub}/label`), 404, /has no kit order/);
    await cu.post(`/api/${slug}/submissions/${sub}/ship`, { method: 'drop_off' }).expect(200);
  });

  it('is cancelled when staff reject the accepted submission before anything was shipped: no return shipment, no label, no carrier update', async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin).put(`/api/${slug}/admin/shipping`, SETTINGS).expect(200);
    const { cu, sub } = await accepted(slug, keys);
    const kit = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0];
    expect(kit.status).toBe('ordered');

    const rejected = (await staff(keys.manager).post(`/api/${slug}/submissions/${sub}/reject`, { reason: 'Model recalled' }).expect(200)).body;
    expect(rejected.status).toBe('declined');
    expect(rejected.return_requested_at).toBeNull();
    // The kit order is over, and the customer has nothing to send back: no return shipment.
    expect(rejected.shipments).toEqual([expect.objectContaining({ id: kit.id, direction: 'outbound', status: 'cancelled' })]);
    expectProblem(await cu.get(`/api/${slug}/submissions/${sub}/label`), 409, /was cancelled/);
    expectProblem(
      await staff(keys.manager).post(`/api/${slug}/admin/shipments/${kit.id}/tracking`, { event_id: 'evt-late', status: 'kit_sent', carrier: 'DHL', tracking_number: 'JD1' }),
      409,
      /was cancelled/,
    );
  });
});

describe('the printable label (F3)', () => {
  it('prints both addresses and a Code 128 barcode that decodes to the submission id, for the customer and for staff', async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin).put(`/api/${slug}/admin/shipping`, SETTINGS).expect(200);
    const { cu, sub } = await accepted(slug, keys);

    const res = await binary(cu.get(`/api/${slug}/submissions/${sub}/label`)).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="label-${sub}.pdf"`);
    const label = await decodeLabel(res.body as Buffer);
    expect(label.pages).toBe(1);
    for (const line of ['Mari Tamm', 'Narva mnt 5', 'Apt 12', '10117 Tallinn', 'EE', FACILITY.name, 'Peterburi tee 2', '11415 Tallinn']) expect(label.text).toContain(line);
    expect(label.text.indexOf('FROM')).toBeLessThan(label.text.indexOf('Mari Tamm'));
    expect(label.text.indexOf('TO')).toBeLessThan(label.text.indexOf(FACILITY.name));
    expect(label.barcode).toEqual({ format: 'CODE_128', text: sub });

    const staffCopy = await binary(staff(keys.readonly).get(`/api/${slug}/submissions/${sub}/label`)).expect(200);
    expect((await decodeLabel(staffCopy.body as Buffer)).barcode.text).toBe(sub);
  });

  it("is 404 for another customer's submission and for another tenant, 400 for an unknown direction", async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin).put(`/api/${slug}/admin/shipping`, SETTINGS).expect(200);
    const { sub } = await accepted(slug, keys);
    const other = await programmeCustomer(ctx, `nosy${++n}@example.com`, slug);
    const notOwn = await other.get(`/api/${slug}/submissions/${sub}/label`);
    expectProblem(notOwn, 404);
    const unknown = await other.get(`/api/${slug}/submissions/sub_999999/label`);
    expectProblem(unknown, 404);
    // The same answer for a submission that exists and one that does not: nothing to enumerate.
    expect(notOwn.body.detail.replace(sub, 'X')).toBe(unknown.body.detail.replace('sub_999999', 'X'));
    expectProblem(await staff(ctx.b.admin).get(`/api/${slug}/submissions/${sub}/label`), 404);
    expectProblem(await staff(keys.admin).get(`/api/${slug}/submissions/${sub}/label?direction=sideways`), 400, /direction/);
    expectProblem(await staff(keys.admin).get(`/api/${slug}/submissions/${sub}/label?direction=return`), 404, /no return shipment/);
  });
});

describe('the integration provider and carrier updates (F4, F1)', () => {
  async function integrationTenant() {
    const t = await tenant();
    await staff(t.keys.admin)
      .put(`/api/${t.slug}/admin/shipping`, { ...SETTINGS, provider: 'integration' })
      .expect(200);
    return t;
  }

  it('hands the kit order over as submission.kit_ordered, and a carrier update ships the submission with history and events', async () => {
    const { slug, keys } = await integrationTenant();
    const { cu, sub, tradeInId } = await accepted(slug, keys);
    const [order] = await events({ tradeInId, type: 'submission.kit_ordered' });
    expect(order.subject).toBe(`/api/${slug}/submissions/${sub}`);
    const kit = order.payload.shipment as { id: string; tracking_url: string; label_url: string };
    expect(order.payload).toMatchObject({
      submission_id: sub,
      fulfilment: 'integration',
      shipment: {
        direction: 'outbound',
        status: 'ordered',
        customer_address: { line1: 'Narva mnt 5', country: 'EE' },
        facility_address: { name: FACILITY.name },
        label_url: `${BASE}/api/${slug}/submissions/${sub}/label`,
      },
    });
    expect(kit.tracking_url).toBe(`${BASE}/api/${slug}/admin/shipments/${kit.id}/tracking`);
    const trackingPath = kit.tracking_url.slice(BASE.length);

    // The fulfilment system (a manager key) reports the kit leaving, then the item picked up.
    const fulfilment = staff(keys.manager);
    const sent = await fulfilment.post(trackingPath, { event_id: 'evt-kit-1', status: 'kit_sent', carrier: 'DHL', description: 'Kit handed to DHL' }).expect(200);
    expect(sent.body).toMatchObject({ status: 'kit_sent', kit_sent_at: expect.any(String) });
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.status).toBe('accepted');

    const shipped = await fulfilment.post(trackingPath, { event_id: 'evt-item-2', status: 'shipped', tracking_number: 'JD014600003828', occurred_at: '2024-01-22T09:30:00Z' }).expect(200);
    expect(shipped.body).toMatchObject({ status: 'shipped', tracking_number: 'JD014600003828', shipped_at: '2024-01-22T09:30:00.000+00:00' });
    expect(shipped.body.tracking.map((e: { event_id: string }) => e.event_id)).toEqual(['evt-kit-1', 'evt-item-2']);

    const seen = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body;
    expect(seen).toMatchObject({ status: 'shipped', trade_in_status: 'shipped', shipping_method: 'shipping_kit', carrier: 'DHL', tracking_number: 'JD014600003828' });
    const history = (await staff(keys.manager).get(`/api/v3/trade-ins/${tradeInId}/history`).expect(200)).body as { from: string; to: string; changedBy: { id: number } | null }[];
    const move = history.filter((h) => h.to === 'shipped');
    expect(move).toHaveLength(1);
    expect(move[0]).toMatchObject({ from: 'purchase_agreement', changedBy: { id: keys.managerUserId } });
    expect((await events({ tradeInId, type: 'submission.shipped' })).length).toBe(1);
    expect((await events({ tradeInId, type: 'trade_in.status_changed' })).map((e) => e.payload.to)).toContain('shipped');
    expect((await events({ tradeInId, type: 'submission.tracking_updated' })).map((e) => (e.payload.update as { event_id: string }).event_id)).toEqual(['evt-kit-1', 'evt-item-2']);
  });

  it('treats a repeated carrier event id as a no-op', async () => {
    const { slug, keys } = await integrationTenant();
    const { tradeInId, sub, cu } = await accepted(slug, keys);
    const kit = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0];
    const trackingPath = (kit.tracking_url as string).slice(BASE.length);
    const fulfilment = staff(keys.manager);
    const update = { event_id: 'dhl-42', status: 'shipped', tracking_number: 'JD1' };
    const first = await fulfilment.post(trackingPath, update).expect(200);
    const eventsAfterFirst = (await events({ tradeInId })).length;
    const again = await fulfilment.post(trackingPath, { ...update, tracking_number: 'CHANGED' }).expect(200);
    expect(again.body).toEqual(first.body);
    expect((await events({ tradeInId })).length).toBe(eventsAfterFirst);
    const history = (await staff(keys.manager).get(`/api/v3/trade-ins/${tradeInId}/history`).expect(200)).body as { to: string }[];
    expect(history.filter((h) => h.to === 'shipped')).toHaveLength(1);
    // A later "delivered" still counts; an older status reported late is kept but does not move it back.
    await fulfilment.post(trackingPath, { event_id: 'dhl-43', status: 'delivered' }).expect(200);
    const late = await fulfilment.post(trackingPath, { event_id: 'dhl-41', status: 'kit_sent' }).expect(200);
    expect(late.body.status).toBe('delivered');
    expect(late.body.tracking.map((e: { event_id: string }) => e.event_id)).toEqual(['dhl-42', 'dhl-43', 'dhl-41']);
  });

  it('lets only staff with a writing role report tracking, and answers 422 with every bad field', async () => {
    const { slug, keys } = await integrationTenant();
    const { sub, cu } = await accepted(slug, keys);
    const url = ((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0].tracking_url as string).slice(BASE.length);
    expectProblem(await staff(keys.readonly).post(url, { event_id: 'a', status: 'shipped' }), 403);
    expectProblem(await cu.post(url, { event_id: 'a', status: 'shipped' }), 403);
    expectProblem(await ctx.http().post(url).send({ event_id: 'a', status: 'shipped' }), 401);
    expectProblem(await staff(ctx.b.manager).post(url.replace(`/api/${slug}/`, '/api/beta/'), { event_id: 'a', status: 'shipped' }), 404);
    expectProblem(await staff(keys.manager).post(`/api/${slug}/admin/shipments/shp_999999/tracking`, { event_id: 'a', status: 'shipped' }), 404);
    const bad = await staff(keys.manager).post(url, { event_id: 'has space', status: 'teleported', occurred_at: 'yesterday', carrier: '' });
    expectProblem(bad, 422);
    expect(bad.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['carrier', 'event_id', 'occurred_at', 'status']);
    expectProblem(await staff(keys.manager).post(url, {}), 422, /event_id is required/);
    expect((await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments[0].tracking).toEqual([]);
  });

  it('does not let the customer declare the kit shipped (the carrier does), but a drop-off and staff still can', async () => {
    const { slug, keys } = await integrationTenant();
    const { sub, cu } = await accepted(slug, keys);
    expectProblem(await cu.post(`/api/${slug}/submissions/${sub}/ship`, { method: 'shipping_kit', carrier: 'DHL', tracking_number: 'MADE-UP' }), 409, /fulfilment partner/);
    const dropped = await cu.post(`/api/${slug}/submissions/${sub}/ship`, { method: 'drop_off' }).expect(200);
    expect(dropped.body).toMatchObject({ status: 'shipped', shipping_method: 'drop_off', shipments: [{ status: 'cancelled' }] });

    const other = await accepted(slug, keys);
    const byStaff = await staff(keys.manager).post(`/api/${slug}/submissions/${other.sub}/ship`, { method: 'shipping_kit', tracking_number: 'JD9' }).expect(200);
    expect(byStaff.body).toMatchObject({ status: 'shipped', carrier: 'DHL', tracking_number: 'JD9', shipments: [{ status: 'shipped', tracking_number: 'JD9' }] });
  });
});

describe('the manual provider (F1)', () => {
  it('keeps the ship call: what staff record becomes the kit order’s carrier and tracking', async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin).put(`/api/${slug}/admin/shipping`, SETTINGS).expect(200);
    const { sub, cu, tradeInId } = await accepted(slug, keys);
    const res = await cu.post(`/api/${slug}/submissions/${sub}/ship`, { method: 'shipping_kit', carrier: 'Omniva', tracking_number: 'CC123' }).expect(200);
    expect(res.body).toMatchObject({ status: 'shipped', carrier: 'Omniva', tracking_number: 'CC123' });
    expect(res.body.shipments[0]).toMatchObject({ status: 'shipped', carrier: 'Omniva', tracking_number: 'CC123', tracking: [{ event_id: null, status: 'shipped' }] });
    expectProblem(await cu.post(`/api/${slug}/submissions/${sub}/ship`, { method: 'shipping_kit' }), 409, /already shipped/);
    // The label shows what was recorded.
    const label = await decodeLabel((await binary(cu.get(`/api/${slug}/submissions/${sub}/label`)).expect(200)).body as Buffer);
    expect(label.text).toContain('Omniva');
    expect(label.text).toContain('CC123');
    expect((await events({ tradeInId, type: 'submission.shipped' })).length).toBe(1);
  });
});

describe('return shipments', () => {
  it('are created for another feature by ShippingService.createReturnShipment, once, with a label from the facility to the customer', async () => {
    const { slug, keys } = await tenant();
    await staff(keys.admin).put(`/api/${slug}/admin/shipping`, SETTINGS).expect(200);
    const { sub, cu, tradeInId } = await accepted(slug, keys);
    const shipping = ctx.app.get(ShippingService);
    const tenantRef = { id: keys.tenantId, slug };
    const made = await ctx.app.get(TxService).run((em) => shipping.createReturnShipment(em, { tenant: tenantRef }, tradeInId));
    const again = await ctx.app.get(TxService).run((em) => shipping.createReturnShipment(em, { tenant: tenantRef }, tradeInId));
    expect(again.id).toBe(made.id);

    const shipments = (await cu.get(`/api/${slug}/submissions/${sub}`).expect(200)).body.shipments;
    expect(shipments.map((s: { direction: string }) => s.direction)).toEqual(['outbound', 'return']);
    expect(shipments[1]).toMatchObject({ status: 'ordered', method: 'return_label', label_url: `${BASE}/api/${slug}/submissions/${sub}/label?direction=return` });
    expect((await events({ tradeInId, type: 'submission.return_ordered' })).length).toBe(1);

    const label = await decodeLabel((await binary(cu.get(`/api/${slug}/submissions/${sub}/label?direction=return`)).expect(200)).body as Buffer);
    expect(label.text.indexOf(FACILITY.name)).toBeLessThan(label.text.indexOf('Mari Tamm'));
    expect(label.text.indexOf('FROM')).toBeLessThan(label.text.indexOf(FACILITY.name));
    expect(label.barcode.text).toBe(sub);

    await expect(ctx.app.get(TxService).run((em) => shipping.createReturnShipment(em, { tenant: { id: ctx.b.tenantId, slug: 'beta' } }, tradeInId))).rejects.toThrow(/was not found/);
  });
});
