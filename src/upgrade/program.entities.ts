import { Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { decimalTransformer, money, timestamp } from '../database/columns';
import { Customer } from '../customers/customer.entity';
import { TradeIn } from '../trade-ins/trade-in.entity';

export const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Grade = (typeof GRADES)[number];
export const DEFAULT_MODIFIERS: Record<Grade, number> = { excellent: 100, good: 80, fair: 60, poor: 40 };

export const CREDIT_TYPES = ['store_credit', 'refund'] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

export const SHIPPING_METHODS = ['shipping_kit', 'return_label', 'drop_off'] as const;
export type ShippingMethod = (typeof SHIPPING_METHODS)[number];

/** A programme customer's login. The person is a row of `customers`, so trade-ins show them as their customer. */
@Entity('program_accounts')
export class ProgramAccount {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() customerId: number;
  @ManyToOne(() => Customer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;
  /** Lower-cased; unique per tenant. */
  @Column({ type: 'varchar', length: 190 }) email: string;
  /** argon2id hash (bcrypt for accounts from before issue 13 until their next login); never the password. */
  @Column({ type: 'varchar', length: 100 }) passwordHash: string;
  // The columns failed_logins and locked_until are no longer used: failed logins are counted by
  // LoginAttempts (per e-mail and address, before the password check), see src/auth/login-attempts.ts.
  @Column(timestamp({ nullable: true })) lastLoginAt: Date | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
}

/** A login session. Only the SHA-256 of the bearer token is stored. */
@Entity('program_sessions')
export class ProgramSession {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() accountId: number;
  @ManyToOne(() => ProgramAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: ProgramAccount;
  @Column({ type: 'varchar', length: 64 }) tokenHash: string;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) expiresAt: Date;
  @Column(timestamp({ nullable: true })) revokedAt: Date | null;
}

/** Base value per vehicle (make, model, first-registration year range), optionally addressed by a product id. */
@Entity('program_valuations')
export class ProgramValuation {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) productId: string | null;
  @Column({ type: 'varchar', length: 100 }) make: string;
  @Column({ type: 'varchar', length: 100 }) model: string;
  @Column({ type: 'int' }) yearFrom: number;
  @Column({ type: 'int' }) yearTo: number;
  @Column(money({ nullable: false })) baseValue: number;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
}

/** Per-tenant condition modifier (percent of the base value); defaults apply where no row exists. */
@Entity('program_condition_modifiers')
export class ConditionModifier {
  @PrimaryColumn() tenantId: number;
  @PrimaryColumn({ type: 'varchar', length: 16 }) grade: Grade;
  @Column({ type: 'decimal', precision: 5, scale: 2, transformer: decimalTransformer }) percent: number;
}

/** The customer-programme side of a trade-in (one row per submission; the trade-in is the submission). */
@Entity('trade_in_programs')
export class TradeInProgram {
  @PrimaryColumn() tradeInId: number;
  @OneToOne(() => TradeIn, (t) => t.program, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'trade_in_id' })
  tradeIn?: TradeIn;
  @Column() tenantId: number;
  @Column() accountId: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) productId: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) serialNumber: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) conditionGrade: Grade | null;
  @Column(money()) quotedValue: number | null;
  @Column({ type: 'int', nullable: true }) valuationId: number | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) shippingMethod: ShippingMethod | null;
  @Column({ type: 'varchar', length: 60, nullable: true }) carrier: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) trackingNumber: string | null;
  @Column(timestamp({ nullable: true })) shippedAt: Date | null;
  @Column(timestamp({ nullable: true })) receivedAt: Date | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) inspectedGrade: Grade | null;
  @Column(money()) finalValue: number | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) inspectionNotes: string | null;
  @Column(timestamp({ nullable: true })) inspectedAt: Date | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) creditType: CreditType | null;
  @Column(money()) creditAmount: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) creditReference: string | null;
  @Column(timestamp({ nullable: true })) creditIssuedAt: Date | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
}

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

/** An uploaded photo. The bytes live in the PhotoStorage under `storageKey`. */
@Entity('program_photos')
export class ProgramPhoto {
  @PrimaryGeneratedColumn() id: number;
  /** Public id, `photo_` + random characters. */
  @Column({ type: 'varchar', length: 40 }) publicId: string;
  @Column() tenantId: number;
  @Column() accountId: number;
  @Column({ type: 'int', nullable: true }) tradeInId: number | null;
  @Column({ type: 'int', nullable: true }) pictureId: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) pictureTypeCode: string | null;
  @Column({ type: 'varchar', length: 200 }) storageKey: string;
  @Column({ type: 'varchar', length: 32 }) contentType: string;
  @Column({ type: 'int' }) size: number;
  @Column(timestamp()) createdAt: Date;
}

export const PROGRAM_ENTITIES = [ProgramAccount, ProgramSession, ProgramValuation, ConditionModifier, TradeInProgram, ProgramOffer, ProgramPhoto];
