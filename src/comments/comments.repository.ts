import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantRepository } from '../database/tenant.repository';
import { TradeInComment } from './comment.entity';

/** The SQL of a trade-in's comments; writes run in the caller's transaction (`em`). */
@Injectable()
export class CommentsRepository extends TenantRepository<TradeInComment> {
  constructor(ds: DataSource) {
    super(ds, TradeInComment, 'Comment');
  }

  all(tradeInId: number, em: EntityManager = this.ds.manager): Promise<TradeInComment[]> {
    return em.getRepository(TradeInComment).find({ where: { tradeInId }, relations: { createdBy: true }, order: { id: 'ASC' } });
  }

  async removeAll(em: EntityManager, tradeInId: number): Promise<void> {
    await em.getRepository(TradeInComment).delete({ tradeInId });
  }

  async insert(em: EntityManager, rows: Partial<TradeInComment>[]): Promise<void> {
    if (rows.length) await em.getRepository(TradeInComment).insert(rows);
  }
}
