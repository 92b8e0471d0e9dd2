import { Webhook } from 'standardwebhooks';
import { IsNull } from 'typeorm';
import { EVENT_TYPES } from '../src/database/outbox';
import { OutboxEvent } from '../src/database/outbox.entity';
import { JobRunner } from '../src/jobs/job-runner';
import { WebhookSubscription } from '../src/webhooks/webhook.entity';
import { WebhookConfig, WEBHOOK_CONFIG } from '../src/webhooks/webhooks.config';
import { client, expectProblem, setup, TestContext } from './helpers';
import { programmeCustomer, programmeEndings, shippedByCarrier, wholeProgramme } from './programme-flow';
import { Receiver } from './webhook-receiver';

let ctx: TestContext;
let receiver: Receiver;
let config: WebhookConfig;
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  // Loopback receivers are allowed here (and refused in the test that turns the setting off); retries 20 ms apart.
  ctx = await setup({ webhooks: { allowPrivateTargets: true, retryBaseMs: 20, timeoutMs: 2000, disableAfterFailures: 4 } });
  receiver = await new Receiver().start();
  config = ctx.app.get<WebhookConfig>(WEBHOOK_CONFIG);
  admin = client(ctx, ctx.a.admin);
});
afterAll(async () => {
  await receiver.stop();
  await ctx.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the job runner until every event is dispatched and no delivery of an enabled subscription is pending. */
async function drain(limitMs = 15_000): Promise<void> {
  const runner = ctx.app.get(JobRunner);
  const started = Date.now();
  for (;;) {
    await runner.tick();
    const undispatched = await ctx.ds.getRepository(OutboxEvent).countBy({ dispatchedAt: IsNull() });
    const [{ n }] = await ctx.ds.query<{ n: number | string }[]>(
      "SELECT COUNT(*) AS n FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.status = 'pending' AND s.enabled = ?",
      [ctx.ds.options.type === 'mysql' ? true : 1],
    );
    if (undispatched === 0 && Number(n) === 0) return;
    if (Date.now() - started > limitMs)
      throw new Error(
        `deliveries still pending after ${limitMs} ms: ${JSON.stringify(await ctx.ds.query("SELECT d.*, s.enabled, s.url FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.status = 'pending'"))}`,
      );
    await sleep(10);
  }
}

async function subscribe(path: string, body: object = {}) {
  const res = await admin.post('/api/v3/webhooks', { url: `${receiver.base}${path}`, ...body }).expect(201);
  return { id: res.body.id as number, secret: res.body.secret as string };
}

const verify = (secret: string, r: { body: string; headers: Record<string, string> }) =>
  new Webhook(secret).verify(r.body, { 'webhook-id': r.headers['webhook-id'], 'webhook-timestamp': r.headers['webhook-timestamp'], 'webhook-signature': r.headers['webhook-signature'] });

describe('webhook subscriptions', () => {
  it('are admin-only and tenant-scoped; the secret is shown once, at creation', async () => {
    const created = await admin.post('/api/v3/webhooks', { url: `${receiver.base}/crud`, eventTypes: ['trade_in.created'], description: 'DMS' }).expect(201);
    expect(created.body).toMatchObject({ iri: `/api/v3/webhooks/${created.body.id}`, enabled: true, eventTypes: ['trade_in.created'], disabledReason: null, consecutiveFailures: 0 });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created.headers.location).toBe(`/api/v3/webhooks/${created.body.id}`);
    const read = await admin.get(`/api/v3/webhooks/${created.body.id}`).expect(200);
    expect(read.body.secret).toBeUndefined();
    expect((await client(ctx, ctx.a.admin, 'application/ld+json').get('/api/v3/webhooks').expect(200)).body['hydra:member'].map((w: { id: number }) => w.id)).toContain(created.body.id);
    // stored encrypted or marked plain, never as shown
    const row = await ctx.ds.getRepository(WebhookSubscription).findOneByOrFail({ id: created.body.id });
    expect(row.secret).not.toBe(created.body.secret);
    expectProblem(await client(ctx, ctx.a.manager).get('/api/v3/webhooks'), 403);
    expectProblem(await client(ctx, ctx.a.readonly).get(`/api/v3/webhooks/${created.body.id}`), 403);
    expectProblem(await client(ctx, ctx.a.manager).post('/api/v3/webhooks', { url: `${receiver.base}/x` }), 403);
    expectProblem(await client(ctx, ctx.b.admin).get(`/api/v3/webhooks/${created.body.id}`), 404);
    expectProblem(await client(ctx, ctx.b.admin).patch(`/api/v3/webhooks/${created.body.id}`, { enabled: false }), 404);
    const patched = await admin.patch(`/api/v3/webhooks/${created.body.id}`, { eventTypes: [], enabled: false }).expect(200);
    expect(patched.body).toMatchObject({ eventTypes: [], enabled: false });
    await admin.delete(`/api/v3/webhooks/${created.body.id}`).expect(204);
    expectProblem(await admin.get(`/api/v3/webhooks/${created.body.id}`), 404);
  });

  it('refuses bad input with 422 naming the field', async () => {
    const res = await admin.post('/api/v3/webhooks', { url: 'ftp://example.com/x', eventTypes: ['trade_in.exploded'] });
    expectProblem(res, 422, /eventTypes/);
    expectProblem(await admin.post('/api/v3/webhooks', { url: 'not a url' }), 422, /url/);
    expectProblem(await admin.post('/api/v3/webhooks', { url: 'ftp://example.com/x' }), 422, /http or https/);
    expectProblem(await admin.post(`/api/v3/webhooks/999999/rotate-secret`, { overlapSeconds: -1 }), 422, /overlapSeconds/);
  });

  it('validates bodies at the edge: a rotation with an empty body takes the defaults, a body that is no object is a 400', async () => {
    const { id, secret } = await subscribe('/edge');
    // An empty object: the default overlap (a day). (No body at all is the transport's 400: a POST here needs a JSON body.)
    const rotated = await admin.post(`/api/v3/webhooks/${id}/rotate-secret`, {}).expect(200);
    expect(rotated.body.secret).not.toBe(secret);
    expect(Date.parse(rotated.body.previousSecretUntil) - Date.now()).toBeGreaterThan(86_000_000);
    expectProblem(await admin.post(`/api/v3/webhooks/${id}/rotate-secret`, []), 400, /JSON object/);
    expectProblem(await admin.post('/api/v3/webhooks', []), 400, /JSON object/);
    const patch = await admin.patch(`/api/v3/webhooks/${id}`, { enabled: 'yes', url: 42 });
    expectProblem(patch, 422);
    expect(patch.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['enabled', 'url']);
    await admin.delete(`/api/v3/webhooks/${id}`).expect(204);
  });

  it('refuses private, loopback and link-local targets unless the server allows them', async () => {
    config.allowPrivateTargets = false;
    try {
      for (const url of [`${receiver.base}/private`, 'http://localhost:9/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/x', 'http://192.168.0.10/x']) {
        const res = await admin.post('/api/v3/webhooks', { url });
        expectProblem(res, 422, /private, loopback or link-local/);
        expect(res.body.violations[0]).toMatchObject({ propertyPath: 'url', code: 'forbidden' });
      }
    } finally {
      config.allowPrivateTargets = true;
    }
  });

  it('checks the address actually connected to at delivery: a target that became private gets nothing', async () => {
    const { id } = await subscribe('/became-private', { eventTypes: ['customer.created'] });
    config.allowPrivateTargets = false;
    try {
      await admin.post('/api/v3/customers', { lastName: 'Rebind' }).expect(201);
      await ctx.app.get(JobRunner).tick();
      await ctx.app.get(JobRunner).tick();
    } finally {
      config.allowPrivateTargets = true;
    }
    expect(receiver.requests.filter((r) => r.path === '/became-private')).toEqual([]);
    const log = await admin.get(`/api/v3/webhooks/${id}/deliveries`).expect(200);
    expect(log.body[0].attemptLog[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/refused/) });
    await admin.delete(`/api/v3/webhooks/${id}`).expect(204);
  });
});

