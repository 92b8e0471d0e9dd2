import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { fromCents } from '../../common/money';
import { TenantRepository } from '../../database/tenant.repository';
import { TxService } from '../../database/tx.service';
import { ProgramAccount } from '../accounts/account.entity';
import { CreditEntry } from './credit-entry.entity';

/** The SQL of the store-credit ledger. */
@Injectable()
export class CreditsRepository {
  /**
   * The ledger's accounts, by id (`findInTenantOrFail`: `Programme customer 5 was not found.`). In a
   * write, `{ lock: true }` (FOR UPDATE on MySQL): every ledger write of an account holds this lock
   * before it reads the balance, so two writes never both see the same balance. Last in the lock
   * order (trade-in, programme row, offers, account).
   */
  readonly accounts: TenantRepository<ProgramAccount>;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {
    this.accounts = new TenantRepository(ds, ProgramAccount, 'Programme customer');
  }

  /** Outside a transaction. */
  get manager(): EntityManager {
    return this.ds.manager;
  }

  /** The balance in cents: the sum of the entries (SUM of ROUND(amount*100), exact on both engines). */
  async balance(em: EntityManager, accountId: number): Promise<number> {
    const [r] = await em.query<{ cents: unknown }[]>('SELECT SUM(ROUND(amount * 100)) AS cents FROM program_credit_entries WHERE account_id = ?', [accountId]);
    return fromCents(BigInt(Math.round(Number(r?.cents ?? 0))));
  }

  count(em: EntityManager, accountId: number): Promise<number> {
    return em.getRepository(CreditEntry).countBy({ accountId });
  }

  /** One page, newest first. */
  page(em: EntityManager, accountId: number, offset: number, limit: number): Promise<CreditEntry[]> {
    return em.getRepository(CreditEntry).find({ where: { accountId }, order: { id: 'DESC' }, skip: offset, take: limit });
  }

  byClientKey(em: EntityManager, tenantId: number, clientKey: string): Promise<CreditEntry | null> {
    return em.getRepository(CreditEntry).findOne({ where: { tenantId, clientKey }, lock: this.tx.lockMode() });
  }

  ofTradeIn(em: EntityManager, tradeInId: number): Promise<CreditEntry[]> {
    return em.getRepository(CreditEntry).find({ where: { tradeInId }, order: { id: 'ASC' } });
  }

  insert(em: EntityManager, values: Omit<CreditEntry, 'id'>): Promise<CreditEntry> {
    return em.getRepository(CreditEntry).save(em.getRepository(CreditEntry).create(values));
  }
}
