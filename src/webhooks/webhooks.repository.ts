import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, LessThan, Not } from 'typeorm';
import { OutboxEvent } from '../database/outbox.entity';
import { TxService } from '../database/tx.service';
import { WebhookAttempt, WebhookDelivery, WebhookSubscription } from './webhook.entity';

/** A timestamp as both engines store DATETIME(3) (UTC), for raw statements (better-sqlite3 binds no Date). */
const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** Every query of the webhooks feature. Claims use `FOR UPDATE SKIP LOCKED` on MySQL/MariaDB (several workers); SQLite has one writer. */
@Injectable()
export class WebhooksRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  /** Reads outside a write transaction. */
  get reader(): EntityManager {
    return this.ds.manager;
  }

  private get skipLocked(): string {
    return this.tx.engine === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
  }

  // ------------------------------------------------------------ subscriptions

  find(em: EntityManager, tenantId: number, id: number, lock = false): Promise<WebhookSubscription | null> {
    return em.getRepository(WebhookSubscription).findOne({ where: { id, tenantId }, ...(lock ? { lock: this.tx.lockMode() } : {}) });
  }

  list(tenantId: number): Promise<WebhookSubscription[]> {
    return this.ds.getRepository(WebhookSubscription).find({ where: { tenantId }, order: { id: 'ASC' }, take: 500 });
  }

  countInTenant(em: EntityManager, tenantId: number): Promise<number> {
    return em.getRepository(WebhookSubscription).countBy({ tenantId });
  }

  save(em: EntityManager, s: WebhookSubscription): Promise<WebhookSubscription> {
    return em.getRepository(WebhookSubscription).save(s);
  }

  async remove(em: EntityManager, s: WebhookSubscription): Promise<void> {
    await em.getRepository(WebhookSubscription).delete({ id: s.id, tenantId: s.tenantId });
  }

  // ------------------------------------------------------------ deliveries (the log)

  deliveries(tenantId: number, subscriptionId: number): Promise<WebhookDelivery[]> {
    return this.ds.getRepository(WebhookDelivery).find({ where: { tenantId, subscriptionId }, order: { id: 'DESC' }, take: 100 });
  }

  delivery(em: EntityManager, tenantId: number, subscriptionId: number, id: number, lock = false): Promise<WebhookDelivery | null> {
    return em.getRepository(WebhookDelivery).findOne({ where: { id, tenantId, subscriptionId }, ...(lock ? { lock: this.tx.lockMode() } : {}) });
  }

  async attemptsOf(ids: number[]): Promise<Map<number, WebhookAttempt[]>> {
    const out = new Map<number, WebhookAttempt[]>();
    if (!ids.length) return out;
    for (const a of await this.ds.getRepository(WebhookAttempt).find({ where: { deliveryId: In(ids) }, order: { id: 'ASC' } })) {
      const list = out.get(a.deliveryId) ?? [];
      list.push(a);
      out.set(a.deliveryId, list.slice(-50));
    }
    return out;
  }

  async eventIdsOf(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.ds.getRepository(OutboxEvent).find({ where: { id: In(ids) }, select: { id: true, eventId: true } });
    return new Map(rows.map((r) => [r.id, r.eventId]));
  }

  async redeliver(em: EntityManager, d: WebhookDelivery, now: Date): Promise<void> {
    await em.getRepository(WebhookDelivery).update({ id: d.id }, { status: 'pending', nextAttemptAt: now, lockedUntil: null, deliveredAt: null });
  }

  // ------------------------------------------------------------ dispatch: outbox → deliveries

  /** Undispatched events in id order (a trade-in's events commit in id order, see database/outbox.ts), locked. */
  async claimEvents(em: EntityManager, limit: number): Promise<OutboxEvent[]> {
    const rows: { id: number }[] = await em.query(`SELECT id FROM outbox_events WHERE dispatched_at IS NULL ORDER BY id LIMIT ${Number(limit)}${this.skipLocked}`);
    if (!rows.length) return [];
    // Without the payloads: a delivery row names its event, and the payload is read when it is sent.
    return em.getRepository(OutboxEvent).find({
      select: ['id', 'tenantId', 'type', 'subject', 'tradeInId', 'createdAt'],
      where: { id: In(rows.map((r) => Number(r.id))) },
      order: { id: 'ASC' },
    });
  }

  enabledSubscriptions(em: EntityManager, tenantIds: number[]): Promise<WebhookSubscription[]> {
    return em.getRepository(WebhookSubscription).find({ where: { tenantId: In(tenantIds), enabled: true }, order: { id: 'ASC' } });
  }

  async insertDeliveries(em: EntityManager, rows: Partial<WebhookDelivery>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) await em.getRepository(WebhookDelivery).insert(rows.slice(i, i + 200));
  }

  async markDispatched(em: EntityManager, ids: number[], now: Date): Promise<void> {
    await em.getRepository(OutboxEvent).update({ id: In(ids) }, { dispatchedAt: now });
  }

  // ------------------------------------------------------------ delivery: claim, send, record

  /**
   * Due deliveries of enabled subscriptions, locked, each the oldest unfinished one of its
   * subscription and trade-in (per-subscription order for one trade-in: a later event waits
   * while an earlier one is pending, in flight or retried).
   */
  async claimDue(em: EntityManager, now: Date, limit: number): Promise<WebhookDelivery[]> {
    // Candidates by a plain read (a locking read over the join and the NOT EXISTS would lock, and
    // skip, rows of other tables), then each locked by key and re-checked: another worker's claim is skipped.
    const candidates: { id: number }[] = await em.query(
      `SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until <= ?) AND s.enabled = ?
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id AND e.trade_in_id = d.trade_in_id AND e.status = 'pending' AND e.event_id < d.event_id)
        ORDER BY d.id LIMIT ${Number(limit)}`,
      [sqlTime(now), sqlTime(now), 1],
    );
    if (!candidates.length) return [];
    const ids = candidates.map((r) => Number(r.id));
    const locked: { id: number }[] = await em.query(
      `SELECT id FROM webhook_deliveries WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'pending' AND (locked_until IS NULL OR locked_until <= ?)${this.skipLocked}`,
      [...ids, sqlTime(now)],
    );
    if (!locked.length) return [];
    return em.getRepository(WebhookDelivery).find({ where: { id: In(locked.map((r) => Number(r.id))) }, order: { id: 'ASC' } });
  }

  async lease(em: EntityManager, ids: number[], until: Date): Promise<void> {
    await em.getRepository(WebhookDelivery).update({ id: In(ids) }, { lockedUntil: until });
  }

  subscriptionsByIds(em: EntityManager, ids: number[]): Promise<WebhookSubscription[]> {
    return em.getRepository(WebhookSubscription).find({ where: { id: In(ids) } });
  }

  eventsByIds(em: EntityManager, ids: number[]): Promise<OutboxEvent[]> {
    return em.getRepository(OutboxEvent).find({ where: { id: In(ids) } });
  }

  lockSubscription(em: EntityManager, id: number): Promise<WebhookSubscription | null> {
    return em.getRepository(WebhookSubscription).findOne({ where: { id }, lock: this.tx.lockMode() });
  }

  async insertAttempts(em: EntityManager, attempts: Partial<WebhookAttempt>[]): Promise<void> {
    if (attempts.length) await em.getRepository(WebhookAttempt).insert(attempts);
  }

  /** Delivered: finished, its attempt counted, its lease released. */
  async markDelivered(em: EntityManager, ids: number[], at: Date): Promise<void> {
    if (ids.length) await em.getRepository(WebhookDelivery).update({ id: In(ids) }, { status: 'delivered', attempts: () => 'attempts + 1', deliveredAt: at, lockedUntil: null });
  }

  /** A failed attempt: due again later, or given up. */
  async rescheduleDelivery(em: EntityManager, delivery: Partial<WebhookDelivery> & { id: number }): Promise<void> {
    await em.getRepository(WebhookDelivery).update({ id: delivery.id }, delivery);
  }

  async updateSubscription(em: EntityManager, id: number, values: Partial<WebhookSubscription>): Promise<void> {
    await em.getRepository(WebhookSubscription).update({ id }, values);
  }

  // ------------------------------------------------------------ purge

  /** Finished deliveries (delivered or failed) created before `before`, with their attempts; returns how many deliveries. */
  async purgeFinished(em: EntityManager, before: Date): Promise<number> {
    const old = await em.getRepository(WebhookDelivery).find({ where: { status: Not('pending'), createdAt: LessThan(before) }, select: { id: true }, take: 5000 });
    if (!old.length) return 0;
    const ids = old.map((d) => d.id);
    await em.getRepository(WebhookAttempt).delete({ deliveryId: In(ids) });
    await em.getRepository(WebhookDelivery).delete({ id: In(ids) });
    return ids.length;
  }

  /** Dispatched outbox events older than `before` that no delivery refers to any more (after the purge above): the outbox does not grow forever. */
  async purgeEvents(em: EntityManager, before: Date): Promise<number> {
    const rows: { id: number }[] = await em.query(
      `SELECT e.id FROM outbox_events e WHERE e.dispatched_at < ? AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id) ORDER BY e.dispatched_at LIMIT 5000`,
      [sqlTime(before)],
    );
    if (!rows.length) return 0;
    await em.getRepository(OutboxEvent).delete({ id: In(rows.map((r) => Number(r.id))) });
    return rows.length;
  }
}
