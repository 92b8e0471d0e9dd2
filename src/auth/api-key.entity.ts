import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../database/columns';
import { User } from './user.entity';

/** An API key. Only its SHA-256 hash is stored; the plaintext is shown once, at creation. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
  @Column({ type: 'varchar', length: 120 }) name: string;
  /** First characters of the key, safe to display so people can tell keys apart. */
  @Column({ type: 'varchar', length: 16 }) prefix: string;
  @Column({ type: 'varchar', length: 64 }) keyHash: string;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp({ nullable: true })) lastUsedAt: Date | null;
  @Column(timestamp({ nullable: true })) revokedAt: Date | null;
}
