import { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app.factory';
import { In } from 'typeorm';
import { IdempotencyRecord } from '../src/database/idempotency.entity';
import { OutboxEvent } from '../src/database/outbox.entity';
import { JobRunner } from '../src/jobs/job-runner';
import { ScheduledJob } from '../src/jobs/scheduled-job.entity';
import { TradeInStatusChange } from '../src/trade-ins/trade-in.entity';
import { ProgramOffer, ProgramSession } from '../src/upgrade/program.entities';
import { WebhookDelivery } from '../src/webhooks/webhook.entity';
import { ProgrammeJobs } from '../src/upgrade/programme.jobs';
import { client, ENGINE, expectProblem, setup, TestContext } from './helpers';
import { programmeCustomer } from './programme-flow';

const TICK_MS = 100;
let ctx: TestContext;
beforeAll(async () => {
  // The runner inside the server, as by default (with a short tick).
  ctx = await setup({ webhooks: { jobs: 'inline', tickMs: TICK_MS } });
});
afterAll(() => ctx.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;

/** A submitted submission with a pending offer expiring at `expiresAt`. */
async function offered(expiresAt: Date) {
  const cu = await programmeCustomer(ctx, `jobs${++n}@example.com`);
  const sub = (
    await cu
      .post('/api/alpha/submissions', {
        make: 'Volkswagen',
        model: 'Golf',
        first_registration_date: '2019-05-01',
        mileage: 1000,
        condition: 'good',
        serial_number: `SN-jobs-${n}`,
        photos: [await cu.photo()],
      })
      .expect(201)
  ).body.id as string;
  await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
  const offer = (await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 100, expires_at: expiresAt.toISOString() }).expect(201)).body.id as string;
  return { cu, sub, offer, tradeInId: Number(sub.slice(4)), offerId: Number(offer.slice(4)) };
}

const expiredEvents = (tradeInId: number) => ctx.ds.getRepository(OutboxEvent).find({ where: { tradeInId, type: 'offer.expired' } });
const backToDone = (tradeInId: number) => ctx.ds.getRepository(TradeInStatusChange).find({ where: { tradeInId, fromStatus: 'sent_to_customer', toStatus: 'done' } });

describe('the job runner', () => {
  it('expires an offer within a tick after expires_at: the submission awaits a new offer, events are recorded, stats count it', async () => {
    const expiresAt = new Date(Date.now() + 4000); // the set-up below (registration, login, submission) takes a while on a loaded machine
    const { cu, sub, offer, tradeInId } = await offered(expiresAt);
    expect((await cu.get(`/api/alpha/offers/${offer}`).expect(200)).body.status).toBe('pending');
    let events: OutboxEvent[] = [];
    for (let waited = 0; waited < 10_000 && !events.length; waited += 20) {
      await sleep(20);
      events = await expiredEvents(tradeInId);
    }
    expect(events).toHaveLength(1);
    // within the tick (plus the time a tick takes on a busy machine)
    const lag = events[0].createdAt.getTime() - expiresAt.getTime();
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(TICK_MS + 1000);
    expect((await cu.get(`/api/alpha/offers/${offer}`).expect(200)).body.status).toBe('expired');
    expect((await cu.get(`/api/alpha/submissions/${sub}`).expect(200)).body.status).toBe('submitted');
    expectProblem(await cu.post(`/api/alpha/offers/${offer}`, { action: 'accept' }), 409, /expired/);
    const stats = await client(ctx, ctx.a.manager).get('/api/alpha/admin/stats').expect(200);
    expect(stats.body.offers_by_status.expired).toBeGreaterThanOrEqual(1);
    expect(events[0].payload).toMatchObject({ offer: { id: offer, status: 'expired' } });
    const change = await backToDone(tradeInId);
    expect(change).toHaveLength(1);
    expect(change[0].changedById).toBeNull();
    // a new offer can be made and accepted
    const second = (await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 120 }).expect(201)).body.id as string;
    await cu.post(`/api/alpha/offers/${second}`, { action: 'accept' }).expect(200);
  });

  it('leaves an offer answered before its expiry alone', async () => {
    const expiresAt = new Date(Date.now() + 4000);
    const { cu, offer, tradeInId } = await offered(expiresAt);
    await cu.post(`/api/alpha/offers/${offer}`, { action: 'accept' }).expect(200);
    await sleep(expiresAt.getTime() - Date.now() + 3 * TICK_MS);
    expect(await expiredEvents(tradeInId)).toEqual([]);
    expect((await cu.get(`/api/alpha/offers/${offer}`).expect(200)).body.status).toBe('accepted');
  });

  it('records when each scheduled job ran and when it runs next', async () => {
    await sleep(3 * TICK_MS);
    const jobs = await ctx.ds.getRepository(ScheduledJob).find({ order: { name: 'ASC' } });
    expect(jobs.map((j) => j.name)).toEqual([
      'idempotency.purge',
      'notifications.collect',
      'notifications.purge',
      'programme.expire-offers',
      'programme.purge-sessions',
      'webhooks.dispatch',
      'webhooks.purge-log',
    ]);
    const purge = jobs.find((j) => j.name === 'idempotency.purge')!;
    expect(purge.nextRunAt.getTime() - purge.lastRunAt!.getTime()).toBe(3600_000);
  });
});

