import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { decimalTransformer, money, timestamp } from '../../database/columns';

export const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Grade = (typeof GRADES)[number];
export const DEFAULT_MODIFIERS: Record<Grade, number> = { excellent: 100, good: 80, fair: 60, poor: 40 };

/** Base value per vehicle (make, model, first-registration year range) or per catalogued product (product id), or both. */
@Entity('program_valuations')
export class ProgramValuation {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) productId: string | null;
  // Null in a product-only valuation (a catalogued product addressed by its product id alone).
  @Column({ type: 'varchar', length: 100, nullable: true }) make: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) model: string | null;
  @Column({ type: 'int', nullable: true }) yearFrom: number | null;
  @Column({ type: 'int', nullable: true }) yearTo: number | null;
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
