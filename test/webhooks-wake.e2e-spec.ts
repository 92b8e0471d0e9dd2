import { client, setup, TestContext } from './helpers';
import { Receiver } from './webhook-receiver';

/**
 * The job runner wakes up when a commit in its process recorded outbox events, and keeps going
 * while it finds full batches: deliveries follow the work, not the tick. The tick here is a
 * minute, so anything delivered within seconds was delivered by a wake-up or a drain.
 */
const TICK_MS = 60_000;
let ctx: TestContext;
let receiver: Receiver;

beforeAll(async () => {
  ctx = await setup({ webhooks: { jobs: 'inline', tickMs: TICK_MS, allowPrivateTargets: true, retryBaseMs: 20, timeoutMs: 5000 } });
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await ctx.close();
  await receiver.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(path: string, count: number, limitMs: number): Promise<number> {
  const started = Date.now();
  while (receiver.delivered(path).length < count && Date.now() - started < limitMs) await sleep(20);
  return receiver.delivered(path).length;
}

const created = (path: string) =>
  new Set(
    receiver
      .delivered(path)
      .filter((r) => r.json.type === 'trade_in.created')
      .map((r) => r.json.subject),
  );

describe('the job runner wakes up on commit', () => {
  it('delivers an event seconds after its commit although the next tick is a minute away', async () => {
    const admin = client(ctx, ctx.a.admin);
    await admin.post('/api/v3/webhooks', { url: `${receiver.base}/one`, eventTypes: ['trade_in.created'] }).expect(201);
    const t = (await admin.post('/api/v3/trade-ins', { vehicleModel: { make: 'Volkswagen', model: 'Golf' } }).expect(201)).body;
    expect(await waitFor('/one', 1, 15_000)).toBe(1);
    expect([...created('/one')]).toEqual([`/api/v3/trade-ins/${t.id}`]);
  });

  it('delivers a backlog of several batches without waiting for a tick', async () => {
    const admin = client(ctx, ctx.a.admin);
    await admin.post('/api/v3/webhooks', { url: `${receiver.base}/many`, eventTypes: ['trade_in.created'] }).expect(201);
    // Held answers keep the first batch in flight while the rest is committed: a backlog of several batches (50 each).
    receiver.delayMs = 200;
    const ids: number[] = [];
    for (let i = 0; i < 160; i++) ids.push((await admin.post('/api/v3/trade-ins', { vehicleModel: { make: 'Škoda', model: `Octavia ${i}` } }).expect(201)).body.id as number);
    receiver.delayMs = 0;
    expect(await waitFor('/many', ids.length, 30_000)).toBe(ids.length);
    expect(created('/many')).toEqual(new Set(ids.map((id) => `/api/v3/trade-ins/${id}`)));
  });
});
