import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { money, timestamp } from '../../database/columns';

export const OFFER_STATUSES = ['pending', 'accepted', 'declined', 'superseded', 'expired'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

@Entity('program_offers')
export class ProgramOffer {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() tradeInId: number;
  @Column(money({ nullable: false })) amount: number;
  @Column({ type: 'varchar', length: 1000, nullable: true }) notes: string | null;
  @Column(timestamp({ nullable: true })) expiresAt: Date | null;
  @Column({ type: 'varchar', length: 16 }) status: OfferStatus;
  @Column({ type: 'varchar', length: 1000, nullable: true }) declineReason: string | null;
  @Column(timestamp({ nullable: true })) respondedAt: Date | null;
  @Column(money()) quotedValue: number | null;
  @Column(timestamp()) createdAt: Date;
  @Column({ type: 'int', nullable: true }) createdById: number | null;
}
