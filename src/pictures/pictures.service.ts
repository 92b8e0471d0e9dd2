import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/principal';
import { ValidationFailed, Violation } from '../common/errors';
import { knownOr404, missing } from '../common/not-found';
import { checkIfMatchTag, hasIfMatch, listTagOf } from '../common/etag';
import { iriOf, parseCodeIri } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { ItemResult, ListResult } from '../common/responses';
import { isoTimestamp } from '../common/serialize';
import { CheckedArray } from '../common/validation.pipe';
import { recordEvent } from '../database/outbox';
import { TxService } from '../database/tx.service';
import { TradeIn } from '../trade-ins/trade-in.entity';
import { TradeInsService } from '../trade-ins/trade-ins.service';
import { PictureInput } from './picture.dto';
import { PictureType, TradeInPicture } from './picture.entity';
import { PicturesRepository } from './pictures.repository';

export const MAX_PICTURES = 100;

export const serializePictureType = (t: PictureType) => ldNode('PictureType', { code: t.code, iri: iriOf('picture-types', t.code), label: t.label, position: t.position });

const serializePicture = (p: TradeInPicture, position: number) =>
  ldNode('Picture', {
    id: p.id,
    iri: `${iriOf('trade-ins', p.tradeInId)}/pictures/${p.id}`,
    url: p.url,
    pictureType: p.pictureTypeCode ? iriOf('picture-types', p.pictureTypeCode) : null,
    position,
    createdAt: isoTimestamp(p.createdAt),
  });

const index = (path: string) => Number(/^\[(\d+)\]/.exec(path)?.[1] ?? -1);

interface Wanted {
  url: string;
  type: string | null;
}

/**
 * The gallery of a trade-in. POST adds (a type already present is ignored), PATCH makes the body the
 * gallery. Each request is one transaction under the trade-in's row lock, so concurrent writers
 * cannot create two pictures of one type (the unique index backs this up).
 */
