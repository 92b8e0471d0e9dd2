import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { OutboxEvent } from '../../database/outbox.entity';
import { TxService } from '../../database/tx.service';
import { Tenant } from '../../tenants/tenant.entity';
import { NotificationTemplate, ProgramNotification } from './notification.entity';

const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

export interface Recipient {
  email: string;
  firstName: string | null;
  lastName: string | null;
}

export type NewNotification = Pick<ProgramNotification, 'tenantId' | 'kind' | 'sourceKey' | 'recipient' | 'tradeInId'> & { vars: Record<string, unknown> };

/** The SQL of customer e-mail: the outbox read of the collector, the notifications to send and their claim, the template overrides. */
@Injectable()
export class NotificationsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  /** MySQL/MariaDB: rows another worker holds are skipped; SQLite has one writer at a time. */
  private get skipLocked(): string {
    return this.tx.engine === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
  }

  // ------------------------------------------------------------ collector: outbox → notifications

  /** The oldest events the collector has not looked at (locked: a second collector skips them). */
  async claimEvents(em: EntityManager, limit: number): Promise<OutboxEvent[]> {
    const rows: { id: number }[] = await em.query(`SELECT id FROM outbox_events WHERE notified_at IS NULL ORDER BY id LIMIT ${Number(limit)}${this.skipLocked}`);
    if (!rows.length) return [];
    // Without the payloads: most events are no customer's mail (every dealer-side write records one), so only those that are get theirs (payloads()).
    return em.getRepository(OutboxEvent).find({
      select: ['id', 'eventId', 'tenantId', 'type', 'tradeInId'],
      where: { id: In(rows.map((r) => Number(r.id))) },
      order: { id: 'ASC' },
    });
  }

  /** The payloads of events `ids` (claimed by this transaction). */
  async payloads(em: EntityManager, ids: number[]): Promise<Map<number, Record<string, unknown>>> {
    if (!ids.length) return new Map();
    const rows = await em.getRepository(OutboxEvent).find({ select: ['id', 'payload'], where: { id: In(ids) } });
    return new Map(rows.map((r) => [r.id, r.payload]));
  }

  async markNotified(em: EntityManager, ids: number[], now: Date): Promise<void> {
    await em.getRepository(OutboxEvent).update({ id: In(ids) }, { notifiedAt: now });
  }

  /** The programme customer of a trade-in: the account of its customer (none for a dealer-side trade-in). */
  async recipientOf(em: EntityManager, tenantId: number, tradeInId: number): Promise<Recipient | null> {
    const rows: { email: string; first_name: string | null; last_name: string | null }[] = await em.query(
      `SELECT a.email AS email, c.first_name AS first_name, c.last_name AS last_name
         FROM trade_ins t JOIN program_accounts a ON a.customer_id = t.customer_id AND a.tenant_id = t.tenant_id JOIN customers c ON c.id = a.customer_id
        WHERE t.id = ? AND t.tenant_id = ? ORDER BY a.id LIMIT 1`,
      [tradeInId, tenantId],
    );
    return rows.length ? { email: rows[0].email, firstName: rows[0].first_name, lastName: rows[0].last_name } : null;
  }

  tenants(em: EntityManager, ids: number[]): Promise<Tenant[]> {
    return em.getRepository(Tenant).findBy({ id: In(ids) });
  }

  /** Inserts the notifications; one whose (source_key, recipient) exists already is left out (INSERT IGNORE / OR IGNORE): once per event and recipient. */
  async insert(em: EntityManager, rows: NewNotification[], now: Date): Promise<void> {
    if (!rows.length) return;
    const values = rows.map((r) => ({
      ...r,
      vars: JSON.stringify(r.vars),
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      lastError: null,
      subject: null,
      messageId: null,
      createdAt: now,
      sentAt: null,
    }));
    await em.createQueryBuilder().insert().into(ProgramNotification).values(values).orIgnore().updateEntity(false).execute();
  }

  // ------------------------------------------------------------ sender: claim, record

  /**
   * Claims due notifications for this worker until `leaseUntil`: candidates locked (others' skipped),
   * then each leased by a conditional UPDATE, so of two workers that reach one row only one gets it.
   */
  async claimDue(em: EntityManager, now: Date, leaseUntil: Date, limit: number): Promise<ProgramNotification[]> {
    const rows: { id: number }[] = await em.query(
      `SELECT id FROM program_notifications WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?) ORDER BY id LIMIT ${Number(limit)}${this.skipLocked}`,
      [sqlTime(now), sqlTime(now)],
    );
    const claimed: number[] = [];
    for (const { id } of rows) {
      const r = await em
        .createQueryBuilder()
        .update(ProgramNotification)
        .set({ lockedUntil: leaseUntil })
        .where("id = :id AND status = 'pending' AND (locked_until IS NULL OR locked_until <= :now)", { id: Number(id), now: sqlTime(now) })
        .execute();
      if (r.affected === 1) claimed.push(Number(id));
    }
    if (!claimed.length) return [];
    return em.getRepository(ProgramNotification).find({ where: { id: In(claimed) }, order: { id: 'ASC' } });
  }

  async record(id: number, values: Partial<ProgramNotification>): Promise<void> {
    await this.tx.run((em) => em.getRepository(ProgramNotification).update({ id }, { ...values, lockedUntil: null }));
  }

  tenant(id: number): Promise<Tenant | null> {
    return this.ds.getRepository(Tenant).findOneBy({ id });
  }

  /** Deletes sent and failed notifications created before `before` (a batch per run); returns how many. */
  async purge(em: EntityManager, before: Date): Promise<number> {
    const rows: { id: number }[] = await em.query(`SELECT id FROM program_notifications WHERE status <> 'pending' AND created_at < ? ORDER BY id LIMIT 5000`, [sqlTime(before)]);
    if (!rows.length) return 0;
    await em.getRepository(ProgramNotification).delete({ id: In(rows.map((r) => Number(r.id))) });
    return rows.length;
  }

  // ------------------------------------------------------------ templates and the log

  template(tenantId: number, kind: string): Promise<NotificationTemplate | null> {
    return this.ds.getRepository(NotificationTemplate).findOneBy({ tenantId, kind });
  }

  templates(tenantId: number): Promise<NotificationTemplate[]> {
    return this.ds.getRepository(NotificationTemplate).findBy({ tenantId });
  }

  async lockTemplate(em: EntityManager, tenantId: number, kind: string): Promise<NotificationTemplate | null> {
    return em.getRepository(NotificationTemplate).findOne({ where: { tenantId, kind }, lock: this.tx.lockMode() });
  }

  async saveTemplate(em: EntityManager, existing: NotificationTemplate | null, values: Omit<NotificationTemplate, 'id'>): Promise<void> {
    if (existing) await em.getRepository(NotificationTemplate).update({ id: existing.id }, values);
    else await em.getRepository(NotificationTemplate).insert(values);
  }

  async deleteTemplate(tenantId: number, kind: string): Promise<void> {
    await this.ds.getRepository(NotificationTemplate).delete({ tenantId, kind });
  }

  /** A tenant's newest notifications. */
  newest(tenantId: number, limit: number): Promise<ProgramNotification[]> {
    return this.ds.getRepository(ProgramNotification).find({ where: { tenantId }, order: { id: 'DESC' }, take: limit });
  }
}
