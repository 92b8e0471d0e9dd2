import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { TenantRepository } from '../../database/tenant.repository';
import { TxService } from '../../database/tx.service';
import { TradeInProgram } from '../submissions/trade-in-program.entity';
import { OfferStatus, ProgramOffer, ProgramOfferSettings } from './offer.entity';

/** The SQL of offers; one offer by id is `findInTenantOrFail` (`Offer off_3 was not found.`, with `shownAs`). */
@Injectable()
export class OffersRepository extends TenantRepository<ProgramOffer> {
  constructor(
    ds: DataSource,
    private readonly tx: TxService,
  ) {
    super(ds, ProgramOffer, 'Offer');
  }

  /** Whether the account owns the submission (trade-in) an offer is on. */
  owns(tradeInId: number, accountId: number): Promise<boolean> {
    return this.ds.getRepository(TradeInProgram).existsBy({ tradeInId, accountId });
  }

  /** Newest first, at most 500; a customer's only on their own submissions. */
  list(tenantId: number, accountId?: number): Promise<ProgramOffer[]> {
    const qb = this.ds.getRepository(ProgramOffer).createQueryBuilder('o').where('o.tenantId = :tenantId', { tenantId });
    if (accountId !== undefined) qb.innerJoin(TradeInProgram, 'p', 'p.trade_in_id = o.trade_in_id').andWhere('p.account_id = :accountId', { accountId });
    return qb.orderBy('o.id', 'DESC').limit(500).getMany();
  }

  /** The offers of several trade-ins, in id order (one query for the lot). */
  ofTradeIns(em: EntityManager, tradeInIds: number[]): Promise<ProgramOffer[]> {
    return em.getRepository(ProgramOffer).find({ where: { tradeInId: In(tradeInIds) }, order: { id: 'ASC' } });
  }

  /** Locked (FOR UPDATE on MySQL), after the trade-in and programme rows. */
  lock(em: EntityManager, id: number): Promise<ProgramOffer> {
    return em.getRepository(ProgramOffer).findOneOrFail({ where: { id }, lock: this.tx.lockMode() });
  }

  /** Marks the trade-in's pending offer (if any) superseded and returns it (the caller holds the trade-in's lock, under which offers change). */
  supersedePending(em: EntityManager, tradeInId: number): Promise<ProgramOffer[]> {
    return this.closePending(em, tradeInId, 'superseded');
  }

  /** Ends the trade-in's pending offers with `status` (superseded, withdrawn) and returns them; under the trade-in's lock, read locked. */
  async closePending(em: EntityManager, tradeInId: number, status: OfferStatus): Promise<ProgramOffer[]> {
    const pending = await em.getRepository(ProgramOffer).find({ where: { tradeInId, status: 'pending' }, lock: this.tx.lockMode() });
    if (pending.length) await em.getRepository(ProgramOffer).update({ tradeInId, status: 'pending' }, { status });
    return pending.map((o) => Object.assign(o, { status }));
  }

  /** The trade-in's latest revised offer (made at inspection), read locked, or null. */
  latestRevised(em: EntityManager, tradeInId: number): Promise<ProgramOffer | null> {
    return em.getRepository(ProgramOffer).findOne({ where: { tradeInId, kind: 'revised' }, order: { id: 'DESC' }, lock: this.tx.lockMode() });
  }

  /** The tenant's offer settings row, or null (defaults). */
  settings(em: EntityManager, tenantId: number): Promise<ProgramOfferSettings | null> {
    return em.getRepository(ProgramOfferSettings).findOneBy({ tenantId });
  }

  async saveSettings(em: EntityManager, row: ProgramOfferSettings): Promise<void> {
    await em.getRepository(ProgramOfferSettings).save(row);
  }

  insert(em: EntityManager, values: Omit<ProgramOffer, 'id'>): Promise<ProgramOffer> {
    return em.getRepository(ProgramOffer).save(em.getRepository(ProgramOffer).create(values));
  }

  /** Conditional on the offer still being pending; false when it was answered or replaced meanwhile. */
  async answer(em: EntityManager, o: Pick<ProgramOffer, 'id' | 'status' | 'declineReason' | 'respondedAt'>): Promise<boolean> {
    const answered = await em.getRepository(ProgramOffer).update({ id: o.id, status: 'pending' }, { status: o.status, declineReason: o.declineReason, respondedAt: o.respondedAt });
    return answered.affected === 1;
  }
}
