import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { toCents } from '../../common/money';
import { AppConfig, APP_CONFIG } from '../../config';
import { OutboxEvent } from '../../database/outbox.entity';
import { TxService } from '../../database/tx.service';
import { JobRunner } from '../../jobs/job-runner';
import { Tenant } from '../../tenants/tenant.entity';
import { MailTransport, MAIL_TRANSPORT } from './mail.transport';
import { ProgramNotification } from './notification.entity';
import { NewNotification, NotificationsRepository, Recipient } from './notifications.repository';
import { DEFAULT_TEMPLATES, isNotificationKind, NotificationKind, renderTemplate, TemplateText } from './templates';

const COLLECT_BATCH = 500;
const SEND_BATCH = 10;
/** A claim outlives a batch's sends (each bounded by the SMTP timeouts, see mail.transport.ts); after it a dead worker's mail is due again. */
const LEASE_MS = 3 * 60_000;
const MAX_BACKOFF_MS = 3600_000;
/** Sent and failed mails stay in the log (GET admin/notifications) this long. */
const LOG_KEEP_MS = 90 * 86_400_000;

/** The delay before attempt `attempts + 1`: base × 2^(attempts−1), capped at an hour, ±25 % jitter. */
export function mailBackoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const raw = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(raw * (0.75 + random() * 0.5));
}

