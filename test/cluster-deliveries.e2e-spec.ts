import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { TxService } from '../src/database/tx.service';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { contractChecked, ENGINE, freshDatabase, makeTenant, TenantKeys } from './helpers';
import { Received, Receiver } from './webhook-receiver';

/**
 * Webhook deliveries claimed by two workers (issue 18): two instances on one MariaDB database, both
 * running the job runner (dispatch and delivery) with a short tick, one subscription to a real
 * loopback receiver, and a burst of writes through both. Nothing fails, so every event must arrive
 * exactly once (the claim is `FOR UPDATE SKIP LOCKED`: a delivery one worker holds is skipped by the
 * other), and each trade-in's events in sequence order without gaps. SQLite is one process with one
 * writer: nothing to race there, so MariaDB only (`npm run test:mysql`).
 */
const describeMaria = ENGINE === 'mysql' ? describe : describe.skip;

const TICK_MS = 10;
const TRADE_INS = 12;
const DEADLINE_MS = 45_000;
const COMPLETE_VEHICLE = { make: 'BMW', model: '530D XDRIVE', regNr: '123ABC', mileage: 120000, firstRegistrationDate: '2018-05-01' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  name: string;
  app: NestExpressApplication;
  url: string;
  /** How many deliveries this instance's worker attempted. */
  attempted: () => number;
}

