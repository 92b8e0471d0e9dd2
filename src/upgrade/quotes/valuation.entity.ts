import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { decimalTransformer, money, timestamp } from '../../database/columns';

export const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Grade = (typeof GRADES)[number];
export const DEFAULT_MODIFIERS: Record<Grade, number> = { excellent: 100, good: 80, fair: 60, poor: 40 };

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
