/**
 * Customer e-mail (issue 17, finding F28): the whole programme walked, the job runner run, and
 * every mail received by a real SMTP server (smtp-server) and parsed (mailparser); retries after
 * SMTP failures, given up after MAIL_MAX_ATTEMPTS, never sent twice (also by two workers); per-tenant
 * templates; and the default transport's .eml files.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createApp } from '../src/app.factory';
import { JobRunner } from '../src/jobs/job-runner';
import { ScheduledJob } from '../src/jobs/scheduled-job.entity';
import { NotificationsWorker } from '../src/upgrade/notifications/notifications.worker';
import { client, ENGINE, expectProblem, setup, TestContext } from './helpers';
import { noPhotosRequired, programmeCustomer, wholeProgramme } from './programme-flow';

/** A real SMTP server on a free port: keeps every message parsed; `failing` answers 451 (try later) to each. */
async function smtpServer() {
  const received: ParsedMail[] = [];
  const state = { failing: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.failing) {
          const err = Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 });
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks))
          .then((m) => {
            received.push(m);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type Smtp = Awaited<ReturnType<typeof smtpServer>>;
let smtp: Smtp;
let ctx: TestContext;
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
const mailsTo = (email: string) => smtp.received.filter((m) => to(m) === email);
const tick = () => ctx.app.get(JobRunner).tick();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  smtp = await smtpServer();
  ctx = await setup({ smtpUrl: smtp.url, mailFrom: 'Alpha Trade-in <trade-in@alpha.example>', mailRetryBaseMs: 1, mailMaxAttempts: 3, publicBaseUrl: 'https://api.alpha.example' });
  // Photo requirements (issue 17) are the subject of programme-photos.e2e-spec.ts; these submissions carry none.
  await noPhotosRequired(ctx, ctx.a.admin);
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

describe('the programme walked end to end (F28)', () => {
  it('mails the customer at offer, acceptance (with the label link), shipping, receipt, inspection and credit — once each', async () => {
    const email = 'walk@example.com';
    const { sub, declinedSub } = await wholeProgramme(ctx, email);
    // nothing is sent inside the requests: only the job runner sends
    expect(mailsTo(email)).toHaveLength(0);
    await tick();
    const mails = mailsTo(email);
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toEqual([
      'Your trade-in offer: 300.00',
      'Your trade-in offer: 320.00',
      `Offer accepted: 320.00 for ${sub}`,
      `Shipped: ${sub}`,
      `We received ${sub}`,
      `Inspection result for ${sub}`,
      'Your credit of 320.00 was issued',
      'Your trade-in offer: 100.00',
    ]);
    for (const m of mails) {
      expect(m.from?.value[0]).toMatchObject({ name: 'Alpha Trade-in', address: 'trade-in@alpha.example' });
      expect(m.text).toContain('Hello Mari,');
      expect(m.text).toContain('Tenant alpha');
      expect(m.text).not.toMatch(/quoted_value|\{\{/);
    }
    expect(mails[2].text).toContain(`https://api.alpha.example/api/alpha/submissions/${sub}/label`);
    expect(mails[5].text).toMatch(/Grade: good\nFinal value: 320\.00/);
    expect(mails[6].text).toContain(`we issued 320.00 (store_credit) for submission ${sub}`);
    expect(mails[7].text).toContain(declinedSub);
    // more ticks, nothing new
    await tick();
    await tick();
    expect(mailsTo(email)).toHaveLength(8);
    const log = (await client(ctx, ctx.a.readonly).get('/api/alpha/admin/notifications').expect(200)).body as { recipient: string; status: string; attempts: number }[];
    const mine = log.filter((n) => n.recipient === email);
    expect(mine).toHaveLength(8);
    expect(mine.every((n) => n.status === 'sent' && n.attempts === 1)).toBe(true);
  });

  it('a dealer-side trade-in (no programme customer) gets no mail, and another tenant sees none of this log', async () => {
    await client(ctx, ctx.a.manager).post('/api/v3/customers', { lastName: 'Dealer', email: 'dealer-side@example.com' }).expect(201);
    await tick();
    expect(mailsTo('dealer-side@example.com')).toHaveLength(0);
    expect((await client(ctx, ctx.b.admin).get('/api/beta/admin/notifications').expect(200)).body).toEqual([]);
  });
});

describe('failures and concurrency (F28)', () => {
  it('a failing SMTP server is retried with backoff and the mail goes once it answers', async () => {
    const cu = await programmeCustomer(ctx, 'retry@example.com');
    const sub = (
      await cu.post('/api/alpha/submissions', { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good', serial_number: 'SN-RETRY' }).expect(201)
    ).body.id;
    await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
    smtp.state.failing = true;
    await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 150 }).expect(201);
    await tick();
    const [row] = await ctx.ds.query("SELECT status, attempts, last_error FROM program_notifications WHERE recipient = 'retry@example.com'");
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/451|busy/i);
    expect(mailsTo('retry@example.com')).toHaveLength(0);
    smtp.state.failing = false;
    await sleep(20);
    await tick();
    await tick();
    expect(mailsTo('retry@example.com').map((m) => m.subject)).toEqual(['Your trade-in offer: 150.00']);
    const [after] = await ctx.ds.query("SELECT status, attempts FROM program_notifications WHERE recipient = 'retry@example.com'");
    expect(after).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('is given up after MAIL_MAX_ATTEMPTS and recorded as failed', async () => {
    const cu = await programmeCustomer(ctx, 'giveup@example.com');
    const sub = (
      await cu.post('/api/alpha/submissions', { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good', serial_number: 'SN-GIVEUP' }).expect(201)
    ).body.id;
    await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
    smtp.state.failing = true;
    try {
      await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 150 }).expect(201);
      for (let i = 0; i < 5; i++) {
        await tick();
        await sleep(20);
      }
    } finally {
      smtp.state.failing = false;
    }
    await tick();
    expect(mailsTo('giveup@example.com')).toHaveLength(0);
    const log = (await client(ctx, ctx.a.admin).get('/api/alpha/admin/notifications').expect(200)).body as { recipient: string; status: string; attempts: number; last_error: string }[];
    expect(log.find((n) => n.recipient === 'giveup@example.com')).toMatchObject({ status: 'failed', attempts: 3, last_error: expect.stringMatching(/451|busy/i) });
  });

  describe('two workers', () => {
    let second: NestExpressApplication | null = null;
    afterAll(async () => {
      await second?.close();
    });

    it('send each mail exactly once when both run at the same time', async () => {
      // On MariaDB a second application over the same database (another "process"); SQLite is one process: two ticks of it.
      if (ENGINE === 'mysql') {
        second = (await createApp({ databaseUrl: ctx.databaseUrl, sqlitePath: ':memory:', logLevel: 'silent', bootstrap: false, smtpUrl: smtp.url, webhooks: { jobs: 'off' } })).app;
      }
      const emails = ['w1@example.com', 'w2@example.com', 'w3@example.com'];
      for (const email of emails) {
        const cu = await programmeCustomer(ctx, email);
        for (const n of [1, 2, 3, 4]) {
          const sub = (
            await cu
              .post('/api/alpha/submissions', { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good', serial_number: `SN-${email}-${n}` })
              .expect(201)
          ).body.id;
          await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
          await client(ctx, ctx.a.manager)
            .post('/api/alpha/offers', { submission_id: sub, amount: 100 + n })
            .expect(201);
        }
      }
      const runners = [ctx.app.get(JobRunner), (second ?? ctx.app).get(JobRunner)];
      const workers = [ctx.app.get(NotificationsWorker), (second ?? ctx.app).get(NotificationsWorker)];
      await Promise.all([runners[0].tick(), runners[1].tick(), workers[0].sendDue(), workers[1].sendDue(), runners[0].tick(), runners[1].tick()]);
      await tick();
      for (const email of emails)
        expect(
          mailsTo(email)
            .map((m) => m.subject)
            .sort(),
        ).toEqual(['101.00', '102.00', '103.00', '104.00'].map((a) => `Your trade-in offer: ${a}`));
    });
  });
});

describe('the e-mail log', () => {
  it('keeps sent and failed mails 90 days; the hourly purge deletes older ones and leaves pending ones', async () => {
    const old = '2020-01-01 00:00:00.000';
    await ctx.ds.query(`UPDATE program_notifications SET created_at = ? WHERE recipient IN ('walk@example.com', 'giveup@example.com')`, [old]);
    await ctx.ds.query(
      `INSERT INTO program_notifications (tenant_id, kind, source_key, recipient, trade_in_id, vars, status, attempts, next_attempt_at, created_at) VALUES (?, 'offer.created', 'evt_old_pending', 'later@example.com', NULL, '{}', 'pending', 0, '2999-01-01 00:00:00.000', ?)`,
      [ctx.a.tenantId, old],
    );
    await ctx.ds.getRepository(ScheduledJob).update({ name: 'notifications.purge' }, { nextRunAt: new Date(0) });
    await tick();
    expect(await ctx.ds.query(`SELECT id FROM program_notifications WHERE recipient IN ('walk@example.com', 'giveup@example.com')`)).toHaveLength(0);
    expect(await ctx.ds.query(`SELECT id FROM program_notifications WHERE recipient = 'later@example.com'`)).toHaveLength(1);
    expect((await ctx.ds.query(`SELECT id FROM program_notifications WHERE recipient = 'retry@example.com'`)).length).toBe(1);
  });
});

describe('templates per tenant', () => {
  it('an admin sets the offer mail of the tenant; the next mail uses it; a broken template is 422; the default comes back', async () => {
    const admin = client(ctx, ctx.a.admin);
    const put = (key: string, body: object) => ctx.http().put('/api/alpha/admin/notification-templates/offer.created').set('X-API-Key', key).set('Accept', 'application/json').send(body);
    expectProblem(await put(ctx.a.manager, { subject: 'x', body: 'y' }), 403);
    expectProblem(await put(ctx.a.admin, { subject: 'Offer {{#offer}}', body: 'Hello {{/customer}}' }), 422, /subject.*not a valid template[\s\S]*body/);
    const set = await put(ctx.a.admin, {
      subject: '{{tenant.name}}: {{offer.amount_text}} for you',
      body: 'Dear {{customer.last_name}}, {{offer.amount_text}} until {{offer.expires_text}}.{{missing}}',
    }).expect(200);
    expect(set.body).toMatchObject({ kind: 'offer.created', customized: true });
    expectProblem(
      await ctx.http().put('/api/alpha/admin/notification-templates/no.such').set('X-API-Key', ctx.a.admin).set('Accept', 'application/json').send({ subject: 'a', body: 'b' }),
      404,
      /offer\.created/,
    );
    // beta still has the default
    const beta = (await client(ctx, ctx.b.admin).get('/api/beta/admin/notification-templates').expect(200)).body as { kind: string; customized: boolean }[];
    expect(beta.find((t) => t.kind === 'offer.created')?.customized).toBe(false);

    const cu = await programmeCustomer(ctx, 'template@example.com');
    const sub = (
      await cu.post('/api/alpha/submissions', { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good', serial_number: 'SN-TPL' }).expect(201)
    ).body.id;
    await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
    await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 99.5, expires_at: '2099-01-01T00:00:00Z' }).expect(201);
    await tick();
    const [mail] = mailsTo('template@example.com');
    expect(mail.subject).toBe('Tenant alpha: 99.50 for you');
    expect(mail.text?.trim()).toBe('Dear Tamm, 99.50 until 2099-01-01 00:00 UTC.');

    await admin.delete('/api/alpha/admin/notification-templates/offer.created').expect(204);
    const list = (await admin.get('/api/alpha/admin/notification-templates').expect(200)).body as { kind: string; customized: boolean; subject: string }[];
    expect(list.find((t) => t.kind === 'offer.created')).toMatchObject({ customized: false, subject: 'Your trade-in offer: {{offer.amount_text}}' });
  });
});

describe('the default transport', () => {
  let files: TestContext;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'notifications-eml-'));
    files = await setup({ mailDir: dir });
    // Photo requirements (issue 17) are the subject of programme-photos.e2e-spec.ts; these submissions carry none.
    await noPhotosRequired(files, files.a.admin);
  });
  afterAll(async () => {
    await files.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each mail as an .eml file under MAIL_DIR when SMTP_URL is unset', async () => {
    const cu = await programmeCustomer(files, 'eml@example.com');
    const sub = (
      await cu.post('/api/alpha/submissions', { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good', serial_number: 'SN-EML' }).expect(201)
    ).body.id;
    await cu.post(`/api/alpha/submissions/${sub}`).expect(200);
    await client(files, files.a.manager).post('/api/alpha/offers', { submission_id: sub, amount: 210 }).expect(201);
    expect(readdirSync(dir)).toHaveLength(0);
    await files.app.get(JobRunner).tick();
    const emls = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(emls).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(dir, emls[0])));
    expect(to(mail)).toBe('eml@example.com');
    expect(mail.subject).toBe('Your trade-in offer: 210.00');
    expect(mail.messageId).toMatch(/^<n\d+\.evt_[0-9a-f]+@/);
    await files.app.get(JobRunner).tick();
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
