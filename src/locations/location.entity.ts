import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../database/columns';

/** A dealership (Salesfront calls the resource "locations"; trade-ins link it as `dealership`). */
@Entity('locations')
export class Location {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 150 }) name: string;
  @Column({ type: 'varchar', length: 40, nullable: true }) code: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) address: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) city: string | null;
  @Column({ type: 'varchar', length: 2, nullable: true }) country: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) phone: string | null;
  @Column({ type: 'varchar', length: 190, nullable: true }) email: string | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
  @Column({ type: 'int', default: 1 }) version: number;
}