describe('purges', () => {
  it('delete idempotency keys past their day, sessions a week past expiry or logout, finished deliveries past the retention and the outbox events nothing refers to', async () => {
    const day = 86_400_000;
    const old = (days: number) => new Date(Date.now() - days * day);
    const idem = ctx.ds.getRepository(IdempotencyRecord);
    const [stale, fresh] = await Promise.all(
      [old(2), old(0)].map((createdAt, i) =>
        idem.save(idem.create({ tenantId: ctx.a.tenantId, idemKey: `purge-${i}`, requestPath: '/x', requestHash: 'h', statusCode: 201, responseBody: null, location: null, createdAt })),
      ),
    );
    await programmeCustomer(ctx, 'purge-old@example.com');
    await programmeCustomer(ctx, 'purge-new@example.com');
    const sessions = ctx.ds.getRepository(ProgramSession);
    const all = await sessions.find({ order: { id: 'DESC' }, take: 2 });
    await sessions.update({ id: all[1].id }, { expiresAt: old(8) });
    const hook = await client(ctx, ctx.a.admin).post('/api/v3/webhooks', { url: 'https://93.184.216.34/hook', enabled: false }).expect(201);
    await client(ctx, ctx.a.admin).post('/api/v3/customers', { lastName: 'Purge' }).expect(201);
    const event = await ctx.ds.getRepository(OutboxEvent).findOneOrFail({ where: { type: 'customer.created' }, order: { id: 'DESC' } });
    const deliveries = ctx.ds.getRepository(WebhookDelivery);
    const base = {
      tenantId: ctx.a.tenantId,
      subscriptionId: hook.body.id as number,
      eventId: event.id,
      eventType: event.type,
      tradeInId: null,
      attempts: 1,
      nextAttemptAt: old(0),
      lockedUntil: null,
      deliveredAt: null,
    };
    const [oldDone, oldPending, newDone] = await deliveries.save([
      deliveries.create({ ...base, status: 'delivered', createdAt: old(31) }),
      deliveries.create({ ...base, status: 'pending', createdAt: old(31) }),
      deliveries.create({ ...base, status: 'delivered', createdAt: old(1) }),
    ]);
    const events = ctx.ds.getRepository(OutboxEvent);
    const oldEvent = {
      eventId: '',
      tenantId: ctx.a.tenantId,
      type: 'customer.created',
      subject: '/api/v3/customers/1',
      tradeInId: null,
      sequence: null,
      payload: {},
      createdAt: old(40),
      dispatchedAt: old(40),
    };
    const [unreferenced, referenced] = await events.save([events.create({ ...oldEvent, eventId: 'evt_purge_old_1' }), events.create({ ...oldEvent, eventId: 'evt_purge_old_2' })]);
    const pendingOfOld = await deliveries.save(deliveries.create({ ...base, eventId: referenced.id, status: 'pending', createdAt: old(31) }));
    // due now (they run hourly)
    await ctx.ds.getRepository(ScheduledJob).update({ name: In(['idempotency.purge', 'programme.purge-sessions', 'webhooks.purge-log']) }, { nextRunAt: old(1) });
    for (let waited = 0; waited < 5000 && (await idem.existsBy({ id: stale.id })); waited += 50) await sleep(50);
    await sleep(3 * TICK_MS);
    expect(await idem.existsBy({ id: stale.id })).toBe(false);
    expect(await idem.existsBy({ id: fresh.id })).toBe(true);
    expect(await sessions.existsBy({ id: all[1].id })).toBe(false);
    expect(await sessions.existsBy({ id: all[0].id })).toBe(true);
    expect(await deliveries.existsBy({ id: oldDone.id })).toBe(false);
    expect(await deliveries.existsBy({ id: oldPending.id })).toBe(true); // still to deliver
    expect(await deliveries.existsBy({ id: newDone.id })).toBe(true);
    // the outbox: old dispatched events go once no delivery refers to them
    expect(await events.existsBy({ id: unreferenced.id })).toBe(false);
    expect(await events.existsBy({ id: referenced.id })).toBe(true);
    expect(await deliveries.existsBy({ id: pendingOfOld.id })).toBe(true);
    expect(await events.existsBy({ id: event.id })).toBe(true);
  });
});

describe('two workers', () => {
  let second: NestExpressApplication | null = null;
  afterAll(async () => {
    await second?.close();
  });

  it('expire each offer exactly once when both run at the same time', async () => {
    // Two runner instances over one database: on MariaDB a second application (another "process"); SQLite is one process, so two ticks of it.
    const runners = [ctx.app.get(JobRunner)];
    if (ENGINE === 'mysql') {
      second = (await createApp({ databaseUrl: ctx.databaseUrl, sqlitePath: ':memory:', logLevel: 'silent', bootstrap: false, webhooks: { jobs: 'off' } })).app;
      runners.push(second.get(JobRunner));
    } else runners.push(ctx.app.get(JobRunner));
    const jobs = [ctx.app.get(ProgrammeJobs), (second ?? ctx.app).get(ProgrammeJobs)];
    const offers = await Promise.all([1, 2, 3, 4].map(() => offered(new Date(Date.now() + 1500))));
    await sleep(1600);
    // The scheduled claims race, and on MariaDB the expiry itself also runs outside the claim (as a
    // worker whose claim expired would): the locks and the conditional UPDATE keep it to once.
    const direct = ENGINE === 'mysql' ? jobs.map((j) => ctx.ds.transaction((em) => j.expireOffers(em, new Date()))) : [];
    await Promise.all([runners[0].tick(), runners[1].tick(), ...direct, runners[0].tick(), runners[1].tick()]);
    for (const o of offers) {
      expect(await expiredEvents(o.tradeInId)).toHaveLength(1);
      expect(await backToDone(o.tradeInId)).toHaveLength(1);
      expect((await ctx.ds.getRepository(ProgramOffer).findOneByOrFail({ id: o.offerId })).status).toBe('expired');
    }
  });
});
