import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { jsonTransformer, timestamp } from '../database/columns';

/** A tenant's webhook subscription: where events go, which ones, and the secret that signs them. */
@Entity('webhook_subscriptions')
export class WebhookSubscription {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  /** Event types wanted; empty = every type. */
  @Column({ type: 'text', transformer: jsonTransformer }) eventTypes: string[];
  @Column({ type: 'boolean' }) enabled: boolean;
  /** Why the subscription was disabled automatically (null when enabled or disabled by hand). */
  @Column({ type: 'varchar', length: 500, nullable: true }) disabledReason: string | null;
  /** The signing secret, encrypted when WEBHOOK_SECRET_KEY is set (see secrets.ts). */
  @Column({ type: 'varchar', length: 500 }) secret: string;
  /** The secret before the last rotation, still signing until previousSecretUntil. */
  @Column({ type: 'varchar', length: 500, nullable: true }) previousSecret: string | null;
  @Column(timestamp({ nullable: true })) previousSecretUntil: Date | null;
  @Column({ type: 'int' }) consecutiveFailures: number;
  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
  @Column({ type: 'int' }) version: number;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event for one subscription: retried until delivered or given up. */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() subscriptionId: number;
  /** outbox_events.id (the order of a trade-in's events). */
  @Column() eventId: number;
  @Column({ type: 'varchar', length: 64 }) eventType: string;
  @Column({ type: 'int', nullable: true }) tradeInId: number | null;
  @Column({ type: 'varchar', length: 16 }) status: DeliveryStatus;
  @Column({ type: 'int' }) attempts: number;
  @Column(timestamp()) nextAttemptAt: Date;
  /** A worker is sending it until then; after it (a crashed worker) it is due again. */
  @Column(timestamp({ nullable: true })) lockedUntil: Date | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp({ nullable: true })) deliveredAt: Date | null;
}

/** One HTTP attempt of a delivery: the delivery log. */
@Entity('webhook_attempts')
export class WebhookAttempt {
  @PrimaryGeneratedColumn() id: number;
  @Column() deliveryId: number;
  @Column(timestamp()) attemptedAt: Date;
  @Column({ type: 'int', nullable: true }) statusCode: number | null;
  @Column({ type: 'int' }) latencyMs: number;
  /** Why it failed when no status says it (timeout, refused target, connection error). */
  @Column({ type: 'varchar', length: 500, nullable: true }) error: string | null;
  /** The first 1,000 characters of the response body. */
  @Column({ type: 'varchar', length: 1000, nullable: true }) responseExcerpt: string | null;
}
