import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../database/columns';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One e-mail to one recipient: created from an outbox event by the collector (or by a password
 * reset request, in its transaction), sent by the job runner. (source_key, recipient) is unique, so
 * an event is turned into a given recipient's mail once whoever collects it.
 */
@Entity('program_notifications')
export class ProgramNotification {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  /** The template: an event type (offer.created, …) or password.reset. */
  @Column({ type: 'varchar', length: 64 }) kind: string;
  /** `evt_…` (the outbox event) or `reset:<id>`. */
  @Column({ type: 'varchar', length: 64 }) sourceKey: string;
  @Column({ type: 'varchar', length: 190 }) recipient: string;
  @Column({ type: 'int', nullable: true }) tradeInId: number | null;
  /** The template's variables (JSON); a reset mail's are cleared once it is sent or given up (the code must not outlive its use). */
  @Column({ type: 'text', nullable: true }) vars: string | null;
  @Column({ type: 'varchar', length: 16 }) status: NotificationStatus;
  @Column({ type: 'int' }) attempts: number;
  @Column(timestamp()) nextAttemptAt: Date;
  /** A worker's claim while it sends; after it the notification is due again (a worker that died). */
  @Column(timestamp({ nullable: true })) lockedUntil: Date | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) lastError: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) subject: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) messageId: string | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp({ nullable: true })) sentAt: Date | null;
}

/** A tenant's own subject and body for one kind of notification (without one: the default in code). */
@Entity('program_notification_templates')
export class NotificationTemplate {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 64 }) kind: string;
  @Column({ type: 'varchar', length: 255 }) subject: string;
  @Column({ type: 'text' }) body: string;
  @Column(timestamp()) updatedAt: Date;
}
