import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../database/columns';

@Entity('tenants')
export class Tenant {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 120 }) name: string;
  /** URL slug used by the customer-facing programme (`/api/{slug}/...`). */
  @Column({ type: 'varchar', length: 64 }) slug: string;
  @Column(timestamp()) createdAt: Date;
}
