import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { PictureType, TradeInPicture } from './picture.entity';

/** The SQL of the picture-type catalogue and of a trade-in's pictures; writes run in the caller's transaction (`em`). */
@Injectable()
export class PicturesRepository {
  constructor(private readonly ds: DataSource) {}

  types(): Promise<PictureType[]> {
    return this.ds.getRepository(PictureType).find({ order: { position: 'ASC' } });
  }

  /** In upload (id) order. */
  ofTradeIn(tradeInId: number, em: EntityManager = this.ds.manager): Promise<TradeInPicture[]> {
    return em.getRepository(TradeInPicture).find({ where: { tradeInId }, order: { id: 'ASC' } });
  }

  /** The pictures of several trade-ins, in upload (id) order. */
  ofTradeIns(em: EntityManager, tradeInIds: number[]): Promise<TradeInPicture[]> {
    return tradeInIds.length ? em.getRepository(TradeInPicture).find({ where: { tradeInId: In(tradeInIds) }, order: { id: 'ASC' } }) : Promise.resolve([]);
  }

  /** One picture; its id. */
  async insertOne(em: EntityManager, row: Partial<TradeInPicture>): Promise<number> {
    const inserted = await em.getRepository(TradeInPicture).insert(row);
    return inserted.identifiers[0].id as number;
  }

  async insert(em: EntityManager, rows: Partial<TradeInPicture>[]): Promise<void> {
    if (rows.length) await em.getRepository(TradeInPicture).insert(rows);
  }

  async remove(em: EntityManager, ids: number[]): Promise<void> {
    if (ids.length) await em.getRepository(TradeInPicture).delete(ids);
  }
}
