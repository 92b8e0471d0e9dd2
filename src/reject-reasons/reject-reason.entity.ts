import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read-only catalogue, shared by all tenants, seeded by migration. */
@Entity('reject_reasons')
export class RejectReason {
  @PrimaryColumn({ type: 'varchar', length: 64 }) code: string;
  @Column({ type: 'varchar', length: 150 }) label: string;
  @Column({ type: 'int' }) position: number;
}