describe('deliveries', () => {
  it('deliver every event type, signed so that the standardwebhooks verifier accepts it', async () => {
    const { id, secret } = await subscribe('/all');
    const m = client(ctx, ctx.a.manager);
    const t = (await m.post('/api/v3/trade-ins', { vehicleModel: { make: 'Skoda', model: 'Octavia' } }).expect(201)).body.id as number;
    await m.patch(`/api/v3/trade-ins/${t}`, { note: 'x' }).expect(200);
    await m.post(`/api/v3/trade-ins/${t}/pictures`, [{ url: 'https://placehold.co/1' }]).expect(200);
    await m.post(`/api/v3/trade-ins/${t}/comments`, [{ comment: 'hi' }]).expect(200);
    await m.patch(`/api/v3/trade-ins/${t}/status/no-deal`, { rejectReason: 'price_too_low' }).expect(200);
    await admin.delete(`/api/v3/trade-ins/${t}`).expect(204);
    const c = (await admin.post('/api/v3/customers', { lastName: 'Kask' }).expect(201)).body.id as number;
    await admin.patch(`/api/v3/customers/${c}`, { firstName: 'Kai' }).expect(200);
    await admin.delete(`/api/v3/customers/${c}`).expect(204);
    const l = (await admin.post('/api/v3/locations', { name: 'Pärnu' }).expect(201)).body.id as number;
    await admin.patch(`/api/v3/locations/${l}`, { name: 'Narva' }).expect(200);
    await admin.delete(`/api/v3/locations/${l}`).expect(204);
    await wholeProgramme(ctx, 'hooks@example.com');
    await programmeEndings(ctx, 'hooks-endings@example.com');
    const kit = await shippedByCarrier(ctx, 'kit-hooks@example.com');
    // an offer that expires
    const cu = await programmeCustomer(ctx, 'expiring@example.com');
    const sub = (
      await cu
        .post('/api/alpha/submissions', {
          make: 'Volkswagen',
          model: 'Golf',
          first_registration_date: '2019-05-01',
          mileage: 1000,
          condition: 'good',
          serial_number: 'SN-exp',
          photos: [await cu.photo()],
        })
        .expect(201)
    ).body.id as string;
    await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
    await m.post('/api/alpha/offers', { submission_id: sub, amount: 50, expires_at: new Date(Date.now() + 300).toISOString() }).expect(201);
    await sleep(350);
    await admin.post(`/api/v3/webhooks/${id}/ping`, {}).expect(202);
    await drain();

    const got = receiver.delivered('/all');
    for (const r of got) {
      expect(verify(secret, r)).toEqual(JSON.parse(r.body));
      expect(r.headers['webhook-id']).toBe(r.json.id);
    }
    const types = new Set(got.map((r) => r.json.type));
    expect(EVENT_TYPES.filter((type) => !types.has(type))).toEqual(['webhook.disabled']); // that one: see the auto-disable test
    const status = got.find((r) => r.json.type === 'trade_in.status_changed' && r.json.subject === `/api/v3/trade-ins/${t}`)!;
    expect(status.json).toMatchObject({ sequence: 5, data: { from: 'not_done', to: 'no_deal', actor: `/api/v3/users/${ctx.a.managerUserId}`, tradeIn: { id: t } } });
    // a tampered body fails verification
    expect(() => verify(secret, { ...status, body: status.body.replace('no_deal', 'done') })).toThrow();
    // The kit order reaches the fulfilment system signed, with what it needs to send the kit (issue 17).
    const order = got.find((r) => r.json.type === 'submission.kit_ordered' && r.json.subject === `/api/alpha/submissions/${kit.sub}`)!;
    expect(order.json.data).toMatchObject({
      submission_id: kit.sub,
      fulfilment: 'integration',
      shipment: {
        id: kit.shipmentId,
        customer_address: { line1: 'Narva mnt 5' },
        facility_address: { name: 'Trade-in Centre' },
        label_url: expect.stringMatching(new RegExp(`/api/alpha/submissions/${kit.sub}/label$`)),
      },
    });
    await admin.delete(`/api/v3/webhooks/${id}`).expect(204);
  });

  it('a receiver that fails several times, then recovers, gets every event of a trade-in in order without gaps', async () => {
    const { id } = await subscribe('/flaky', { eventTypes: ['trade_in.created', 'trade_in.updated', 'trade_in.comments_changed'] });
    receiver.failures['/flaky'] = 3;
    const m = client(ctx, ctx.a.manager);
    const t = (await m.post('/api/v3/trade-ins', {}).expect(201)).body.id as number;
    for (let i = 1; i <= 5; i++) {
      await m.patch(`/api/v3/trade-ins/${t}`, { note: `change ${i}` }).expect(200);
      await m.post(`/api/v3/trade-ins/${t}/comments`, [{ comment: `c${i}` }]).expect(200);
    }
    await drain();
    const all = receiver.requests.filter((r) => r.path === '/flaky');
    expect(all.filter((r) => r.status === 500)).toHaveLength(3);
    const firsts = new Map<string, number>();
    for (const r of receiver.delivered('/flaky')) if (!firsts.has(r.json.id)) firsts.set(r.json.id, r.json.sequence!);
    expect(all.every((r) => r.json.subject === `/api/v3/trade-ins/${t}`)).toBe(true); // events from before the subscription are not sent to it
    expect([...firsts.values()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // retries carry the same webhook-id
    const failedIds = all.filter((r) => r.status === 500).map((r) => r.headers['webhook-id']);
    expect(new Set(failedIds).size).toBe(1);
    expect(receiver.delivered('/flaky')[0].headers['webhook-id']).toBe(failedIds[0]);
    const log = await admin.get(`/api/v3/webhooks/${id}/deliveries`).expect(200);
    const first = log.body.find((d: { eventId: string }) => d.eventId === failedIds[0]);
    expect(first).toMatchObject({ status: 'delivered', attempts: 4, eventType: 'trade_in.created' });
    expect(first.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(first.attemptLog[0]).toMatchObject({ responseExcerpt: 'receiver down', latencyMs: expect.any(Number) });
    expect((await admin.get(`/api/v3/webhooks/${id}`).expect(200)).body.consecutiveFailures).toBe(0);
    await admin.delete(`/api/v3/webhooks/${id}`).expect(204);
  });

  it('a disabled subscription receives nothing', async () => {
    const { id } = await subscribe('/disabled', { enabled: false });
    await client(ctx, ctx.a.manager).post('/api/v3/trade-ins', {}).expect(201);
    await admin.post('/api/v3/locations', { name: 'Haapsalu' }).expect(201);
    await drain();
    expect(receiver.requests.filter((r) => r.path === '/disabled')).toEqual([]);
    expectProblem(await admin.post(`/api/v3/webhooks/${id}/ping`, {}), 409, /disabled/);
    await admin.delete(`/api/v3/webhooks/${id}`).expect(204);
  });

  it('a subscription whose receiver keeps failing is disabled with a visible reason and a webhook.disabled event', async () => {
    const watcher = await subscribe('/watcher', { eventTypes: ['webhook.disabled'] });
    receiver.alwaysFail.add('/down');
    const { id } = await subscribe('/down', { eventTypes: ['location.created'] });
    for (let i = 0; i < 3; i++) await admin.post('/api/v3/locations', { name: `Down ${i}` }).expect(201);
    await drain();
    const hook = (await admin.get(`/api/v3/webhooks/${id}`).expect(200)).body;
    // deliveries that are not about a trade-in go out in parallel: the ones in flight when it was disabled count too
    expect(hook).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/^Disabled after 4 failed delivery attempts in a row \(last: HTTP 500/) });
    expect(hook.consecutiveFailures).toBeGreaterThanOrEqual(4);
    const disabled = receiver.delivered('/watcher');
    expect(disabled.map((r) => r.json.type)).toEqual(['webhook.disabled']);
    expect(disabled[0].json).toMatchObject({ subject: `/api/v3/webhooks/${id}`, data: { reason: hook.disabledReason } });
    expect(receiver.requests.filter((r) => r.path === '/down')).toHaveLength(hook.consecutiveFailures);
    await drain();
    expect(receiver.requests.filter((r) => r.path === '/down')).toHaveLength(hook.consecutiveFailures); // nothing more once disabled
    // re-enabled: the pending deliveries resume, in order
    receiver.alwaysFail.delete('/down');
    await admin.patch(`/api/v3/webhooks/${id}`, { enabled: true }).expect(200);
    await drain();
    expect(
      receiver
        .delivered('/down')
        .map((r) => (r.json.data.location as { name: string }).name)
        .sort(),
    ).toEqual(['Down 0', 'Down 1', 'Down 2']);
    await admin.delete(`/api/v3/webhooks/${id}`).expect(204);
    await admin.delete(`/api/v3/webhooks/${watcher.id}`).expect(204);
  });

  it('after a rotation both secrets sign during the overlap; a redelivery carries the same webhook-id', async () => {
    const { id, secret: old } = await subscribe('/rotate', { eventTypes: ['webhook.ping'] });
    const rotated = await admin.post(`/api/v3/webhooks/${id}/rotate-secret`, { overlapSeconds: 3600 }).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(old);
    expect(Date.parse(rotated.body.previousSecretUntil) - Date.now()).toBeGreaterThan(3500_000);
    const ping = await admin.post(`/api/v3/webhooks/${id}/ping`, {}).expect(202);
    await drain();
    const [r] = receiver.delivered('/rotate');
    expect(r.headers['webhook-id']).toBe(ping.body.eventId);
    expect(r.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(old, r)).toMatchObject({ type: 'webhook.ping' });
    expect(verify(rotated.body.secret, r)).toMatchObject({ type: 'webhook.ping' });
    // no overlap: only the new secret signs
    const again = await admin.post(`/api/v3/webhooks/${id}/rotate-secret`, { overlapSeconds: 0 }).expect(200);
    const log = await admin.get(`/api/v3/webhooks/${id}/deliveries`).expect(200);
    await admin.post(`/api/v3/webhooks/${id}/deliveries/${log.body[0].id}/redeliver`, {}).expect(202);
    await drain();
    const second = receiver.delivered('/rotate')[1];
    expect(second.headers['webhook-id']).toBe(ping.body.eventId);
    expect(second.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => verify(old, second)).toThrow();
    expect(verify(again.body.secret, second)).toMatchObject({ id: ping.body.eventId });
    const one = await admin.get(`/api/v3/webhooks/${id}/deliveries/${log.body[0].id}`).expect(200);
    expect(one.body).toMatchObject({ status: 'delivered', attempts: 2 });
    await admin.delete(`/api/v3/webhooks/${id}`).expect(204);
  });
});
