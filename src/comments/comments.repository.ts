import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TradeInComment } from './comment.entity';

/** The SQL of a trade-in's comments; writes run in the caller's transaction (`em`). */
@Injectable()
export class CommentsRepository {
  constructor(private readonly ds: DataSource) {}

  all(tradeInId: number, em: EntityManager = this.ds.manager): Promise<TradeInComment[]> {
    return em.getRepository(TradeInComment).find({ where: { tradeInId }, relations: { createdBy: true }, order: { id: 'ASC' } });
  }

  one(tradeInId: number, id: number): Promise<TradeInComment | null> {
    return this.ds.getRepository(TradeInComment).findOne({ where: { id, tradeInId }, relations: { createdBy: true } });
  }

  async removeAll(em: EntityManager, tradeInId: number): Promise<void> {
    await em.getRepository(TradeInComment).delete({ tradeInId });
  }

  async insert(em: EntityManager, rows: Partial<TradeInComment>[]): Promise<void> {
    if (rows.length) await em.getRepository(TradeInComment).insert(rows);
  }
}