describeMaria('webhook deliveries with two workers on one MariaDB database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let receiver: Receiver;
  let A: Instance;
  let B: Instance;
  let alpha: TenantKeys;
  let ds: DataSource;
  const running: Instance[] = [];

  async function start(name: string): Promise<Instance> {
    const { app } = await createApp({
      databaseUrl: db.databaseUrl,
      sqlitePath: ':memory:',
      logLevel: 'silent',
      bootstrap: false,
      rateLimit: 1_000_000,
      // Both run the job runner, as servers with JOBS=inline do; loopback receivers allowed as in the webhooks tests.
      webhooks: { jobs: 'inline', tickMs: TICK_MS, allowPrivateTargets: true, retryBaseMs: 20, timeoutMs: 5000 },
    });
    await app.listen(0, '127.0.0.1');
    let attempted = 0;
    const worker = app.get(DeliveryWorker);
    const deliverDue = worker.deliverDue.bind(worker);
    worker.deliverDue = async () => {
      const n = await deliverDue();
      attempted += n;
      return n;
    };
    const instance = { name, app, url: await app.getUrl(), attempted: () => attempted };
    running.push(instance);
    return instance;
  }

  const as = (i: Instance, key: string) => {
    const h = (r: request.Test) => r.set('X-API-Key', key).set('Accept', 'application/json');
    const agent = () => contractChecked(request(i.url));
    return {
      post: (path: string, body: object) => h(agent().post(path)).set('Content-Type', 'application/json').send(body),
      patch: (path: string, body?: object) =>
        body === undefined ? h(agent().patch(path)).set('Content-Type', 'application/json') : h(agent().patch(path)).set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(body)),
    };
  };

  beforeAll(async () => {
    db = await freshDatabase();
    receiver = await new Receiver().start();
    // A few milliseconds per answer keep deliveries in flight while the other worker claims.
    receiver.delayMs = 3;
    A = await start('A');
    B = await start('B');
    ds = A.app.get(DataSource);
    alpha = await makeTenant(A.app.get(TxService), 'alpha');
  });
  afterAll(async () => {
    for (const i of running) await i.app.close();
    await receiver?.stop();
    await db?.drop();
  });

  it('every event arrives exactly once, signed, and each trade-in in sequence order without gaps', async () => {
    const sub = await as(A, alpha.admin)
      .post('/api/v3/webhooks', { url: `${receiver.base}/burst` })
      .expect(201);
    const secret = sub.body.secret as string;
    const [{ before }] = await ds.query<{ before: number | string | null }[]>('SELECT MAX(id) AS `before` FROM outbox_events');

    // The burst: trade-ins created alternately on A and B, all at once; each then changed and moved
    // back and forth through the other instance and its own, so both workers see every trade-in.
    const burst = Array.from({ length: TRADE_INS }, async (_, i) => {
      const [one, other] = i % 2 ? [B, A] : [A, B];
      const m1 = as(one, alpha.manager);
      const m2 = as(other, alpha.manager);
      const id = (await m1.post('/api/v3/trade-ins', { vehicleModel: COMPLETE_VEHICLE, purchasePrice: 1000 + i }).expect(201)).body.id as number;
      await m2.patch(`/api/v3/trade-ins/${id}`, { note: `first ${i}` }).expect(200);
      await m1.patch(`/api/v3/trade-ins/${id}/status/ready-for-appraisal`).expect(200);
      await m2.patch(`/api/v3/trade-ins/${id}/status/draft`).expect(200);
      await m1.patch(`/api/v3/trade-ins/${id}`, { note: `second ${i}` }).expect(200);
      await m2.patch(`/api/v3/trade-ins/${id}/status/ready-for-appraisal`).expect(200);
      await m1.patch(`/api/v3/trade-ins/${id}`, { purchasePrice: 2000 + i }).expect(200);
      return id;
    });
    const ids = await Promise.all(burst);

    // Every committed event of the tenant since the subscription (the writes above are all answered, so all committed).
    const events = await ds.query<{ event_id: string; subject: string; trade_in_id: number | null; sequence: number | null }[]>(
      'SELECT event_id, subject, trade_in_id, sequence FROM outbox_events WHERE tenant_id = ? AND id > ? ORDER BY id',
      [alpha.tenantId, Number(before ?? 0)],
    );
    expect(events.length).toBeGreaterThanOrEqual(TRADE_INS * 7);
    expect(new Set(events.map((e) => Number(e.trade_in_id)))).toEqual(new Set(ids));

    // Until every delivery is finished (poll, with a deadline).
    const started = Date.now();
    for (;;) {
      const [{ open, total }] = await ds.query<{ open: number | string; total: number | string }[]>(
        "SELECT SUM(CASE WHEN status <> 'delivered' THEN 1 ELSE 0 END) AS open, COUNT(*) AS total FROM webhook_deliveries WHERE subscription_id = ?",
        [sub.body.id],
      );
      if (Number(total) === events.length && Number(open) === 0) break;
      if (Date.now() - started > DEADLINE_MS) throw new Error(`after ${DEADLINE_MS} ms ${open} of ${total} deliveries (of ${events.length} events) are not delivered`);
      await sleep(50);
    }
    // Stop both workers: a send still in flight (a duplicate) completes before the apps close.
    const attempts = await ds.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = ?', [
      sub.body.id,
    ]);
    for (const i of running.splice(0)) await i.app.close();

    const got: Received[] = receiver.requests.filter((r) => r.path === '/burst');
    // Both workers delivered (else this test would show nothing about two of them).
    const byWorker = { A: A.attempted(), B: B.attempted() };
    expect(byWorker.A).toBeGreaterThan(0);
    expect(byWorker.B).toBeGreaterThan(0);
    // Exactly once per event: no webhook-id twice, none missing, nothing else, and each recorded as one attempt.
    const counts = new Map<string, number>();
    for (const r of got) counts.set(r.headers['webhook-id'], (counts.get(r.headers['webhook-id']) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1);
    expect({ duplicates: twice, requests: got.length }).toEqual({ duplicates: [], requests: events.length });
    expect([...counts.keys()].sort()).toEqual(events.map((e) => e.event_id).sort());
    expect(Number(attempts[0].n)).toBe(events.length);
    expect(got.every((r) => r.status === 200)).toBe(true);
    // Signed: the standardwebhooks verifier accepts each body, and the header id is the body's.
    for (const r of got) {
      const verified = new Webhook(secret).verify(r.body, {
        'webhook-id': r.headers['webhook-id'],
        'webhook-timestamp': r.headers['webhook-timestamp'],
        'webhook-signature': r.headers['webhook-signature'],
      });
      expect(verified).toEqual(r.json);
      expect(r.json.id).toBe(r.headers['webhook-id']);
    }
    // Per trade-in, in the order received: 1, 2, 3, … up to its last event (no reordering, no gap).
    const disorder: string[] = [];
    for (const id of ids) {
      const subject = `/api/v3/trade-ins/${id}`;
      const expected = events.filter((e) => e.subject === subject).map((e) => Number(e.sequence));
      const received = got.filter((r) => r.json.subject === subject).map((r) => r.json.sequence);
      expect(expected).toEqual(expected.map((_, k) => k + 1));
      if (JSON.stringify(received) !== JSON.stringify(expected)) disorder.push(`${subject}: received ${received.join(',')}`);
    }
    expect(disorder).toEqual([]);
  });
});
