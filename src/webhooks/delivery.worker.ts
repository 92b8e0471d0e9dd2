import { Inject, Injectable, Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { EntityManager } from 'typeorm';
import { recordEvent } from '../database/outbox';
import { OutboxEvent } from '../database/outbox.entity';
import { TxService } from '../database/tx.service';
import { openSecret } from './secrets';
import { send, SendResult } from './sender';
import { WebhookDelivery, WebhookSubscription } from './webhook.entity';
import { WebhookConfig, WEBHOOK_CONFIG } from './webhooks.config';
import { WebhooksRepository } from './webhooks.repository';
import { webhookIri } from './webhooks.service';

const DISPATCH_BATCH = 500;
const DELIVERY_BATCH = 50;
const MAX_BACKOFF_MS = 3600_000;

interface Attempted {
  d: WebhookDelivery;
  result: SendResult;
  ok: boolean;
  attemptedAt: Date;
}

/** Whether a subscription wants an event: its tenant's, recorded since it exists; pings only to the webhook pinged; otherwise by type (none listed: all). */
export function wants(s: WebhookSubscription, e: Pick<OutboxEvent, 'type' | 'subject' | 'tenantId' | 'createdAt'>): boolean {
  if (s.tenantId !== e.tenantId || e.createdAt.getTime() < s.createdAt.getTime()) return false;
  if (e.type === 'webhook.ping') return e.subject === webhookIri(s.id);
  return s.eventTypes.length === 0 || s.eventTypes.includes(e.type);
}

/** The delay before attempt `attempts + 1`: base × 2^(attempts−1), capped at an hour, with ±25 % jitter (so receivers that failed together are not retried together). */
export function backoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const raw = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(raw * (0.75 + random() * 0.5));
}

/** The body of a delivery (Standard Webhooks: type, timestamp, data) with the event id, subject and trade-in sequence. */
export function envelope(e: OutboxEvent): string {
  return JSON.stringify({ id: e.eventId, type: e.type, timestamp: e.createdAt.toISOString(), subject: e.subject, sequence: e.sequence, data: e.payload });
}

/**
 * The two steps the job runner calls every tick: dispatch (outbox events → one delivery per
 * subscription that wants it) and deliver (due deliveries: signed POST, result recorded, retry
 * scheduled or subscription disabled). At least once: a delivery is finished only after its
 * answer was recorded; a worker that dies mid-send leaves it leased, and it is due again when the
 * lease (the attempt timeout plus a margin) ends.
 */
@Injectable()
export class DeliveryWorker {
  private readonly log = new Logger('Webhooks');

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly tx: TxService,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  /** Fans out undispatched events; returns how many events it took. Runs inside the runner's `single` job transaction: one worker dispatches at a time, so deliveries follow event order. */
  async dispatch(em: EntityManager): Promise<number> {
    const events = await this.repo.claimEvents(em, DISPATCH_BATCH);
    if (!events.length) return 0;
    const subs = await this.repo.enabledSubscriptions(em, [...new Set(events.map((e) => e.tenantId))]);
    const now = new Date();
    const rows: Partial<WebhookDelivery>[] = [];
    for (const e of events) {
      for (const s of subs) {
        if (!wants(s, e)) continue;
        rows.push({
          tenantId: e.tenantId,
          subscriptionId: s.id,
          eventId: e.id,
          eventType: e.type,
          tradeInId: e.tradeInId,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          lockedUntil: null,
          createdAt: now,
          deliveredAt: null,
        });
      }
    }
    await this.repo.insertDeliveries(em, rows);
    await this.repo.markDispatched(
      em,
      events.map((e) => e.id),
      now,
    );
    return events.length;
  }

  /** Sends due deliveries, batch after batch while batches come full (for up to a few seconds); returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const started = Date.now();
    let total = 0;
    for (;;) {
      const n = await this.deliverBatch();
      total += n;
      if (n < DELIVERY_BATCH / 2 || Date.now() - started > 5000) return total;
    }
  }

  private async deliverBatch(): Promise<number> {
    // Long enough for the attempt and the recording of its answer; after it, a dead worker's delivery is due again.
    const leaseMs = this.config.timeoutMs * 2 + 1000;
    const claimed = await this.tx.run(async (em) => {
      const due = await this.repo.claimDue(em, new Date(), DELIVERY_BATCH);
      // One per subscription and trade-in per round: the next one waits for this one's answer.
      const seen = new Set<string>();
      const batch = due.filter((d) => {
        const key = `${d.subscriptionId}:${d.tradeInId ?? `d${d.id}`}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (!batch.length) return null;
      await this.repo.lease(
        em,
        batch.map((d) => d.id),
        new Date(Date.now() + leaseMs),
      );
      const subs = await this.repo.subscriptionsByIds(em, [...new Set(batch.map((d) => d.subscriptionId))]);
      const events = await this.repo.eventsByIds(
        em,
        batch.map((d) => d.eventId),
      );
      return { batch, subs: new Map(subs.map((s) => [s.id, s])), events: new Map(events.map((e) => [e.id, e])) };
    });
    if (!claimed) return 0;
    await this.recordAll(await Promise.all(claimed.batch.map((d) => this.attempt(d, claimed.subs.get(d.subscriptionId)!, claimed.events.get(d.eventId)!))));
    return claimed.batch.length;
  }

  /** Signs with the current secret, and with the previous one during a rotation's overlap (both in webhook-signature). */
  private headers(s: WebhookSubscription, e: OutboxEvent, body: string): Record<string, string> {
    const at = new Date();
    const secrets = [openSecret(s.secret, this.config.secretKey)];
    if (s.previousSecret && s.previousSecretUntil && s.previousSecretUntil.getTime() > at.getTime()) secrets.push(openSecret(s.previousSecret, this.config.secretKey));
    const signatures = secrets.map((secret) => new Webhook(secret).sign(e.eventId, at, body));
    return { 'webhook-id': e.eventId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signatures.join(' ') };
  }

