import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../database/columns';
import { Customer } from '../../customers/customer.entity';

/** A programme customer's login. The person is a row of `customers`, so trade-ins show them as their customer. */
@Entity('program_accounts')
export class ProgramAccount {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() customerId: number;
  @ManyToOne(() => Customer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;
  /** Lower-cased; unique per tenant. */
  @Column({ type: 'varchar', length: 190 }) email: string;
  /** argon2id hash (bcrypt for accounts from before issue 13 until their next login); never the password. */
  @Column({ type: 'varchar', length: 100 }) passwordHash: string;
  // The columns failed_logins and locked_until are no longer used: failed logins are counted by
  // LoginAttempts (per e-mail and address, before the password check), see src/auth/login-attempts.ts.
  @Column(timestamp({ nullable: true })) lastLoginAt: Date | null;
  /** Set by a programme admin: the account cannot log in and its sessions were revoked. */
  @Column(timestamp({ nullable: true })) disabledAt: Date | null;
  // The shipping address in parts, for kits and labels (issue 17); `customers.address` stays the dealer record's free-text line.
  @Column({ type: 'varchar', length: 120, nullable: true }) addressLine1?: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) addressLine2?: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) addressPostcode?: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) addressCity?: string | null;
  @Column({ type: 'varchar', length: 2, nullable: true }) addressCountry?: string | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
}

/** A login session. Only the SHA-256 of the bearer token is stored. */
@Entity('program_sessions')
export class ProgramSession {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() accountId: number;
  @ManyToOne(() => ProgramAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: ProgramAccount;
  @Column({ type: 'varchar', length: 64 }) tokenHash: string;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) expiresAt: Date;
  @Column(timestamp({ nullable: true })) revokedAt: Date | null;
}

/** A password reset: only the SHA-256 of the e-mailed token is stored; usable once (usedAt), until expiresAt. */
@Entity('program_password_resets')
export class ProgramPasswordReset {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() accountId: number;
  @Column({ type: 'varchar', length: 64 }) tokenHash: string;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) expiresAt: Date;
  @Column(timestamp({ nullable: true })) usedAt: Date | null;
}

/** A tenant's account settings; no row = the defaults (public sign-up open). */
@Entity('program_account_settings')
export class ProgramAccountSettings {
  @PrimaryColumn() tenantId: number;
  @Column({ type: 'boolean' }) publicSignup: boolean;
  @Column(timestamp()) updatedAt: Date;
}
