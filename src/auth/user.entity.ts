import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../database/columns';

import type { Role } from '../common/principal';

// The roles are the principal's (common/principal.ts); re-exported for the auth feature's own files.
export { ROLES, type Role } from '../common/principal';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 190 }) email: string;
  @Column({ type: 'varchar', length: 120 }) name: string;
  @Column({ type: 'varchar', length: 16 }) role: Role;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
  @Column(timestamp({ nullable: true })) disabledAt: Date | null;
}
