import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../../config';
import { badRequest, notFound, ValidationFailed, Violation, violation } from '../../common/errors';
import { ItemResult } from '../../common/responses';
import { PicturesService } from '../../pictures/pictures.service';
import type { Caller } from '../program.guard';
import { submissionId } from '../program.mapping';
import { ProgramPhoto } from './photo.entity';
import { PHOTO_STORAGE, PhotoStorage, sniffImage } from './photo.storage';
import { renderPhoto } from './photos.dto';
import { PhotosRepository } from './photos.repository';

/** The part of multer's file the programme reads (memory storage). */
export interface UploadedPhoto {
  buffer: Buffer;
  size: number;
}

/** Photo uploads (bytes in the PhotoStorage), their delivery, and their attachment to submissions as trade-in pictures. */
@Injectable()
export class PhotosService {
  constructor(
    private readonly photos: PhotosRepository,
    private readonly pictures: PicturesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
  ) {}

  private url(slug: string, publicId: string) {
    return `${this.config.publicBaseUrl}/api/${slug}/photos/${publicId}`;
  }

  render(slug: string, ph: ProgramPhoto) {
    return renderPhoto(this.url(slug, ph.publicId), ph);
  }

  /** The photos of several submissions, by trade-in id. */
  async ofSubmissions(em: EntityManager, tradeInIds: number[]): Promise<Map<number, ProgramPhoto[]>> {
    const out = new Map<number, ProgramPhoto[]>();
    if (!tradeInIds.length) return out;
    for (const ph of await this.photos.ofTradeIns(em, tradeInIds)) out.set(ph.tradeInId!, [...(out.get(ph.tradeInId!) ?? []), ph]);
    return out;
  }

  async upload(caller: Caller, file: UploadedPhoto | undefined, pictureType: unknown): Promise<ItemResult> {
    if (!file) throw badRequest('Send the image as a multipart/form-data file field named "photo".');
    const contentType = sniffImage(file.buffer);
    if (!contentType) throw new ValidationFailed([violation('photo', 'photo must be a JPEG, PNG or WebP image (checked by its content)', 'invalid_format')]);
    let type: string | null = null;
    if (pictureType !== undefined && pictureType !== '') {
      if (typeof pictureType !== 'string' || !(await this.pictures.types()).has(pictureType)) {
        throw new ValidationFailed([violation('picture_type', 'picture_type must be a picture type code, see /api/v3/picture-types', 'invalid_choice')]);
      }
      type = pictureType;
    }
    const publicId = `photo_${randomBytes(12).toString('base64url')}`;
    const storageKey = `${caller.tenant.id}/${publicId}`;
    await this.storage.put(storageKey, file.buffer);
    try {
      const ph = await this.photos.insert({
        publicId,
        tenantId: caller.tenant.id,
        accountId: caller.customer!.accountId,
        tradeInId: null,
        pictureId: null,
        pictureTypeCode: type,
        storageKey,
        contentType,
        size: file.size,
        createdAt: new Date(),
      });
      return new ItemResult(this.render(caller.tenant.slug, ph), { status: 201, location: `/api/${caller.tenant.slug}/photos/${publicId}` });
    } catch (e) {
      await this.storage.delete(storageKey).catch(() => undefined);
      throw e;
    }
  }

  /** The bytes of a photo, for its owner or the tenant's staff. */
  async photo(caller: Caller, publicId: string): Promise<{ data: Buffer; contentType: string }> {
    const missing = notFound(`Photo ${publicId.slice(0, 40)} was not found.`);
    if (!/^photo_[A-Za-z0-9_-]{1,34}$/.test(publicId)) throw missing;
    const ph = await this.photos.find(caller.tenant.id, publicId);
    if (!ph || (caller.customer && ph.accountId !== caller.customer.accountId)) throw missing;
    const data = await this.storage.get(ph.storageKey);
    if (!data) throw missing;
    return { data, contentType: ph.contentType };
  }

  /**
   * Makes `wanted` (photo ids) the photos of the trade-in; each becomes an (untyped or typed) picture.
   * Runs inside the caller's transaction, after the trade-in and programme rows are locked.
   */
  async attach(em: EntityManager, caller: Caller, tradeInId: number, wanted: string[]): Promise<void> {
    const unique = [...new Set(wanted)];
    // Locked (after the trade-in and programme rows): a photo is attached to one submission only,
    // so the decision must see the photo as it is now, not as the transaction's snapshot shows it.
    const found = unique.length ? await this.photos.lockOwned(em, caller.tenant.id, caller.customer!.accountId, unique) : [];
    const byId = new Map(found.map((f) => [f.publicId, f]));
    const violations: Violation[] = [];
    const types = new Set<string>();
    wanted.forEach((w, i) => {
      const ph = byId.get(w);
      if (!ph) violations.push(violation(`photos[${i}]`, `photo "${w.slice(0, 40)}" was not found among your uploads (POST /api/${caller.tenant.slug}/photos)`, 'not_found'));
      else if (ph.tradeInId && ph.tradeInId !== tradeInId) violations.push(violation(`photos[${i}]`, `photo "${w}" is already attached to ${submissionId(ph.tradeInId)}`, 'already_attached'));
      else if (ph.pictureTypeCode) {
        if (types.has(ph.pictureTypeCode)) violations.push(violation(`photos[${i}]`, `only one photo per angle: "${ph.pictureTypeCode}" is already in the list`, 'duplicate'));
        types.add(ph.pictureTypeCode);
      }
    });
    if (violations.length) throw new ValidationFailed(violations);
    const keep = new Set(unique);
    for (const ph of (await this.photos.lockAttached(em, tradeInId)).filter((c) => !keep.has(c.publicId))) await this.photos.detach(em, ph);
    const now = new Date();
    for (const id of unique) {
      const ph = byId.get(id)!;
      if (ph.tradeInId === tradeInId) continue;
      const pictureId = await this.photos.insertPicture(em, {
        tenantId: caller.tenant.id,
        tradeInId,
        url: this.url(caller.tenant.slug, ph.publicId),
        pictureTypeCode: ph.pictureTypeCode,
        createdAt: now,
        createdById: null,
      });
      // Conditional, as a second line of defence: only a photo that is still free is taken.
      if (!(await this.photos.take(em, ph.id, tradeInId, pictureId))) {
        throw new ValidationFailed([violation(`photos[${wanted.indexOf(id)}]`, `photo "${id}" is already attached to another submission`, 'already_attached')]);
      }
    }
  }
}
