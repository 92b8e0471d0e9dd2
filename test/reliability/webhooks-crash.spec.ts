/**
 * Webhooks across a crash (MariaDB): the real server runs as a child process with a subscription
 * to a loopback receiver, takes a write load while it delivers, is killed with SIGKILL, and is
 * started again on the same database. Every acknowledged change's event must arrive at least once,
 * no event may arrive that the database did not commit, and a duplicate carries the same
 * webhook-id (and body) as the first delivery.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Webhook } from 'standardwebhooks';
import { MYSQL_URL } from '../helpers';
import { Receiver } from '../webhook-receiver';
import { buildBeforeAll, call, kill, mysqlReachable, start } from './server-process';

const LOAD_MS = Number(process.env.CRASH_LOAD_MS ?? 3000);

buildBeforeAll();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('every acknowledged change is delivered at least once after a SIGKILL during deliveries; none invented; duplicates keep their webhook-id', async () => {
  if (!(await mysqlReachable())) throw new Error('MariaDB is not reachable at ' + MYSQL_URL);
  const name = `tradein_hookcrash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(`${MYSQL_URL}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const receiver = await new Receiver().start();
  receiver.delayMs = 1000; // answers take a second: deliveries are in flight when the server dies
  const env = { DATABASE_URL: `${MYSQL_URL}/${name}`, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', JOBS_TICK_MS: '50', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_TIMEOUT_MS: '2000' };
  const db = await createConnection(`${MYSQL_URL}/${name}`);
  try {
    const first = await start(env);
    const key = first.bootstrapKey!;
    const hook = await call(first.base, key, 'POST', '/api/v3/webhooks', { url: `${receiver.base}/hook`, eventTypes: ['trade_in.created', 'trade_in.updated'] });
    expect(hook.status).toBe(201);
    // acknowledged writes: trade-in id → the notes acknowledged (created, then patched)
    const acked = new Map<number, string[]>();
    let requests = 0;
    const until = Date.now() + 60_000;
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < until; i++) {
        try {
          const t = await call(first.base, key, 'POST', '/api/v3/trade-ins', { note: `created w${w}-${i}` });
          requests++;
          if (t.status !== 201) continue;
          acked.set(t.body.id, [`created w${w}-${i}`]);
          const p = await call(first.base, key, 'PATCH', `/api/v3/trade-ins/${t.body.id}`, { note: `patched w${w}-${i}` });
          requests++;
          if (p.status === 200) acked.get(t.body.id)!.push(`patched w${w}-${i}`);
        } catch {
          return; // the server is gone
        }
      }
    };
    const running = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    // SIGKILL once the load is under way (a shared machine may be slow): after LOAD_MS and 40 acknowledged changes, or at 45 s.
    const began = Date.now();
    while (Date.now() - began < 45_000 && (Date.now() - began < LOAD_MS || [...acked.values()].flat().length < 40)) await sleep(50);
    const deliveredBeforeKill = receiver.requests.length;
    await kill(first);
    await running;
    receiver.delayMs = 0;
    const second = await start(env);
    try {
      const wanted = [...acked.values()].reduce((n, notes) => n + notes.length, 0);
      const seen = () => {
        const notes = new Set(receiver.delivered('/hook').map((r) => (r.json.data.tradeIn as { note: string }).note));
        return [...acked.values()].flat().filter((note) => !notes.has(note));
      };
      for (let waited = 0; waited < 60_000 && seen().length; waited += 200) await sleep(200);
      const got = receiver.delivered('/hook');
      const [[{ n: committed }]] = (await db.query("SELECT COUNT(*) AS n FROM outbox_events WHERE type IN ('trade_in.created', 'trade_in.updated')")) as unknown as [[{ n: number }]];
      const duplicates = got.length - new Set(got.map((r) => r.headers['webhook-id'])).size;
      // eslint-disable-next-line no-console
      console.log(
        `webhooks crash: ${requests} writes sent, ${wanted} acknowledged changes, ${deliveredBeforeKill} deliveries before the SIGKILL, ${got.length} after restart in all (${duplicates} duplicates), ${committed} events committed`,
      );
      expect(wanted).toBeGreaterThan(20);
      // Deliveries in flight at the kill come again (usually some; none when the kill finds nothing in flight — CI saw 0 once,
      // so the count is not asserted); every duplicate must carry the same webhook-id and body (checked below).
      expect(seen()).toEqual([]); // at least once
      // none invented: each delivered event is a committed outbox row of the same type, subject and sequence
      const [rows] = (await db.query('SELECT event_id, type, subject, sequence FROM outbox_events')) as unknown as [{ event_id: string; type: string; subject: string; sequence: number }[]];
      const outbox = new Map(rows.map((r) => [r.event_id, r]));
      for (const r of got) {
        const row = outbox.get(r.headers['webhook-id']);
        expect(row).toMatchObject({ type: r.json.type, subject: r.json.subject, sequence: r.json.sequence });
      }
      // duplicates carry the same webhook-id and the same body; one event per (trade-in, sequence)
      const byId = new Map<string, string>();
      const bySequence = new Map<string, string>();
      for (const r of got) {
        const id = r.headers['webhook-id'];
        if (byId.has(id)) expect(r.body).toBe(byId.get(id));
        byId.set(id, r.body);
        const slot = `${r.json.subject}#${r.json.sequence}`;
        if (bySequence.has(slot)) expect(bySequence.get(slot)).toBe(id);
        bySequence.set(slot, id);
      }
      // signatures verify with the secret shown at creation
      for (const r of got.slice(0, 50)) new Webhook(hook.body.secret as string).verify(r.body, r.headers);
    } finally {
      await kill(second);
    }
  } finally {
    await db.end();
    await receiver.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}, 300_000);
