import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { missing } from '../../common/not-found';
import { TxService } from '../../database/tx.service';
import { Location } from '../../locations/location.entity';
import { TradeIn, TradeInStatus } from '../../trade-ins/trade-in.entity';
import { TradeInProgram } from './trade-in-program.entity';

/**
 * The SQL of submissions: reads of the trade-in a submission is (its writes go through
 * TradeInsService) and everything about its programme row.
 */
@Injectable()
export class SubmissionsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  /** Outside a transaction. */
  get manager(): EntityManager {
    return this.ds.manager;
  }

  /**
   * The trade-in and then its programme row; with `lock`, both locked (FOR UPDATE on MySQL), in that
   * order (TradeInsService.lockRow: the lock order and why it comes first).
   */
  async find(em: EntityManager, tenantId: number, id: number, lock: boolean): Promise<{ t: TradeIn | null; p: TradeInProgram | null }> {
    const mode = lock ? this.tx.lockMode() : undefined;
    const t = await em.getRepository(TradeIn).findOne({ where: { id, tenantId }, lock: mode });
    const p = t ? await em.getRepository(TradeInProgram).findOne({ where: { tradeInId: id, tenantId }, lock: mode }) : null;
    return { t, p };
  }

  /**
   * The one find-or-404 of a submission: the rows of `find`, or `Submission ${shownAs} was not found.`
   * when either is missing, or when `accountId` is given and the submission is another account's (the
   * same answer: other customers' ids are not revealed).
   */
  async findInTenantOrFail(em: EntityManager, tenantId: number, id: number, opts: { lock?: boolean; accountId?: number; shownAs: string }): Promise<{ t: TradeIn; p: TradeInProgram }> {
    const { t, p } = await this.find(em, tenantId, id, opts.lock ?? false);
    if (!t || !p || (opts.accountId !== undefined && p.accountId !== opts.accountId)) throw this.missing(opts.shownAs);
    return { t, p };
  }

  /** The 404 of a submission that is not there (`shownAs`: the id as the caller gave it). */
  missing(shownAs: string) {
    return missing('Submission', shownAs);
  }

  /** The same, for the answer of a write that just made them (they exist). */
  async reread(em: EntityManager, tenantId: number, id: number): Promise<{ t: TradeIn; p: TradeInProgram }> {
    const t = await em.getRepository(TradeIn).findOneByOrFail({ id, tenantId });
    const p = await em.getRepository(TradeInProgram).findOneByOrFail({ tradeInId: id });
    return { t, p };
  }

  /** The tenant's submissions (trade-ins joined with their programme row as `program`); a customer's own only. Unordered: SUBMISSION_SPEC orders it. */
  listQuery(tenantId: number, accountId: number | undefined, statuses: TradeInStatus[] | undefined): SelectQueryBuilder<TradeIn> {
    // TradeIn has no `program` relation (the core does not know the programme): the join maps the row onto it.
    const qb = this.ds
      .getRepository(TradeIn)
      .createQueryBuilder('t')
      .innerJoinAndMapOne('t.program', TradeInProgram, 'program', 'program.tradeInId = t.id')
      .where('t.tenantId = :tenantId', { tenantId });
    if (accountId !== undefined) qb.andWhere('program.accountId = :accountId', { accountId });
    if (statuses) qb.andWhere('t.status IN (:...statuses)', { statuses });
    return qb; // ordered by the collection's spec (newest first)
  }

  locationExists(em: EntityManager, tenantId: number, id: number): Promise<boolean> {
    return em.getRepository(Location).existsBy({ id, tenantId });
  }

  async insertProgram(em: EntityManager, p: Partial<TradeInProgram>): Promise<void> {
    await em.getRepository(TradeInProgram).insert(p);
  }

  async saveProgram(em: EntityManager, p: TradeInProgram): Promise<void> {
    await em.getRepository(TradeInProgram).save(p);
  }

  /**
   * Issues the credit by a conditional UPDATE (… WHERE credit_issued_at IS NULL): false when it was
   * issued already. Then the row as it is now.
   */
  async issueCredit(
    em: EntityManager,
    tradeInId: number,
    values: Pick<TradeInProgram, 'creditType' | 'creditAmount' | 'creditReference' | 'creditIssuedAt' | 'updatedAt'>,
  ): Promise<TradeInProgram | null> {
    const issued = await em.createQueryBuilder().update(TradeInProgram).set(values).where('trade_in_id = :id AND credit_issued_at IS NULL', { id: tradeInId }).execute();
    return issued.affected === 1 ? em.getRepository(TradeInProgram).findOneByOrFail({ tradeInId }) : null;
  }
}
