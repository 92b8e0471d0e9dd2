import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { Customer } from '../../customers/customer.entity';
import { TxService } from '../../database/tx.service';
import { ProgramAccount, ProgramSession } from './account.entity';

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
}
