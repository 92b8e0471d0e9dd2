import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { money, timestamp } from '../../database/columns';
import { TradeIn } from '../../trade-ins/trade-in.entity';
import type { Grade } from '../quotes/valuation.entity';

export const CREDIT_TYPES = ['store_credit', 'refund'] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

export const SHIPPING_METHODS = ['shipping_kit', 'return_label', 'drop_off'] as const;
export type ShippingMethod = (typeof SHIPPING_METHODS)[number];

/** The customer-programme side of a trade-in (one row per submission; the trade-in is the submission). */
@Entity('trade_in_programs')
export class TradeInProgram {
  @PrimaryColumn() tradeInId: number;
  @OneToOne(() => TradeIn, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'trade_in_id' })
  tradeIn?: TradeIn;
  @Column() tenantId: number;
  @Column() accountId: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) productId: string | null;
  /** Whether productId named a product of the tenant's catalogue (a valuation with that product_id) when last quoted: then the catalogue describes the item and the vehicle facts are not required. */
  @Column({ type: 'boolean', default: false }) productCatalogued: boolean;
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
  /** The item goes back to the customer (revised offer declined, or rejected by staff): when, and why. */
  @Column(timestamp({ nullable: true })) returnRequestedAt: Date | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) returnReason: string | null;
  @Column(timestamp({ nullable: true })) withdrawnAt: Date | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
}