/** An amount as the mails show it: two decimals, exact (through cents). */
export function amountText(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const cents = toCents(value);
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** A time as the mails show it: `2024-02-01 10:00 UTC`. */
export function timeText(value: unknown): string | null {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload as the customer may see it: the automatic quote is staff-only, as in the API. */
function forCustomer(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(forCustomer);
  if (!isObj(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== 'quoted_value')
      .map(([k, x]) => [k, forCustomer(x)]),
  );
}

/** The template variables of an event's mail: the tenant, the customer, the offer or submission (with amounts as text) and the label URL. */
export function eventVars(e: Pick<OutboxEvent, 'type' | 'eventId' | 'payload'>, tenant: Pick<Tenant, 'name' | 'slug'>, who: Recipient, baseUrl: string): Obj {
  const payload = forCustomer(e.payload) as Obj;
  const vars: Obj = {
    tenant: { name: tenant.name, slug: tenant.slug },
    customer: { first_name: who.firstName ?? '', last_name: who.lastName ?? '', email: who.email },
    event: { type: e.type, id: e.eventId },
  };
  let submissionId: unknown = null;
  if (isObj(payload.offer)) {
    vars.offer = { ...payload.offer, amount_text: amountText(payload.offer.amount), expires_text: timeText(payload.offer.expires_at) };
    submissionId = payload.offer.submission_id;
  }
  if (isObj(payload.submission)) {
    const s = payload.submission;
    vars.submission = {
      ...s,
      final_value_text: amountText(s.final_value),
      credit_amount_text: amountText(s.credit_amount),
      offer: isObj(s.offer) ? { ...s.offer, amount_text: amountText(s.offer.amount) } : s.offer,
    };
    submissionId = s.id;
  }
  if (typeof submissionId === 'string') {
    vars.submission_id = submissionId;
    vars.label_url = `${baseUrl}/api/${tenant.slug}/submissions/${submissionId}/label`;
  }
  return vars;
}

/**
 * Customer e-mail, from the job runner (never in a request's transaction):
 *
 * - collect (`single`: one worker at a time): outbox events the collector has not looked at
 *   become one notification per event and recipient (the trade-in's programme customer), unique
 *   on (event, recipient); the events are marked in the same transaction.
 * - send (every worker): due notifications claimed with a lease, rendered with the tenant's
 *   template (or the default), sent, and recorded: sent; or retried with backoff; or, after
 *   MAIL_MAX_ATTEMPTS, failed with the last error.
 */
@Injectable()
export class NotificationsWorker implements OnModuleInit {
  private readonly log = new Logger('Notifications');

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly tx: TxService,
    private readonly runner: JobRunner,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.runner.register({ name: 'notifications.collect', mode: 'single', everyMs: 0, onCommit: true, run: (em) => this.collect(em) });
    this.runner.register({ name: 'notifications.send', mode: 'every-worker', onCommit: true, run: () => this.sendDue() });
    this.runner.register({ name: 'notifications.purge', mode: 'single', everyMs: 3600_000, run: (em) => this.repo.purge(em, new Date(Date.now() - LOG_KEEP_MS)) });
  }

  /** Turns undone outbox events into notifications; returns how many events it looked at. */
  async collect(em: EntityManager, now = new Date()): Promise<number> {
    const events = await this.repo.claimEvents(em, COLLECT_BATCH);
    if (!events.length) return 0;
    const mail = events.filter((e) => isNotificationKind(e.type) && e.tradeInId !== null);
    const rows: NewNotification[] = [];
    if (mail.length) {
      const tenants = new Map((await this.repo.tenants(em, [...new Set(mail.map((e) => e.tenantId))])).map((t) => [t.id, t]));
      const payloads = await this.repo.payloads(
        em,
        mail.map((e) => e.id),
      );
      for (const e of mail) {
        const tenant = tenants.get(e.tenantId);
        if (!tenant || e.tradeInId === null) continue;
        const who = await this.repo.recipientOf(em, e.tenantId, e.tradeInId);
        if (!who) continue; // a dealer-side trade-in: no programme customer to write to
        const vars = eventVars({ ...e, payload: payloads.get(e.id) ?? {} }, tenant, who, this.config.publicBaseUrl);
        rows.push({ tenantId: e.tenantId, kind: e.type, sourceKey: e.eventId, recipient: who.email, tradeInId: e.tradeInId, vars });
      }
    }
    await this.repo.insert(em, rows, now);
    await this.repo.markNotified(
      em,
      events.map((e) => e.id),
      now,
    );
    return events.length;
  }

  /** Sends due notifications, batch after batch while batches come full (for up to a few seconds); returns how many were attempted. */
  async sendDue(): Promise<number> {
    const started = Date.now();
    let total = 0;
    for (;;) {
      const now = new Date();
      const batch = await this.tx.run((em) => this.repo.claimDue(em, now, new Date(now.getTime() + LEASE_MS), SEND_BATCH));
      for (const n of batch) await this.send(n);
      total += batch.length;
      if (batch.length < SEND_BATCH || Date.now() - started > 5000) return total;
    }
  }

  private async text(n: ProgramNotification): Promise<TemplateText> {
    const custom = await this.repo.template(n.tenantId, n.kind);
    return renderTemplate(custom ?? DEFAULT_TEMPLATES[n.kind as NotificationKind], n.vars ? (JSON.parse(n.vars) as Record<string, unknown>) : {});
  }

  private async send(n: ProgramNotification): Promise<void> {
    const secret = n.kind === 'password.reset';
    let subject: string | null = null;
    let messageId: string;
    try {
      if (!isNotificationKind(n.kind)) throw new Error(`no template for ${n.kind}`);
      const mail = await this.text(n);
      subject = mail.subject;
      const id = `<n${n.id}.${n.sourceKey.replace(/[^A-Za-z0-9_-]/g, '')}@${domainOf(this.config.mailFrom)}>`;
      messageId = (await this.transport.send({ from: this.config.mailFrom, to: n.recipient, subject: mail.subject, text: mail.body, messageId: id })).messageId;
    } catch (e) {
      const attempts = n.attempts + 1;
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      const giveUp = attempts >= this.config.mailMaxAttempts;
      this.log.warn(`Mail ${n.id} (${n.kind}) attempt ${attempts} failed${giveUp ? ', given up' : ''}: ${error}`);
      await this.repo
        .record(n.id, {
          status: giveUp ? 'failed' : 'pending',
          attempts,
          lastError: error,
          subject,
          nextAttemptAt: new Date(Date.now() + mailBackoffMs(attempts, this.config.mailRetryBaseMs)),
          ...(secret && giveUp ? { vars: null } : {}),
        })
        .catch((err: unknown) => this.log.warn(`Recording mail ${n.id}'s failure failed: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    // Sent: if this record fails, the lease runs out and the mail goes again (same Message-ID): at least once.
    await this.repo.record(n.id, { status: 'sent', attempts: n.attempts + 1, sentAt: new Date(), subject, messageId: messageId.slice(0, 255), lastError: null, ...(secret ? { vars: null } : {}) });
  }
}

function domainOf(from: string): string {
  return /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'localhost';
}
