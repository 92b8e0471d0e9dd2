import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from './columns';

/** The first response to a POST carrying an `Idempotency-Key`, replayed for retries. */
@Entity('idempotency_keys')
export class IdempotencyRecord {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 255 }) idemKey: string;
  @Column({ type: 'varchar', length: 255 }) requestPath: string;
  @Column({ type: 'varchar', length: 64 }) requestHash: string;
  @Column({ type: 'int', nullable: true }) statusCode: number | null;
  @Column({ type: 'text', nullable: true }) responseBody: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) location: string | null;
  @Column(timestamp()) createdAt: Date;
}
