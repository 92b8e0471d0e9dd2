import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan, Not } from 'typeorm';
import { Customer } from '../../customers/customer.entity';
import { TxService } from '../../database/tx.service';
import { ProgramAccount, ProgramAccountSettings, ProgramPasswordReset, ProgramSession } from './account.entity';

/** The SQL of programme accounts and sessions (and of the dealer-side customer record an account is). */
@Injectable()
export class AccountsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  /** A live (not revoked, not expired) session by its token hash, with its account. */
  liveSession(tokenHash: string): Promise<ProgramSession | null> {
    return this.ds.getRepository(ProgramSession).findOne({ where: { tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) }, relations: { account: true } });
  }

  async insertSession(values: Omit<ProgramSession, 'id' | 'account'>): Promise<void> {
    await this.ds.getRepository(ProgramSession).insert(values);
  }

  async revokeSession(sessionId: number): Promise<void> {
    await this.ds.getRepository(ProgramSession).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  accountExists(em: EntityManager, tenantId: number, email: string): Promise<boolean> {
    return em.getRepository(ProgramAccount).existsBy({ tenantId, email });
  }

  findByEmail(tenantId: number, email: string): Promise<ProgramAccount | null> {
    return this.ds.getRepository(ProgramAccount).findOneBy({ tenantId, email });
  }

  async insertAccount(em: EntityManager, values: Omit<ProgramAccount, 'id' | 'customer'>): Promise<void> {
    await em.getRepository(ProgramAccount).insert(values);
  }

  async updateAccount(id: number, values: Partial<Pick<ProgramAccount, 'passwordHash' | 'lastLoginAt'>>): Promise<void> {
    await this.ds.getRepository(ProgramAccount).update({ id }, values);
  }

  async updateAccountIn(em: EntityManager, id: number, values: Partial<ProgramAccount>): Promise<void> {
    await em.getRepository(ProgramAccount).update({ id }, values);
  }

  withCustomer(tenantId: number, id: number): Promise<ProgramAccount | null> {
    return this.ds.getRepository(ProgramAccount).findOne({ where: { id, tenantId }, relations: { customer: true } });
  }

  insertCustomer(em: EntityManager, values: Partial<Customer>): Promise<Customer> {
    return em.getRepository(Customer).save(em.getRepository(Customer).create(values));
  }

  lockCustomer(em: EntityManager, tenantId: number, id: number): Promise<Customer | null> {
    return em.getRepository(Customer).findOne({ where: { id, tenantId }, lock: this.tx.lockMode() });
  }

  async updateCustomer(em: EntityManager, tenantId: number, id: number, values: Partial<Customer>): Promise<void> {
    await em.getRepository(Customer).update({ id, tenantId }, values);
  }

  lockAccount(em: EntityManager, tenantId: number, id: number): Promise<ProgramAccount | null> {
    return em.getRepository(ProgramAccount).findOne({ where: { id, tenantId }, lock: this.tx.lockMode() });
  }

  /** Another account of the tenant with this e-mail (read in the caller's transaction, after its locks). */
  emailTaken(em: EntityManager, tenantId: number, email: string, exceptId: number): Promise<boolean> {
    return em.getRepository(ProgramAccount).existsBy({ tenantId, email, id: Not(exceptId) });
  }

  async setAccount(em: EntityManager, id: number, values: Partial<Pick<ProgramAccount, 'passwordHash' | 'email' | 'disabledAt' | 'updatedAt'>>): Promise<void> {
    await em.getRepository(ProgramAccount).update({ id }, values);
  }

  /** Revokes the account's live sessions (but `keepSessionId`); returns how many. */
  async revokeSessions(em: EntityManager, accountId: number, now: Date, keepSessionId: number | null = null): Promise<number> {
    const r = await em.getRepository(ProgramSession).update({ accountId, revokedAt: IsNull(), ...(keepSessionId === null ? {} : { id: Not(keepSessionId) }) }, { revokedAt: now });
    return r.affected ?? 0;
  }

  async insertReset(em: EntityManager, values: Omit<ProgramPasswordReset, 'id'>): Promise<number> {
    const r = await em.getRepository(ProgramPasswordReset).insert(values);
    return Number((r.identifiers[0] as { id: number }).id);
  }

  findReset(tokenHash: string): Promise<ProgramPasswordReset | null> {
    return this.ds.getRepository(ProgramPasswordReset).findOneBy({ tokenHash });
  }

  /** Spends a reset token: only the first of concurrent uses changes the row (… AND used_at IS NULL AND expires_at > now). */
  async useReset(em: EntityManager, id: number, now: Date): Promise<boolean> {
    const r = await em
      .createQueryBuilder()
      .update(ProgramPasswordReset)
      .set({ usedAt: now })
      .where('id = :id AND used_at IS NULL AND expires_at > :now', { id, now: now.toISOString().replace('T', ' ').replace('Z', '') })
      .execute();
    return r.affected === 1;
  }

  /** Other unused tokens of the account stop working once one was used (or the password changed). */
  async spendResets(em: EntityManager, accountId: number, now: Date): Promise<void> {
    await em.getRepository(ProgramPasswordReset).update({ accountId, usedAt: IsNull() }, { usedAt: now });
  }

  settings(tenantId: number): Promise<ProgramAccountSettings | null> {
    return this.ds.getRepository(ProgramAccountSettings).findOneBy({ tenantId });
  }

  async saveSettings(em: EntityManager, values: ProgramAccountSettings): Promise<void> {
    const repo = em.getRepository(ProgramAccountSettings);
    const existing = await repo.findOne({ where: { tenantId: values.tenantId }, lock: this.tx.lockMode() });
    if (existing) await repo.update({ tenantId: values.tenantId }, values);
    // A parallel first write of the same tenant inserted first: then this one is the later write.
    else await repo.insert(values).catch(() => repo.update({ tenantId: values.tenantId }, values));
  }
}
