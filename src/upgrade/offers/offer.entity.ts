import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { decimalTransformer, money, timestamp } from '../../database/columns';

export const OFFER_STATUSES = ['pending', 'accepted', 'declined', 'superseded', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** manual: made by staff; automatic: made from the quote at submit (tenant setting); revised: the lower value found at inspection. */
export const OFFER_KINDS = ['manual', 'automatic', 'revised'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

@Entity('program_offers')
export class ProgramOffer {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() tradeInId: number;
  @Column(money({ nullable: false })) amount: number;
  @Column({ type: 'varchar', length: 1000, nullable: true }) notes: string | null;
  @Column(timestamp({ nullable: true })) expiresAt: Date | null;
  @Column({ type: 'varchar', length: 16, default: 'manual' }) kind: OfferKind;
  @Column({ type: 'varchar', length: 16 }) status: OfferStatus;
  @Column({ type: 'varchar', length: 1000, nullable: true }) declineReason: string | null;
  @Column(timestamp({ nullable: true })) respondedAt: Date | null;
  @Column(money()) quotedValue: number | null;
  @Column(timestamp()) createdAt: Date;
  @Column({ type: 'int', nullable: true }) createdById: number | null;
}

export const DEFAULT_OFFER_VALIDITY_DAYS = 14;

/** The tenant's offer settings (one row per tenant once changed; the defaults below until then). */
@Entity('program_offer_settings')
export class ProgramOfferSettings {
  @PrimaryColumn() tenantId: number;
  /** Whether customers see the automatic quote of their submissions. */
  @Column({ type: 'boolean', default: false }) quoteVisible: boolean;
  /** Validity of an offer made without expires_at (also revised offers). */
  @Column({ type: 'int', default: DEFAULT_OFFER_VALIDITY_DAYS }) offerValidityDays: number;
  /** Percent of the quote offered automatically at submit; null = no automatic offer. */
  @Column({ type: 'decimal', precision: 5, scale: 2, nullable: true, transformer: decimalTransformer }) autoOfferPercent: number | null;
  /** Validity of automatic offers; null = offerValidityDays. */
  @Column({ type: 'int', nullable: true }) autoOfferValidityDays: number | null;
  @Column(timestamp()) updatedAt: Date;
}
