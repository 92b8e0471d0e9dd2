import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { jsonTransformer, timestamp } from './columns';

/**
 * One event of the transactional outbox (issue 16): written in the transaction that makes the
 * change, so an event exists exactly when its change committed. Delivery (src/webhooks) reads it
 * later; nothing here knows about subscribers.
 */
@Entity('outbox_events')
export class OutboxEvent {
  @PrimaryGeneratedColumn() id: number;
  /** Stable public id (`evt_…`): the `webhook-id` of every delivery of this event, retries included. */
  @Column({ type: 'varchar', length: 40 }) eventId: string;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 64 }) type: string;
  /** The IRI of the resource the event is about. */
  @Column({ type: 'varchar', length: 255 }) subject: string;
  /** The trade-in the event belongs to (its sequence below), null for customers, locations, webhooks. */
  @Column({ type: 'int', nullable: true }) tradeInId: number | null;
  /** 1, 2, 3, … per trade-in in commit order: consumers order and de-duplicate by it. */
  @Column({ type: 'int', nullable: true }) sequence: number | null;
  @Column({ type: 'text', transformer: jsonTransformer }) payload: Record<string, unknown>;
  @Column(timestamp()) createdAt: Date;
  /** Set once the event was fanned out into deliveries (src/webhooks); null = still to do. */
  @Column(timestamp({ nullable: true })) dispatchedAt: Date | null;
  /** Set once the programme's notification collector looked at the event (src/upgrade/notifications); null = still to do. */
  @Column(timestamp({ nullable: true })) notifiedAt: Date | null;
}

/** The last sequence number given to each trade-in's events; its row lock orders concurrent writers. */
@Entity('outbox_sequences')
export class OutboxSequence {
  @PrimaryColumn() tradeInId: number;
  @Column({ type: 'int' }) lastSequence: number;
}
