import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../../config';
import { badRequest, ValidationFailed, Violation, violation } from '../../common/errors';
import { missing as notFoundRow } from '../../common/not-found';
import { ItemResult } from '../../common/responses';
import { PicturesService } from '../../pictures/pictures.service';
import type { Caller } from '../program.guard';
import { submissionId } from '../program.mapping';
import { ImageCheck } from './image-check';
import { ProgramPhoto } from './photo.entity';
import { PHOTO_STORAGE, PhotoStorage } from './photo.storage';
import { renderDealerPicture, renderPhoto, RenderedPhoto } from './photos.dto';
import { PhotosRepository } from './photos.repository';

/** The part of multer's file the programme reads (memory storage). */
export interface UploadedPhoto {
  buffer: Buffer;
  size: number;
}

/** The id under which a picture added on the dealer side appears in the programme's photo list. */
const DEALER_PICTURE = /^picture_([1-9][0-9]{0,9})$/;

/**
 * Photo uploads (bytes in the PhotoStorage, checked by decoding them), their delivery, and the
 * programme's photo list of a submission. The list IS the trade-in's gallery (PicturesService):
 * an attached photo is a trade-in picture, a picture added on the dealer side is an entry of the
 * list, and a picture removed on either side is gone from both — there is no second list to drift.
 */
@Injectable()
export class PhotosService {
  constructor(
    private readonly photos: PhotosRepository,
    private readonly pictures: PicturesService,
    private readonly images: ImageCheck,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
  ) {}

  private url(slug: string, publicId: string) {
    return `${this.config.publicBaseUrl}/api/${slug}/photos/${publicId}`;
  }

  render(slug: string, ph: ProgramPhoto): RenderedPhoto {
    return renderPhoto(this.url(slug, ph.publicId), ph);
  }

  /** The photo lists of several submissions, by trade-in id: their galleries, each picture as the upload it was or as a dealer-side picture. */
  async ofSubmissions(em: EntityManager, slug: string, tradeInIds: number[]): Promise<Map<number, RenderedPhoto[]>> {
    const out = new Map<number, RenderedPhoto[]>();
    if (!tradeInIds.length) return out;
    const galleries = await this.pictures.galleries(em, tradeInIds);
    const uploads = await this.photos.ofPictures(
      em,
      [...galleries.values()].flat().map((p) => p.id),
    );
    const byPicture = new Map(uploads.map((ph) => [ph.pictureId!, ph]));
    for (const [id, gallery] of galleries) {
      out.set(
        id,
        gallery.map((p) => {
          const ph = byPicture.get(p.id);
          return ph ? this.render(slug, ph) : renderDealerPicture(p);
        }),
      );
    }
    return out;
  }

  async upload(caller: Caller, file: UploadedPhoto | undefined, pictureType: unknown): Promise<ItemResult> {
    if (!file) throw badRequest('Send the image as a multipart/form-data file field named "photo".');
    let type: string | null = null;
    if (pictureType !== undefined && pictureType !== '') {
      if (typeof pictureType !== 'string' || !(await this.pictures.types()).has(pictureType)) {
        throw new ValidationFailed([violation('picture_type', `picture_type must be a picture type code (the angles of GET /api/${caller.tenant.slug}/photo-requirements)`, 'invalid_choice')]);
      }
      type = pictureType;
    }
    const { contentType } = await this.images.verify(file.buffer);
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
    // By its public id, the caller's own (a customer) or any of the tenant's (staff); one 404 for all three misses.
    const missing = notFoundRow('Photo', publicId.slice(0, 40));
    if (!/^photo_[A-Za-z0-9_-]{1,34}$/.test(publicId)) throw missing;
    const ph = await this.photos.find(caller.tenant.id, publicId);
    if (!ph || (caller.customer && ph.accountId !== caller.customer.accountId)) throw missing;
    const data = await this.storage.get(ph.storageKey);
    if (!data) throw missing;
    return { data, contentType: ph.contentType };
  }

  /**
   * Makes `wanted` the photo list of the submission (its trade-in's gallery): the caller's uploads
   * (`photo_…`, each becoming a picture) and pictures the trade-in already has (`picture_{id}`, kept);
   * every other picture is removed. Runs inside the caller's transaction, after the trade-in and
   * programme rows are locked (pictures are written only under the trade-in's lock).
   */
  async attach(em: EntityManager, caller: Caller, tradeInId: number, wanted: string[]): Promise<void> {
    const unique = [...new Set(wanted)];
    const uploadIds = unique.filter((w) => !DEALER_PICTURE.test(w));
    // Locked (after the trade-in and programme rows): a photo is attached to one submission only,
    // so the decision must see the photo as it is now, not as the transaction's snapshot shows it.
    const found = uploadIds.length ? await this.photos.lockOwned(em, caller.tenant.id, caller.customer!.accountId, uploadIds) : [];
    const byId = new Map(found.map((f) => [f.publicId, f]));
    const gallery = new Map(((await this.pictures.galleries(em, [tradeInId])).get(tradeInId) ?? []).map((p) => [p.id, p]));
    const attachedHere = (ph: ProgramPhoto) => ph.pictureId !== null && gallery.has(ph.pictureId);
    const violations: Violation[] = [];
    const types = new Set<string>();
    wanted.forEach((w, i) => {
      const dealer = DEALER_PICTURE.exec(w);
      let type: string | null = null;
      if (dealer) {
        const picture = gallery.get(Number(dealer[1]));
        if (!picture) violations.push(violation(`photos[${i}]`, `"${w}" is not a picture of this submission`, 'not_found'));
        else type = picture.pictureTypeCode;
      } else {
        const ph = byId.get(w);
        if (!ph) violations.push(violation(`photos[${i}]`, `photo "${w.slice(0, 40)}" was not found among your uploads (POST /api/${caller.tenant.slug}/photos)`, 'not_found'));
        else if (ph.pictureId !== null && !attachedHere(ph)) violations.push(violation(`photos[${i}]`, `photo "${w}" is already attached to ${submissionId(ph.tradeInId!)}`, 'already_attached'));
        else type = ph.pictureTypeCode;
      }
      if (type) {
        if (types.has(type)) violations.push(violation(`photos[${i}]`, `only one photo per angle: "${type}" is already in the list`, 'duplicate'));
        types.add(type);
      }
    });
    if (violations.length) throw new ValidationFailed(violations);
    const keep = new Set<number>();
    const toAttach: ProgramPhoto[] = [];
    for (const w of unique) {
      const dealer = DEALER_PICTURE.exec(w);
      if (dealer) keep.add(Number(dealer[1]));
      else {
        const ph = byId.get(w)!;
        if (attachedHere(ph)) keep.add(ph.pictureId!);
        else toAttach.push(ph);
      }
    }
    const added = await this.pictures.setGallery(
      em,
      { tenantId: caller.tenant.id, userId: caller.staff?.userId ?? null },
      tradeInId,
      keep,
      toAttach.map((ph) => ({ url: this.url(caller.tenant.slug, ph.publicId), type: ph.pictureTypeCode })),
    );
    for (const [i, ph] of toAttach.entries()) {
      // Conditional, as a second line of defence: only a photo that is still free is taken.
      if (!(await this.photos.take(em, ph.id, tradeInId, added[i]))) {
        throw new ValidationFailed([violation(`photos[${wanted.indexOf(ph.publicId)}]`, `photo "${ph.publicId}" is already attached to another submission`, 'already_attached')]);
      }
    }
  }
}