@Injectable()
export class PicturesService {
  private typeCache: Map<string, PictureType> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly tradeIns: TradeInsService,
    private readonly pictures: PicturesRepository,
  ) {}

  async types(): Promise<Map<string, PictureType>> {
    if (!this.typeCache) {
      const rows = await this.pictures.types();
      this.typeCache = new Map(rows.map((r) => [r.code, r]));
    }
    return this.typeCache;
  }

  async listTypes(): Promise<ListResult> {
    return new ListResult('PictureType', [...(await this.types()).values()].map(serializePictureType));
  }

  async getType(code: string): Promise<ItemResult> {
    return new ItemResult(serializePictureType(knownOr404((await this.types()).get(code), 'Picture type', code)));
  }

  /** Gallery order: typed pictures by their type's position, then untyped ones in upload order. */
  private async inGalleryOrder(rows: TradeInPicture[]): Promise<TradeInPicture[]> {
    const types = await this.types();
    const rank = (p: TradeInPicture) => (p.pictureTypeCode ? (types.get(p.pictureTypeCode)?.position ?? 0) : Number.MAX_SAFE_INTEGER);
    return rows.sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  }

  private async gallery(em: EntityManager, tradeInId: number): Promise<TradeInPicture[]> {
    return this.inGalleryOrder(await this.pictures.ofTradeIn(tradeInId, em));
  }

  // ------------------------------------------------ for another feature (the programme's photos), inside its transaction

  /** The galleries of several trade-ins, each in gallery order (one query for the lot). */
  async galleries(em: EntityManager, tradeInIds: number[]): Promise<Map<number, TradeInPicture[]>> {
    const out = new Map<number, TradeInPicture[]>();
    for (const p of await this.pictures.ofTradeIns(em, tradeInIds)) out.set(p.tradeInId, [...(out.get(p.tradeInId) ?? []), p]);
    for (const [id, rows] of out) out.set(id, await this.inGalleryOrder(rows));
    return out;
  }

  /**
   * Makes the gallery of a trade-in `keep` (ids of its pictures) plus `add`, under the trade-in's
   * lock held by the caller; returns the ids of the added pictures (in `add`'s order) and records
   * the `trade_in.pictures_changed` event when anything changed. Types must already be distinct
   * across the result (the unique index refuses two pictures of one type).
   */
  async setGallery(
    em: EntityManager,
    actor: { tenantId: number; userId: number | null },
    tradeInId: number,
    keep: ReadonlySet<number>,
    add: { url: string; type: string | null }[],
  ): Promise<number[]> {
    const existing = await this.pictures.ofTradeIn(tradeInId, em);
    const remove = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
    await this.pictures.remove(em, remove);
    const now = new Date();
    const added: number[] = [];
    for (const w of add) {
      added.push(await this.pictures.insertOne(em, { tenantId: actor.tenantId, tradeInId, url: w.url, pictureTypeCode: w.type, createdAt: now, createdById: actor.userId }));
    }
    if (remove.length || added.length) await this.recorded(em, actor.tenantId, tradeInId, await this.gallery(em, tradeInId));
    return added;
  }

  private render(rows: TradeInPicture[]): ListResult {
    const members = rows.map((p, i) => serializePicture(p, i + 1));
    return new ListResult('Picture', members, listTagOf(members));
  }

  /** `If-Match` against the gallery as it is under the trade-in's lock. */
  private async checkIfMatch(req: Request, em: EntityManager, tradeInId: number): Promise<void> {
    if (hasIfMatch(req)) checkIfMatchTag(req, this.render(await this.gallery(em, tradeInId)).etag!);
  }

  async list(p: Principal, tradeInId: number): Promise<ListResult> {
    await this.tradeIns.assertExists(this.ds.manager, p.tenantId, tradeInId);
    return this.render(await this.gallery(this.ds.manager, tradeInId));
  }

  async get(p: Principal, tradeInId: number, pictureId: number): Promise<ItemResult> {
    await this.tradeIns.assertExists(this.ds.manager, p.tenantId, tradeInId);
    const rows = await this.gallery(this.ds.manager, tradeInId);
    const i = rows.findIndex((r) => r.id === pictureId);
    if (i < 0) throw missing('Picture', pictureId, `trade-in ${tradeInId}`);
    return new ItemResult(serializePicture(rows[i], i + 1));
  }

  /** The array body checked at the edge (absolute http(s) URLs), and here its picture-type IRIs: every violation at once, by index. */
  private async parse(body: CheckedArray<PictureInput>): Promise<Wanted[]> {
    const { items } = body;
    const violations = [...body.violations];
    const types = await this.types();
    const wanted: Wanted[] = [];
    for (const [i, item] of items.entries()) {
      if (!item) continue;
      let type: string | null = null;
      if (item.pictureType !== undefined && item.pictureType !== null) {
        try {
          type = parseCodeIri(item.pictureType, 'picture-types', `[${i}].pictureType`);
          if (!types.has(type)) {
            violations.push({ propertyPath: `[${i}].pictureType`, message: `"${type}" is not a picture type; see /api/v3/picture-types.`, code: 'invalid_choice' });
          }
        } catch {
          violations.push({ propertyPath: `[${i}].pictureType`, message: 'pictureType must be the IRI of a picture type, e.g. /api/v3/picture-types/exterior_front', code: 'invalid_format' });
        }
      }
      wanted.push({ url: item.url, type });
    }
    if (violations.length) throw new ValidationFailed(violations.sort((a, b) => index(a.propertyPath) - index(b.propertyPath)));
    return wanted;
  }

  private assertUnlocked(t: Pick<TradeIn, 'status' | 'id'>): void {
    if (this.tradeIns.statuses.isLocked(t.status)) {
      throw new ValidationFailed([{ propertyPath: '', message: `Pictures cannot change while the trade-in is ${t.status}. ${this.tradeIns.statuses.reopenAdvice(t.status, t.id)}`, code: 'locked' }]);
    }
  }

  private insert(em: EntityManager, p: Principal, tradeInId: number, items: Wanted[], now: Date) {
    return this.pictures.insert(
      em,
      items.map((w) => ({ tenantId: p.tenantId, tradeInId, url: w.url, pictureTypeCode: w.type, createdAt: now, createdById: p.userId })),
    );
  }

  private tooMany(count: number) {
    return new ValidationFailed([{ propertyPath: '', message: `A trade-in holds at most ${MAX_PICTURES} pictures; this request would make ${count}.`, code: 'too_many' }]);
  }

  /** The outbox event of a gallery write, in its transaction. */
  private async recorded(em: EntityManager, tenantId: number, tradeInId: number, rows: TradeInPicture[]): Promise<TradeInPicture[]> {
    await recordEvent(em, tenantId, 'trade_in.pictures_changed', iriOf('trade-ins', tradeInId), { tradeIn: iriOf('trade-ins', tradeInId), pictures: this.render(rows).members }, tradeInId);
    return rows;
  }

  async add(req: Request, p: Principal, tradeInId: number, body: CheckedArray<PictureInput>): Promise<ListResult> {
    const wanted = await this.parse(body);
    const rows = await this.tx.run(async (em) => {
      this.assertUnlocked(await this.tradeIns.lockRow(em, p.tenantId, tradeInId));
      await this.checkIfMatch(req, em, tradeInId);
      const existing = await this.pictures.ofTradeIn(tradeInId, em);
      const present = new Set(existing.map((e) => e.pictureTypeCode).filter(Boolean));
      const added = wanted.filter((w) => {
        if (!w.type) return true;
        if (present.has(w.type)) return false; // a type already in the gallery is ignored, not replaced
        present.add(w.type);
        return true;
      });
      if (existing.length + added.length > MAX_PICTURES) throw this.tooMany(existing.length + added.length);
      await this.insert(em, p, tradeInId, added, new Date());
      return this.recorded(em, p.tenantId, tradeInId, await this.gallery(em, tradeInId));
    });
    return this.render(rows);
  }

  async replace(req: Request, p: Principal, tradeInId: number, body: CheckedArray<PictureInput>): Promise<ListResult> {
    const wanted = await this.parse(body);
    const seen = new Map<string, number>();
    const duplicates: Violation[] = [];
    for (const [i, w] of wanted.entries()) {
      if (!w.type) continue;
      if (seen.has(w.type)) {
        duplicates.push({ propertyPath: `[${i}].pictureType`, message: `Only one picture per type: "${w.type}" is already at index ${seen.get(w.type)}.`, code: 'duplicate' });
      } else seen.set(w.type, i);
    }
    if (duplicates.length) throw new ValidationFailed(duplicates);
    const rows = await this.tx.run(async (em) => {
      this.assertUnlocked(await this.tradeIns.lockRow(em, p.tenantId, tradeInId));
      await this.checkIfMatch(req, em, tradeInId);
      const existing = await this.pictures.ofTradeIn(tradeInId, em);
      // Unchanged pictures (same type and URL) keep their identity; the rest is removed or added.
      const keep = new Set<number>();
      const toAdd: Wanted[] = [];
      for (const w of wanted) {
        const same = existing.find((e) => !keep.has(e.id) && e.url === w.url && e.pictureTypeCode === w.type);
        if (same) keep.add(same.id);
        else toAdd.push(w);
      }
      const remove = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
      await this.pictures.remove(em, remove);
      await this.insert(em, p, tradeInId, toAdd, new Date());
      return this.recorded(em, p.tenantId, tradeInId, await this.gallery(em, tradeInId));
    });
    return this.render(rows);
  }
}
