import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RenderedRows } from '../common/responses';
import { engineOf } from './data-source';
import { OutboxEvent } from './outbox.entity';
import { insertReturningId, storedRows } from '../platform/raw-queries';
import { insertRow } from './tx.service';
import { markRecorded } from './outbox-signal';

/**
 * The event catalogue: every state change the API makes records one of these (README "Webhooks").
 * `webhook.*` are about the subscriptions themselves.
 */
export const EVENT_TYPES = [
  'trade_in.created',
  'trade_in.updated',
  'trade_in.deleted',
  'trade_in.status_changed',
  'trade_in.pictures_changed',
  'trade_in.comments_changed',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'location.created',
  'location.updated',
  'location.deleted',
  'submission.created',
  'submission.updated',
  'submission.submitted',
  'submission.shipped',
  'submission.received',
  'submission.inspected',
  'submission.credit_issued',
  'submission.withdrawn',
  'submission.rejected',
  'submission.return_requested',
  'submission.kit_ordered',
  'submission.return_ordered',
  'submission.tracking_updated',
  'offer.created',
  'offer.revised',
  'offer.withdrawn',
  'offer.accepted',
  'offer.declined',
  'offer.expired',
  'offer.superseded',
  'credit.entry',
  'webhook.ping',
  'webhook.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A payload as the API renders it in plain JSON: rendered rows (the trade-in's compiled view) or a serialized object. */
export type EventPayload = RenderedRows | object;

function plain(payload: EventPayload): Record<string, unknown> {
  if (payload instanceof RenderedRows) return payload.as(false)[0] as Record<string, unknown>;
  // JSON.parse(JSON.stringify()) drops the JSON-LD marks (symbols) and Dates become ISO strings, as in a response.
  return JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
}

/** The next sequence number of a trade-in's events; the counter row stays locked until the caller's transaction ends. */
async function nextSequence(em: EntityManager, tradeInId: number): Promise<number> {
  if (engineOf(em.connection) === 'mysql') {
    // LAST_INSERT_ID(expr) hands the new value back as the statement's insert id: no second round trip.
    return insertReturningId(em, 'INSERT INTO outbox_sequences (trade_in_id, last_sequence) VALUES (?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + 1)', [
      tradeInId,
    ]);
  }
  await em.query('INSERT INTO outbox_sequences (trade_in_id, last_sequence) VALUES (?, 1) ON CONFLICT (trade_in_id) DO UPDATE SET last_sequence = last_sequence + 1', [tradeInId]);
  // Our own write, in the same (SQLite: the only) transaction.
  const rows = await storedRows(em, 'SELECT last_sequence FROM outbox_sequences WHERE trade_in_id = ?', [tradeInId]);
  return Number(rows[0].last_sequence);
}

/**
 * Records an event in the caller's transaction (`em` must be the transaction's manager): it
 * commits or rolls back with the change. `subject` is the IRI of the resource; `tradeInId` puts the
 * event in that trade-in's sequence. Returns the stable event id.
 */
export async function recordEvent(em: EntityManager, tenantId: number, type: EventType, subject: string, payload: EventPayload, tradeInId: number | null = null): Promise<string> {
  markRecorded(em);
  const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
  const sequence = tradeInId === null ? null : await nextSequence(em, tradeInId);
  await insertRow(em, OutboxEvent, { eventId, tenantId, type, subject, tradeInId, sequence, payload: plain(payload), createdAt: new Date(), dispatchedAt: null, notifiedAt: null });
  return eventId;
}
