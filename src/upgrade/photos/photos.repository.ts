import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { TxService } from '../../database/tx.service';
import { ProgramPhoto } from './photo.entity';
import { DEFAULT_PHOTO_REQUIREMENTS, PhotoRequirements } from './photo-requirements.entity';

/**
 * The SQL of uploaded photos and of the tenant's photo requirements. A photo is attached to a
 * submission exactly while the trade-in picture it became exists (`picture_id`, which the database
 * sets to NULL when the picture is deleted, by either API): the trade-in's pictures are the one list.
 */
@Injectable()
export class PhotosRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  /** Outside a transaction. */
  get manager(): EntityManager {
    return this.ds.manager;
  }

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

  /** The photos that became these pictures. */
  ofPictures(em: EntityManager, pictureIds: number[]): Promise<ProgramPhoto[]> {
    return pictureIds.length ? em.getRepository(ProgramPhoto).find({ where: { pictureId: In(pictureIds) } }) : Promise.resolve([]);
  }

  /** Conditional: only a photo that is free (no picture) is taken. False when another submission took it. */
  async take(em: EntityManager, photoId: number, tradeInId: number, pictureId: number): Promise<boolean> {
    const taken = await em.getRepository(ProgramPhoto).update({ id: photoId, pictureId: IsNull() }, { tradeInId, pictureId });
    return taken.affected === 1;
  }

  /** The tenant's photo requirements, or the default. */
  async requirements(em: EntityManager, tenantId: number): Promise<{ minCount: number; requiredAngles: string[]; updatedAt: Date | null }> {
    const row = await em.getRepository(PhotoRequirements).findOneBy({ tenantId });
    return row ? { minCount: row.minCount, requiredAngles: row.requiredAngles, updatedAt: row.updatedAt } : { ...DEFAULT_PHOTO_REQUIREMENTS, updatedAt: null };
  }

  /** Replaces the tenant's requirements: one row per tenant, written by an upsert on its key (two concurrent PUTs: the last wins, neither fails). */
  async saveRequirements(em: EntityManager, row: PhotoRequirements): Promise<void> {
    await em.getRepository(PhotoRequirements).upsert(row, ['tenantId']);
  }
}
