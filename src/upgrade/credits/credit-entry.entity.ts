import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { money, timestamp } from '../../database/columns';

/**
 * issue: credit from a completed submission (+); spend: credit used in the store (−); adjust: a
 * correction by staff (±, with a reason); refund: credit paid out to the customer (−, with the
 * payment system's reference).
 */
export const CREDIT_KINDS = ['issue', 'spend', 'adjust', 'refund'] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];

/** One line of a programme customer's store-credit ledger; the balance is their sum. Entries are never changed or deleted. */
@Entity('program_credit_entries')
export class CreditEntry {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() accountId: number;
  @Column({ type: 'varchar', length: 16 }) kind: CreditKind;
  /** Signed: credit in is positive, credit out negative. */
  @Column(money({ nullable: false })) amount: number;
  @Column(money({ nullable: false })) balanceAfter: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) reference: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) externalReference: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason: string | null;
  @Column({ type: 'int', nullable: true }) tradeInId: number | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) clientKey: string | null;
  @Column({ type: 'int', nullable: true }) createdById: number | null;
  @Column(timestamp()) createdAt: Date;
}
