import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isoTimestamp } from '../../common/serialize';
import { ItemResult } from '../../common/responses';
import { ValidationFailed, Violation, violation } from '../../common/errors';
import { TxService } from '../../database/tx.service';
import { PicturesService } from '../../pictures/pictures.service';
import type { Caller } from '../program.guard';
import { PhotoRequirementsInput } from './photos.dto';
import { PhotosRepository } from './photos.repository';

/**
 * The tenant's photo requirements (angles and a minimum count), set by its admin, read by the
 * customer app, and checked when a submission is submitted against the submission's one photo
 * list (its trade-in's pictures, whichever API added them).
 */
@Injectable()
export class PhotoRequirementsService {
  constructor(
    private readonly tx: TxService,
    private readonly photos: PhotosRepository,
    private readonly pictures: PicturesService,
  ) {}

  private async view(em: EntityManager, tenantId: number) {
    const r = await this.photos.requirements(em, tenantId);
    const required = new Set(r.requiredAngles);
    const types = [...(await this.pictures.types()).values()];
    return {
      min_count: r.minCount,
      required_angles: types.filter((t) => required.has(t.code)).map((t) => t.code),
      angles: types.map((t) => ({ code: t.code, label: t.label, required: required.has(t.code) })),
      is_default: r.updatedAt === null,
      updated_at: isoTimestamp(r.updatedAt),
    };
  }

  async get(caller: Caller): Promise<ItemResult> {
    return new ItemResult(await this.view(this.photos.manager, caller.tenant.id));
  }

  /** Only the fields sent change. Unknown or repeated angles are 422, each named by its index. */
  async put(caller: Caller, input: PhotoRequirementsInput): Promise<ItemResult> {
    const types = await this.pictures.types();
    const violations: Violation[] = [];
    const seen = new Set<string>();
    (input.required_angles ?? []).forEach((code, i) => {
      if (!types.has(code)) violations.push(violation(`required_angles[${i}]`, `"${code.slice(0, 64)}" is not an angle; the angles are ${[...types.keys()].join(', ')}`, 'invalid_choice'));
      else if (seen.has(code)) violations.push(violation(`required_angles[${i}]`, `"${code}" is listed twice`, 'duplicate'));
      seen.add(code);
    });
    if (violations.length) throw new ValidationFailed(violations);
    return this.tx.run(async (em) => {
      const current = await this.photos.requirements(em, caller.tenant.id);
      await this.photos.saveRequirements(em, {
        tenantId: caller.tenant.id,
        minCount: input.min_count ?? current.minCount,
        requiredAngles: input.required_angles ?? current.requiredAngles,
        updatedAt: new Date(),
        updatedById: caller.staff?.userId ?? null,
      });
      return new ItemResult(await this.view(em, caller.tenant.id));
    });
  }

  /**
   * What the submission's photo list lacks, all at once: each missing angle (`photos.{angle}`) and
   * the shortfall in number (`photos`). The list is the trade-in's gallery, read after its lock.
   */
  async unmet(em: EntityManager, tenantId: number, tradeInId: number): Promise<Violation[]> {
    const r = await this.photos.requirements(em, tenantId);
    const gallery = (await this.pictures.galleries(em, [tradeInId])).get(tradeInId) ?? [];
    const types = await this.pictures.types();
    const present = new Set(gallery.map((p) => p.pictureTypeCode));
    const out: Violation[] = [];
    for (const angle of r.requiredAngles) {
      if (!present.has(angle))
        out.push(violation(`photos.${angle}`, `a photo of the angle "${angle}" (${types.get(angle)?.label ?? angle}) is required: upload it with picture_type "${angle}"`, 'required'));
    }
    if (gallery.length < r.minCount) {
      out.push(violation('photos', `at least ${r.minCount} photo${r.minCount === 1 ? ' is' : 's are'} required; the submission has ${gallery.length}`, 'too_short'));
    }
    return out;
  }
}
