import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { TxService } from '../../database/tx.service';
import { TradeInPicture } from '../../pictures/picture.entity';
import { ProgramPhoto } from './photo.entity';

/** The SQL of uploaded photos and of the trade-in pictures they become when attached. */
@Injectable()
export class PhotosRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  insert(values: Omit<ProgramPhoto, 'id'>): Promise<ProgramPhoto> {
    return this.ds.getRepository(ProgramPhoto).save(this.ds.getRepository(ProgramPhoto).create(values));
  }

  find(tenantId: number, publicId: string): Promise<ProgramPhoto | null> {
    return this.ds.getRepository(ProgramPhoto).findOneBy({ publicId, tenantId });
  }

  /** The account's photos among `publicIds`, locked (FOR UPDATE on MySQL), in id order. */
  lockOwned(em: EntityManager, tenantId: number, accountId: number, publicIds: string[]): Promise<ProgramPhoto[]> {
    return em.getRepository(ProgramPhoto).find({ where: { publicId: In(publicIds), tenantId, accountId }, order: { id: 'ASC' }, lock: this.tx.lockMode() });
  }

  /** The photos attached to a trade-in, locked. */
  lockAttached(em: EntityManager, tradeInId: number): Promise<ProgramPhoto[]> {
    return em.getRepository(ProgramPhoto).find({ where: { tradeInId }, lock: this.tx.lockMode() });
  }

  /** The photos of several trade-ins, in id order (one query for the lot). */
  ofTradeIns(em: EntityManager, tradeInIds: number[]): Promise<ProgramPhoto[]> {
    return em.getRepository(ProgramPhoto).find({ where: { tradeInId: In(tradeInIds) }, order: { id: 'ASC' } });
  }

  /** Frees a photo and removes the trade-in picture it had become. */
  async detach(em: EntityManager, ph: ProgramPhoto): Promise<void> {
    await em.getRepository(ProgramPhoto).update({ id: ph.id }, { tradeInId: null, pictureId: null });
    if (ph.pictureId && ph.tradeInId) await em.getRepository(TradeInPicture).delete({ id: ph.pictureId, tradeInId: ph.tradeInId });
  }

  /** Inserts the trade-in picture a photo becomes; its id. */
  async insertPicture(em: EntityManager, values: Pick<TradeInPicture, 'tenantId' | 'tradeInId' | 'url' | 'pictureTypeCode' | 'createdAt' | 'createdById'>): Promise<number> {
    const picture = await em.getRepository(TradeInPicture).insert(values);
    return picture.identifiers[0].id as number;
  }

  /** Conditional: only a photo that is still free is taken. False when another submission took it. */
  async take(em: EntityManager, photoId: number, tradeInId: number, pictureId: number): Promise<boolean> {
    const taken = await em.getRepository(ProgramPhoto).update({ id: photoId, tradeInId: IsNull() }, { tradeInId, pictureId });
    return taken.affected === 1;
  }
}