  private async attempt(d: WebhookDelivery, s: WebhookSubscription, e: OutboxEvent): Promise<Attempted> {
    const body = envelope(e);
    const attemptedAt = new Date();
    let result: SendResult;
    try {
      result = await send(s.url, this.headers(s, e, body), body, this.config.timeoutMs, this.config.allowPrivateTargets);
    } catch (err) {
      result = { statusCode: null, latencyMs: Date.now() - attemptedAt.getTime(), error: (err instanceof Error ? err.message : 'error').slice(0, 500), responseExcerpt: null };
    }
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    return { d, result, ok, attemptedAt };
  }

  /**
   * The answers of a batch, in one transaction: each attempt logged, its delivery finished or
   * rescheduled; failures counted per subscription (locked), which is disabled at the limit. If
   * this fails, the leases run out and the deliveries are sent again (same webhook-id): at least once.
   */
  private async recordAll(attempts: Attempted[]): Promise<void> {
    try {
      await this.tx.run(async (em) => {
        const now = new Date();
        const bySubscription = new Map<number, Attempted[]>();
        for (const a of attempts) bySubscription.set(a.d.subscriptionId, [...(bySubscription.get(a.d.subscriptionId) ?? []), a]);
        for (const [subscriptionId, list] of [...bySubscription].sort((x, y) => x[0] - y[0])) {
          // Locked in id order (its failure count); a subscription deleted meanwhile took its deliveries with it.
          const sub = await this.repo.lockSubscription(em, subscriptionId);
          if (!sub) continue;
          let failures = sub.consecutiveFailures;
          let disabled: string | null = null;
          const delivered: number[] = [];
          for (const a of list) {
            const attempts = a.d.attempts + 1;
            if (a.ok) {
              delivered.push(a.d.id);
              failures = 0;
              continue;
            }
            const giveUp = now.getTime() - a.d.createdAt.getTime() >= this.config.retryHorizonSeconds * 1000;
            const next = new Date(now.getTime() + backoffMs(attempts, this.config.retryBaseMs));
            await this.repo.rescheduleDelivery(em, { id: a.d.id, status: giveUp ? 'failed' : 'pending', attempts, nextAttemptAt: next, lockedUntil: null });
            failures++;
            if (sub.enabled && !disabled && failures >= this.config.disableAfterFailures) {
              const why = a.result.statusCode !== null ? `HTTP ${a.result.statusCode}` : (a.result.error ?? 'no answer');
              disabled = `Disabled after ${failures} failed delivery attempts in a row (last: ${why} at ${now.toISOString()}).`.slice(0, 500);
            }
          }
          // The answers received as one multi-row insert and the delivered ones as one update: a
          // batch costs a few statements, not two per delivery (bench/webhooks.js, bench/README.md).
          await this.repo.insertAttempts(
            em,
            list.map((a) => ({
              deliveryId: a.d.id,
              attemptedAt: a.attemptedAt,
              statusCode: a.result.statusCode,
              latencyMs: a.result.latencyMs,
              error: a.result.error,
              responseExcerpt: a.result.responseExcerpt,
            })),
          );
          await this.repo.markDelivered(em, delivered, now);
          if (disabled) {
            await this.repo.updateSubscription(em, sub.id, { consecutiveFailures: failures, enabled: false, disabledReason: disabled, updatedAt: now, version: sub.version + 1 });
            await recordEvent(em, sub.tenantId, 'webhook.disabled', webhookIri(sub.id), { webhook: webhookIri(sub.id), url: sub.url, reason: disabled });
          } else if (failures !== sub.consecutiveFailures) {
            await this.repo.updateSubscription(em, sub.id, { consecutiveFailures: failures });
          }
        }
      });
    } catch (err) {
      this.log.warn(`Recording ${attempts.length} delivery attempts failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Deletes finished deliveries (and their attempts) older than the retention, then the dispatched events nothing refers to any more; returns how many rows. */
  async purge(em: EntityManager, now = Date.now()): Promise<number> {
    const before = new Date(now - this.config.logRetentionDays * 86_400_000);
    return (await this.repo.purgeFinished(em, before)) + (await this.repo.purgeEvents(em, before));
  }
}
