import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../database/columns';
import { User } from './user.entity';

/** A staff sign-in (the admin's session). Only the SHA-256 hash of its bearer token is stored. */
@Entity('staff_sessions')
export class StaffSession {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
  @Column({ type: 'varchar', length: 64 }) tokenHash: string;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) expiresAt: Date;
  @Column(timestamp({ nullable: true })) revokedAt: Date | null;
}
