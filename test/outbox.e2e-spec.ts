import { FindOptionsWhere } from 'typeorm';
import { OutboxEvent } from '../src/database/outbox.entity';
import { client, setup, TestContext } from './helpers';
import { wholeProgramme } from './programme-flow';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setup();
});
afterAll(() => ctx.close());

const events = (where: FindOptionsWhere<OutboxEvent>) => ctx.ds.getRepository(OutboxEvent).find({ where, order: { id: 'ASC' } });

describe('the transactional outbox', () => {
  it('records every write of a trade-in, its pictures and comments, in order, with sequence numbers 1, 2, 3, … and stable ids', async () => {
    const m = client(ctx, ctx.a.manager);
    const created = await m.post('/api/v3/trade-ins', { vehicleModel: { make: 'Volkswagen', model: 'Golf' }, customerAskingPrice: 9500 }).expect(201);
    const id = created.body.id as number;
    await m.patch(`/api/v3/trade-ins/${id}`, { note: 'first look' }).expect(200);
    await m.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'https://placehold.co/1' }]).expect(200);
    await m.post(`/api/v3/trade-ins/${id}/comments`, [{ comment: 'Nice car' }]).expect(200);
    await m.patch(`/api/v3/trade-ins/${id}/status/no-deal`, { rejectReason: 'price_too_low' }).expect(200);
    await client(ctx, ctx.a.admin).delete(`/api/v3/trade-ins/${id}`).expect(204);

    const rows = await events({ tradeInId: id });
    expect(rows.map((e) => e.type)).toEqual(['trade_in.created', 'trade_in.updated', 'trade_in.pictures_changed', 'trade_in.comments_changed', 'trade_in.status_changed', 'trade_in.deleted']);
    expect(rows.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(rows.map((e) => e.eventId)).size).toBe(6);
    for (const e of rows) {
      expect(e.eventId).toMatch(/^evt_[0-9a-f]{32}$/);
      expect(e.tenantId).toBe(ctx.a.tenantId);
      expect(e.subject).toBe(`/api/v3/trade-ins/${id}`);
    }
    // The representation as the API renders it in plain JSON (IRIs included), as of the change.
    expect(rows[0].payload).toMatchObject({ from: null, to: 'not_done', actor: `/api/v3/users/${ctx.a.managerUserId}`, tradeIn: { id, iri: `/api/v3/trade-ins/${id}`, customerAskingPrice: 9500 } });
    expect(rows[1].payload).toMatchObject({ tradeIn: { note: 'first look' } });
    expect(rows[2].payload).toMatchObject({ pictures: [{ url: 'https://placehold.co/1' }] });
    expect(rows[3].payload).toMatchObject({ comments: [{ comment: 'Nice car' }] });
    expect(rows[4].payload).toMatchObject({ from: 'not_done', to: 'no_deal', actor: `/api/v3/users/${ctx.a.managerUserId}`, tradeIn: { status: 'no_deal', rejectReason: 'price_too_low' } });
    expect(rows[5].payload).toEqual({ tradeIn: { id, iri: `/api/v3/trade-ins/${id}` }, actor: `/api/v3/users/${ctx.a.adminUserId}` });
  });

  it('records nothing for a write that fails (the event is part of the transaction)', async () => {
    const m = client(ctx, ctx.a.manager);
    const id = (await m.post('/api/v3/trade-ins', {}).expect(201)).body.id as number;
    const before = await events({ tradeInId: id });
    expect((await m.patch(`/api/v3/trade-ins/${id}/status/done`)).status).toBe(409); // not_done cannot move to done
    expect((await m.post('/api/v3/trade-ins', { customer: '/api/v3/customers/999999' })).status).toBe(400);
    expect((await m.post(`/api/v3/trade-ins/${id}/pictures`, [{ url: 'not a url' }])).status).toBe(422);
    expect(await events({ tradeInId: id })).toEqual(before);
  });

  it('records customer and location changes with their representation', async () => {
    const admin = client(ctx, ctx.a.admin);
    const c = (await admin.post('/api/v3/customers', { firstName: 'Mari', lastName: 'Tamm' }).expect(201)).body.id as number;
    await admin.patch(`/api/v3/customers/${c}`, { phone: '+372 5555 1234' }).expect(200);
    await admin.delete(`/api/v3/customers/${c}`).expect(204);
    const l = (await admin.post('/api/v3/locations', { name: 'Tallinn' }).expect(201)).body.id as number;
    await admin.patch(`/api/v3/locations/${l}`, { name: 'Tartu' }).expect(200);
    const cust = await events({ subject: `/api/v3/customers/${c}` });
    expect(cust.map((e) => [e.type, e.sequence])).toEqual([
      ['customer.created', null],
      ['customer.updated', null],
      ['customer.deleted', null],
    ]);
    expect(cust[1].payload).toMatchObject({ customer: { iri: `/api/v3/customers/${c}`, lastName: 'Tamm', phone: '+372 5555 1234' } });
    const loc = await events({ subject: `/api/v3/locations/${l}` });
    expect(loc.map((e) => e.type)).toEqual(['location.created', 'location.updated']);
    expect(loc[1].payload).toMatchObject({ location: { name: 'Tartu' } });
  });

  it("records the programme's submission, offer, shipment, receipt, inspection and credit events in the trade-in's sequence", async () => {
    const { tradeInId, declinedSub } = await wholeProgramme(ctx, 'outbox@example.com');
    const rows = await events({ tradeInId });
    expect(rows.map((e) => e.sequence)).toEqual(rows.map((_, i) => i + 1));
    const types = rows.map((e) => e.type).filter((t) => !t.startsWith('trade_in.'));
    expect(types).toEqual([
      'submission.created',
      'submission.updated',
      'submission.submitted',
      'offer.created',
      'offer.superseded',
      'offer.created',
      'offer.accepted',
      'submission.shipped',
      'submission.received',
      'submission.inspected',
      'credit.entry',
      'submission.credit_issued',
    ]);
    expect(rows[0].type).toBe('trade_in.created');
    expect(rows.filter((e) => e.type === 'trade_in.status_changed').map((e) => `${e.payload.from as string}>${e.payload.to as string}`)).toEqual([
      'not_done>ready_for_appraisal',
      'ready_for_appraisal>done',
      'done>sent_to_customer',
      'sent_to_customer>done',
      'done>sent_to_customer',
      'sent_to_customer>purchase_agreement',
      'purchase_agreement>shipped',
      'shipped>received',
      'received>inspected',
      'inspected>completed',
    ]);
    const credit = rows.find((e) => e.type === 'submission.credit_issued')!;
    expect(credit.subject).toBe(`/api/alpha/submissions/sub_${tradeInId}`);
    expect(credit.payload).toMatchObject({ submission: { id: `sub_${tradeInId}` } });
    const declined = await events({ tradeInId: Number(declinedSub.slice(4)) });
    expect(declined.map((e) => e.type)).toContain('offer.declined');
    expect(declined.find((e) => e.type === 'offer.declined')!.payload).toMatchObject({ offer: { status: 'declined', decline_reason: 'too low' } });
  });
});
