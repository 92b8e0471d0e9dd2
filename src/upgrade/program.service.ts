import { Inject, Injectable } from '@nestjs/common';
import { iriOf } from '../common/iri';
import type { Request } from 'express';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../config';
import { fetchPage, parsePagination, readQuery } from '../common/collection';
import { badRequest, conflict, notFound, ValidationFailed, Violation, violation } from '../common/errors';
import { divRound, fromCents, toCents, toUnits } from '../common/money';
import { CollectionResult, ItemResult, ListResult } from '../common/responses';
import { isoTimestamp } from '../common/serialize';
import { validateObject } from '../common/validation';
import { EventType, recordEvent } from '../database/outbox';
import { TxService } from '../database/tx.service';
import { Location } from '../locations/location.entity';
import { TradeInPicture } from '../pictures/picture.entity';
import { PicturesService } from '../pictures/pictures.service';
import { TRADE_IN_STATUSES, TradeIn, TradeInStatus, TradeInStatusChange } from '../trade-ins/trade-in.entity';
import { canMove } from '../trade-ins/status-machine';
import { Actor, TradeInsService } from '../trade-ins/trade-ins.service';
import { PHOTO_STORAGE, PhotoStorage, sniffImage } from './photo.storage';
import type { Caller } from './program.guard';
import { CompleteInput, InspectInput, OfferInput, OfferResponseInput, ShipInput, SubmissionInput } from './program.dto';
import { ConditionModifier, CreditType, DEFAULT_MODIFIERS, Grade, GRADES, ProgramOffer, ProgramPhoto, ProgramValuation, ShippingMethod, TradeInProgram } from './program.entities';
import { offerId, parsePrefixed, PROGRAM_STATUS, PROGRAM_STATUSES, submissionId } from './program.mapping';

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** Requirement paths of the trade-in machine → the programme's field names. */
const FIELD_NAMES: Record<string, string> = {
  'vehicleModel.make': 'make',
  'vehicleModel.model': 'model',
  'vehicleModel.firstRegistrationDate': 'first_registration_date',
  'vehicleModel.mileage': 'mileage',
  'vehicleModel.regNr': 'serial_number',
  dealership: 'location_id',
  purchasePrice: 'amount',
  customer: 'customer',
  'program.conditionGrade': 'condition',
};

function renamed<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((e) => {
    if (e instanceof ValidationFailed && e.violations) {
      throw new ValidationFailed(
        e.violations.map((v) => {
          const name = FIELD_NAMES[v.propertyPath];
          return name ? { ...v, propertyPath: name, message: v.message.replace(v.propertyPath, name) } : v;
        }),
      );
    }
    throw e;
  });
}

const isStaff = (c: Caller) => !!c.staff;
/** The outbox event of each logistics step (see logistics()). */
const LOGISTICS_EVENTS = { shipped: 'submission.shipped', received: 'submission.received', inspected: 'submission.inspected' } as const;
const actorOf = (c: Caller): Actor => ({ tenantId: c.tenant.id, userId: c.staff?.userId ?? null });

interface Loaded {
  t: TradeIn;
  p: TradeInProgram;
}

/**
 * The customer-facing trade-in programme. A submission IS a trade-in (plus its trade_in_programs
 * row); every status change goes through TradeInsService.transition, i.e. the one status machine.
 */
@Injectable()
export class ProgramService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly tradeIns: TradeInsService,
    private readonly pictures: PicturesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
  ) {}

  // ------------------------------------------------------------ valuation and quotes

  async modifiers(em: EntityManager, tenantId: number): Promise<Record<Grade, number>> {
    const rows = await em.getRepository(ConditionModifier).findBy({ tenantId });
    const out = { ...DEFAULT_MODIFIERS };
    for (const r of rows) out[r.grade] = r.percent;
    return out;
  }

  /** The valuation for a product id, else the narrowest make/model/year match. */
  private async valuationFor(em: EntityManager, tenantId: number, v: { productId: string | null; make: string | null; model: string | null; year: number | null }) {
    if (v.productId) {
      const byProduct = await em.getRepository(ProgramValuation).findOneBy({ tenantId, productId: v.productId });
      if (byProduct) return byProduct;
    }
    if (!v.make || !v.model || !v.year) return null;
    return em
      .getRepository(ProgramValuation)
      .createQueryBuilder('v')
      .where('v.tenantId = :tenantId', { tenantId })
      .andWhere('LOWER(v.make) = :make AND LOWER(v.model) = :model', { make: v.make.toLowerCase(), model: v.model.toLowerCase() })
      .andWhere(':year BETWEEN v.yearFrom AND v.yearTo', { year: v.year })
      .orderBy('v.yearTo - v.yearFrom', 'ASC')
      .addOrderBy('v.id', 'DESC')
      .getOne();
  }

  /** base value × modifier% in exact cents, half up. */
  static quote(baseValue: number, percent: number): number {
    return fromCents(divRound(toCents(baseValue) * toUnits(percent, 2), 10000n));
  }

  private async requote(em: EntityManager, tenantId: number, t: TradeIn, p: TradeInProgram): Promise<void> {
    const year = t.vmFirstRegistrationDate ? Number(String(t.vmFirstRegistrationDate).slice(0, 4)) : null;
    const valuation = await this.valuationFor(em, tenantId, { productId: p.productId, make: t.vmMake, model: t.vmModel, year });
    p.valuationId = valuation?.id ?? null;
    p.quotedValue = valuation && p.conditionGrade ? ProgramService.quote(valuation.baseValue, (await this.modifiers(em, tenantId))[p.conditionGrade]) : null;
  }

  // ------------------------------------------------------------ loading and rendering

  /**
   * The submission, for the caller. With `lock`, inside a write transaction: the trade-in row, then
   * its programme row, both locked (TradeInsService.lockRow: the lock order and why it comes first).
   */
  private async load(em: EntityManager, caller: Caller, rawId: string, lock = false): Promise<Loaded> {
    const id = parsePrefixed(rawId, 'sub');
    const missing = notFound(`Submission ${rawId.slice(0, 20)} was not found.`);
    if (!id) throw missing;
    const tenantId = caller.tenant.id;
    const mode = lock ? this.tx.lockMode() : undefined;
    const t = await em.getRepository(TradeIn).findOne({ where: { id, tenantId }, lock: mode });
    const p = t ? await em.getRepository(TradeInProgram).findOne({ where: { tradeInId: id, tenantId }, lock: mode }) : null;
    if (!t || !p || (caller.customer && p.accountId !== caller.customer.accountId)) throw missing;
    return { t, p };
  }

  photoUrl(slug: string, publicId: string) {
    return `${this.config.publicBaseUrl}/api/${slug}/photos/${publicId}`;
  }

  private renderPhoto(slug: string, ph: ProgramPhoto) {
    return {
      id: ph.publicId,
      url: this.photoUrl(slug, ph.publicId),
      content_type: ph.contentType,
      size: ph.size,
      picture_type: ph.pictureTypeCode,
      submission_id: ph.tradeInId ? submissionId(ph.tradeInId) : null,
      created_at: isoTimestamp(ph.createdAt),
    };
  }

  private renderOfferSummary(o: ProgramOffer) {
    return { id: offerId(o.id), amount: o.amount, notes: o.notes, expires_at: isoTimestamp(o.expiresAt), status: o.status, expired: !!o.expiresAt && o.expiresAt.getTime() <= Date.now() };
  }

  private renderOffer(o: ProgramOffer, staff: boolean) {
    return {
      ...this.renderOfferSummary(o),
      submission_id: submissionId(o.tradeInId),
      decline_reason: o.declineReason,
      responded_at: isoTimestamp(o.respondedAt),
      quoted_value: staff ? o.quotedValue : null,
      created_at: isoTimestamp(o.createdAt),
    };
  }

  private renderSubmission(caller: Caller, t: TradeIn, p: TradeInProgram, photos: ProgramPhoto[], offer: ProgramOffer | null) {
    return {
      id: submissionId(t.id),
      trade_in: iriOf('trade-ins', t.id),
      status: PROGRAM_STATUS[t.status],
      trade_in_status: t.status,
      product_id: p.productId,
      serial_number: p.serialNumber,
      condition: p.conditionGrade,
      description: t.note,
      make: t.vmMake,
      model: t.vmModel,
      first_registration_date: t.vmFirstRegistrationDate,
      mileage: t.vmMileage,
      reg_nr: t.vmRegNr,
      vin: t.vmVinCode,
      asking_price: t.customerAskingPrice,
      photos: photos.map((ph) => this.renderPhoto(caller.tenant.slug, ph)),
      quoted_value: isStaff(caller) ? p.quotedValue : null,
      offer: offer ? this.renderOfferSummary(offer) : null,
      shipping_method: p.shippingMethod,
      carrier: p.carrier,
      tracking_number: p.trackingNumber,
      shipped_at: isoTimestamp(p.shippedAt),
      received_at: isoTimestamp(p.receivedAt),
      inspected_grade: p.inspectedGrade,
      final_value: p.finalValue,
      inspection_notes: p.inspectionNotes,
      inspected_at: isoTimestamp(p.inspectedAt),
      credit_type: p.creditType,
      credit_amount: p.creditAmount,
      credit_reference: p.creditReference,
      credit_issued_at: isoTimestamp(p.creditIssuedAt),
      created_at: isoTimestamp(t.createdAt),
      updated_at: isoTimestamp(t.updatedAt),
    };
  }

  /** Photos and the latest offer of several submissions, two queries for the lot. */
  private async extras(em: EntityManager, ids: number[]) {
    if (!ids.length) return { photos: new Map<number, ProgramPhoto[]>(), offers: new Map<number, ProgramOffer>() };
    const photos = new Map<number, ProgramPhoto[]>();
    for (const ph of await em.getRepository(ProgramPhoto).find({ where: { tradeInId: In(ids) }, order: { id: 'ASC' } })) {
      photos.set(ph.tradeInId!, [...(photos.get(ph.tradeInId!) ?? []), ph]);
    }
    const offers = new Map<number, ProgramOffer>();
    for (const o of await em.getRepository(ProgramOffer).find({ where: { tradeInId: In(ids) }, order: { id: 'ASC' } })) offers.set(o.tradeInId, o);
    return { photos, offers };
  }

  private async submissionResult(em: EntityManager, caller: Caller, id: number, status?: number): Promise<ItemResult> {
    const t = await em.getRepository(TradeIn).findOneByOrFail({ id, tenantId: caller.tenant.id });
    const p = await em.getRepository(TradeInProgram).findOneByOrFail({ tradeInId: id });
    const { photos, offers } = await this.extras(em, [id]);
    return new ItemResult(this.renderSubmission(caller, t, p, photos.get(id) ?? [], offers.get(id) ?? null), {
      status,
      location: status === 201 ? `/api/${caller.tenant.slug}/submissions/${submissionId(id)}` : undefined,
    });
  }

  // ------------------------------------------------------------ submissions

  async list(req: Request, caller: Caller): Promise<CollectionResult> {
    const q = readQuery(req);
    const pagination = parsePagination(q);
    const qb = this.ds.getRepository(TradeIn).createQueryBuilder('t').innerJoinAndSelect('t.program', 'program').where('t.tenantId = :tenantId', { tenantId: caller.tenant.id });
    if (caller.customer) qb.andWhere('program.accountId = :accountId', { accountId: caller.customer.accountId });
    if (q.status !== undefined) {
      const wanted = ([] as unknown[]).concat(q.status);
      const statuses = TRADE_IN_STATUSES.filter((s) => wanted.includes(PROGRAM_STATUS[s]));
      if (wanted.some((w) => typeof w !== 'string' || !(PROGRAM_STATUSES as readonly string[]).includes(w))) {
        throw badRequest(`The "status" filter must be one of ${PROGRAM_STATUSES.join(', ')}.`);
      }
      qb.andWhere('t.status IN (:...statuses)', { statuses });
    }
    qb.orderBy('t.id', 'DESC');
    // The shared paging (partial=true skips the count); the programme join is one-to-one, so LIMIT/OFFSET pages trade-ins.
    const { rows, total, hasNext } = await fetchPage(qb, pagination);
    const { photos, offers } = await this.extras(
      this.ds.manager,
      rows.map((r) => r.id),
    );
    const members = rows.map((t) => this.renderSubmission(caller, t, t.program!, photos.get(t.id) ?? [], offers.get(t.id) ?? null));
    return new CollectionResult('Submission', members, total, pagination, hasNext, q);
  }

  async get(caller: Caller, rawId: string): Promise<ItemResult> {
    const { t } = await this.load(this.ds.manager, caller, rawId);
    return this.submissionResult(this.ds.manager, caller, t.id);
  }

  /** Applies a submission body to the trade-in values and the programme row; returns the photo ids to attach (undefined = unchanged). */
  private async apply(em: EntityManager, caller: Caller, input: SubmissionInput, t: Partial<TradeIn>, p: Partial<TradeInProgram>) {
    const violations: Violation[] = [];
    if (input.description !== undefined) t.note = input.description;
    if (input.make !== undefined) t.vmMake = input.make;
    if (input.model !== undefined) t.vmModel = input.model;
    if (input.first_registration_date !== undefined) t.vmFirstRegistrationDate = input.first_registration_date;
    if (input.mileage !== undefined) t.vmMileage = input.mileage;
    if (input.reg_nr !== undefined) t.vmRegNr = input.reg_nr;
    if (input.asking_price !== undefined) t.customerAskingPrice = input.asking_price;
    if (input.condition !== undefined) p.conditionGrade = input.condition as Grade | null;
    if (input.serial_number !== undefined) {
      const serial = input.serial_number?.trim() || null;
      p.serialNumber = serial;
      t.vmVinCode = serial && VIN.test(serial.toUpperCase()) ? serial.toUpperCase() : null;
    }
    if (input.location_id !== undefined) {
      if (input.location_id !== null && !(await em.getRepository(Location).existsBy({ id: input.location_id, tenantId: caller.tenant.id }))) {
        violations.push(violation('location_id', `location ${input.location_id} does not exist`, 'not_found'));
      }
      t.dealershipId = input.location_id;
    }
    if (input.product_id !== undefined) {
      p.productId = input.product_id;
      const v = input.product_id ? await em.getRepository(ProgramValuation).findOneBy({ tenantId: caller.tenant.id, productId: input.product_id }) : null;
      if (v) {
        if (!t.vmMake) t.vmMake = v.make;
        if (!t.vmModel) t.vmModel = v.model;
      }
    }
    if (violations.length) throw new ValidationFailed(violations);
    return input.photos === null ? [] : input.photos;
  }

  /** Makes `wanted` (photo ids) the photos of the trade-in; each becomes an (untyped or typed) picture. */
  private async attachPhotos(em: EntityManager, caller: Caller, tradeInId: number, wanted: string[]) {
    const accountId = caller.customer!.accountId;
    const unique = [...new Set(wanted)];
    // Locked (after the trade-in and programme rows): a photo is attached to one submission only,
    // so the decision must see the photo as it is now, not as the transaction's snapshot shows it.
    const found = unique.length
      ? await em.getRepository(ProgramPhoto).find({ where: { publicId: In(unique), tenantId: caller.tenant.id, accountId }, order: { id: 'ASC' }, lock: this.tx.lockMode() })
      : [];
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
    const current = await em.getRepository(ProgramPhoto).find({ where: { tradeInId }, lock: this.tx.lockMode() });
    const keep = new Set(unique);
    for (const ph of current.filter((c) => !keep.has(c.publicId))) {
      await em.getRepository(ProgramPhoto).update({ id: ph.id }, { tradeInId: null, pictureId: null });
      if (ph.pictureId) await em.getRepository(TradeInPicture).delete({ id: ph.pictureId, tradeInId });
    }
    const now = new Date();
    for (const id of unique) {
      const ph = byId.get(id)!;
      if (ph.tradeInId === tradeInId) continue;
      const picture = await em.getRepository(TradeInPicture).insert({
        tenantId: caller.tenant.id,
        tradeInId,
        url: this.photoUrl(caller.tenant.slug, ph.publicId),
        pictureTypeCode: ph.pictureTypeCode,
        createdAt: now,
        createdById: null,
      });
      // Conditional, as a second line of defence: only a photo that is still free is taken.
      const taken = await em.getRepository(ProgramPhoto).update({ id: ph.id, tradeInId: IsNull() }, { tradeInId, pictureId: picture.identifiers[0].id as number });
      if (taken.affected !== 1) throw new ValidationFailed([violation(`photos[${wanted.indexOf(id)}]`, `photo "${id}" is already attached to another submission`, 'already_attached')]);
    }
  }

  async create(caller: Caller, body: unknown): Promise<ItemResult> {
    const input = validateObject(SubmissionInput, body);
    const customer = caller.customer!;
    return this.tx.run(async (em) => {
      const now = new Date();
      const values: Partial<TradeIn> = {};
      const prog: Partial<TradeInProgram> = {};
      const photos = await this.apply(em, caller, input, values, prog);
      const t = await em.getRepository(TradeIn).save(
        em.getRepository(TradeIn).create({
          tenantId: caller.tenant.id,
          status: 'not_done',
          priceExVat: false,
          isVatExempt: false,
          vmVehicleType: 'PC',
          customerId: customer.customerId,
          createdAt: now,
          createdById: null,
          updatedAt: now,
          updatedById: null,
          version: 1,
          ...values,
        } as TradeIn),
      );
      await em
        .getRepository(TradeInStatusChange)
        .insert({ tenantId: caller.tenant.id, tradeInId: t.id, fromStatus: null, toStatus: 'not_done', changedById: null, changedAt: now, rejectReason: null, rejectReasonMetaText: null });
      const p = em.getRepository(TradeInProgram).create({
        tradeInId: t.id,
        tenantId: caller.tenant.id,
        accountId: customer.accountId,
        productId: null,
        serialNumber: null,
        conditionGrade: null,
        ...prog,
        createdAt: now,
        updatedAt: now,
      });
      await this.requote(em, caller.tenant.id, t, p);
      await em.getRepository(TradeInProgram).insert(p);
      if (photos?.length) await this.attachPhotos(em, caller, t.id, photos);
      await this.tradeIns.created(em, caller.tenant.id, t.id);
      return this.recorded(em, caller, 'submission.created', await this.submissionResult(em, caller, t.id, 201), t.id);
    });
  }

  async update(caller: Caller, rawId: string, body: unknown): Promise<ItemResult> {
    const input = validateObject(SubmissionInput, body);
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, rawId, true);
      if (t.status !== 'not_done') throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}: only drafts can be changed.`);
      const values: Partial<TradeIn> = {};
      const photos = await this.apply(em, caller, input, values, p);
      const after = await this.tradeIns.update(em, actorOf(caller), t, values);
      await this.requote(em, caller.tenant.id, after, p);
      p.updatedAt = new Date();
      await em.getRepository(TradeInProgram).save(p);
      if (photos !== undefined) await this.attachPhotos(em, caller, t.id, photos);
      return this.recorded(em, caller, 'submission.updated', await this.submissionResult(em, caller, t.id), t.id);
    });
  }

  /** draft → submitted (not_done → ready_for_appraisal); the automatic quote is refreshed. Repeating it is a no-op. */
  async submit(caller: Caller, rawId: string): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, rawId, true);
      if (t.status === 'ready_for_appraisal') return this.submissionResult(em, caller, t.id);
      if (t.status !== 'not_done') throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; only drafts can be submitted.`);
      await renamed(() => this.tradeIns.transition(em, actorOf(caller), t, 'ready_for_appraisal', { program: p }));
      await this.requote(em, caller.tenant.id, t, p);
      p.updatedAt = new Date();
      await em.getRepository(TradeInProgram).save(p);
      return this.recorded(em, caller, 'submission.submitted', await this.submissionResult(em, caller, t.id), t.id);
    });
  }

  /** accepted → shipped: the shipping kit / return label is on its way, or the customer drops it off. */
  async ship(caller: Caller, rawId: string, body: unknown): Promise<ItemResult> {
    const input = validateObject(ShipInput, body ?? {});
    return this.logistics(caller, rawId, 'shipped', (p, now) => {
      p.shippingMethod = input.method as ShippingMethod;
      p.carrier = input.carrier ?? null;
      p.trackingNumber = input.tracking_number ?? null;
      p.shippedAt = now;
    });
  }

  async receive(caller: Caller, rawId: string): Promise<ItemResult> {
    return this.logistics(caller, rawId, 'received', (p, now) => {
      p.receivedAt = now;
    });
  }

  /**
   * received → inspected. The final value is the one given, else the accepted offer when the grade
   * is the declared one, else the offer re-quoted: offer × modifier(found grade) ÷ modifier(declared grade).
   */
  async inspect(caller: Caller, rawId: string, body: unknown): Promise<ItemResult> {
    const input = validateObject(InspectInput, body ?? {});
    return this.logistics(caller, rawId, 'inspected', async (p, now, t, em) => {
      const grade = input.grade as Grade;
      let finalValue = input.final_value ?? null;
      if (finalValue === null) {
        const offer = t.purchasePrice ?? 0;
        if (!p.conditionGrade || p.conditionGrade === grade) finalValue = offer;
        else {
          const mods = await this.modifiers(em, caller.tenant.id);
          const declared = toUnits(mods[p.conditionGrade], 2);
          finalValue = declared === 0n ? 0 : fromCents(divRound(toCents(offer) * toUnits(mods[grade], 2), declared));
        }
      }
      p.inspectedGrade = grade;
      p.finalValue = finalValue;
      p.inspectionNotes = input.notes ?? null;
      p.inspectedAt = now;
    });
  }

  /**
   * inspected → completed, issuing the credit (the final value) once and only once: the credit is
   * written by a conditional UPDATE (… WHERE credit_issued_at IS NULL) inside the transaction that
   * holds the trade-in's row lock, so a second completion — even a concurrent one — changes nothing and gets 409.
   */
  async complete(caller: Caller, rawId: string, body: unknown): Promise<ItemResult> {
    const input = validateObject(CompleteInput, body ?? {});
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, rawId, true);
      if (t.status === 'completed' || p.creditIssuedAt) throw conflict(`Submission ${submissionId(t.id)} is already completed: its credit was issued at ${isoTimestamp(p.creditIssuedAt)}.`);
      if (t.status !== 'inspected') throw conflict(`A trade-in in status "${t.status}" cannot move to "completed": inspect it first.`);
      const now = new Date();
      const issued = await em
        .createQueryBuilder()
        .update(TradeInProgram)
        .set({ creditType: input.credit_type as CreditType, creditAmount: p.finalValue, creditReference: input.reference ?? null, creditIssuedAt: now, updatedAt: now })
        .where('trade_in_id = :id AND credit_issued_at IS NULL', { id: t.id })
        .execute();
      if (issued.affected !== 1) throw conflict(`Submission ${submissionId(t.id)} is already completed.`);
      const after = await em.getRepository(TradeInProgram).findOneByOrFail({ tradeInId: t.id });
      await renamed(() => this.tradeIns.transition(em, actorOf(caller), t, 'completed', { program: after }));
      return this.recorded(em, caller, 'submission.credit_issued', await this.submissionResult(em, caller, t.id), t.id);
    });
  }

  private async logistics(caller: Caller, rawId: string, target: TradeInStatus, change: (p: TradeInProgram, now: Date, t: TradeIn, em: EntityManager) => void | Promise<void>) {
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, rawId, true);
      if (t.status === target) throw conflict(`Submission ${submissionId(t.id)} is already ${PROGRAM_STATUS[target]}.`);
      if (!canMove(t.status, target)) throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; it cannot become ${PROGRAM_STATUS[target]}.`);
      const now = new Date();
      await change(p, now, t, em);
      p.updatedAt = now;
      await renamed(() => this.tradeIns.transition(em, actorOf(caller), t, target, { program: p }));
      await em.getRepository(TradeInProgram).save(p);
      return this.recorded(em, caller, LOGISTICS_EVENTS[target as keyof typeof LOGISTICS_EVENTS] ?? 'submission.updated', await this.submissionResult(em, caller, t.id), t.id);
    });
  }

  /** The outbox event of a programme write (database/outbox.ts), in its transaction; passes the result through. */
  private async recorded(em: EntityManager, caller: Caller, type: EventType, result: ItemResult, tradeInId: number): Promise<ItemResult> {
    const offer = type.startsWith('offer.');
    const subject = offer ? `/api/${caller.tenant.slug}/offers/${(result.item as { id: string }).id}` : `/api/${caller.tenant.slug}/submissions/${submissionId(tradeInId)}`;
    await recordEvent(em, caller.tenant.id, type, subject, offer ? { offer: result.item } : { submission: result.item }, tradeInId);
    return result;
  }

  // ------------------------------------------------------------ offers

  /**
   * Staff make an offer on a submitted (ready_for_appraisal / done) or offered submission: the amount
   * becomes purchasePrice and the trade-in moves through done to sent_to_customer. A new offer on an
   * offered submission supersedes the pending one (sent_to_customer → done → sent_to_customer).
   */
  async createOffer(caller: Caller, body: unknown): Promise<ItemResult> {
    const input = validateObject(OfferInput, body);
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, String(input.submission_id), true);
      const actor = actorOf(caller);
      const values = { purchasePrice: input.amount };
      let current = t;
      // At most one pending offer: the new one, whatever the status (an UPDATE reads the rows as they are now; a 409 below rolls it back).
      const superseded = await em.getRepository(ProgramOffer).findBy({ tradeInId: t.id, status: 'pending' });
      await em.getRepository(ProgramOffer).update({ tradeInId: t.id, status: 'pending' }, { status: 'superseded' });
      for (const o of superseded) await this.recorded(em, caller, 'offer.superseded', new ItemResult(this.renderOffer(Object.assign(o, { status: 'superseded' }), true)), t.id);
      if (t.status === 'sent_to_customer') {
        current = await this.tradeIns.transition(em, actor, current, 'done', { values, program: p });
      } else if (t.status === 'ready_for_appraisal') {
        current = await renamed(() => this.tradeIns.transition(em, actor, current, 'done', { values, program: p }));
      } else if (t.status === 'done') {
        current = await this.tradeIns.update(em, actor, current, values);
      } else {
        throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; offers can be made on submitted or offered submissions.`);
      }
      await renamed(() => this.tradeIns.transition(em, actor, current, 'sent_to_customer', { program: p }));
      const offer = await em.getRepository(ProgramOffer).save(
        em.getRepository(ProgramOffer).create({
          tenantId: caller.tenant.id,
          tradeInId: t.id,
          amount: input.amount,
          notes: input.notes ?? null,
          expiresAt: input.expires_at ? new Date(input.expires_at) : null,
          status: 'pending',
          declineReason: null,
          respondedAt: null,
          quotedValue: p.quotedValue,
          createdAt: new Date(),
          createdById: caller.staff!.userId,
        }),
      );
      return this.recorded(em, caller, 'offer.created', new ItemResult(this.renderOffer(offer, true), { status: 201, location: `/api/${caller.tenant.slug}/offers/${offerId(offer.id)}` }), t.id);
    });
  }

  private async findOffer(em: EntityManager, caller: Caller, rawId: string): Promise<ProgramOffer> {
    const id = parsePrefixed(rawId, 'off');
    const missing = notFound(`Offer ${rawId.slice(0, 20)} was not found.`);
    if (!id) throw missing;
    const o = await em.getRepository(ProgramOffer).findOneBy({ id, tenantId: caller.tenant.id });
    if (!o) throw missing;
    if (caller.customer) {
      const owner = await em.getRepository(TradeInProgram).findOneBy({ tradeInId: o.tradeInId, accountId: caller.customer.accountId });
      if (!owner) throw missing;
    }
    return o;
  }

  async listOffers(caller: Caller): Promise<ListResult> {
    const qb = this.ds.getRepository(ProgramOffer).createQueryBuilder('o').where('o.tenantId = :tenantId', { tenantId: caller.tenant.id });
    if (caller.customer) {
      qb.innerJoin(TradeInProgram, 'p', 'p.trade_in_id = o.trade_in_id').andWhere('p.account_id = :accountId', { accountId: caller.customer.accountId });
    }
    const rows = await qb.orderBy('o.id', 'DESC').limit(500).getMany();
    return new ListResult(
      'Offer',
      rows.map((o) => this.renderOffer(o, isStaff(caller))),
    );
  }

  async getOffer(caller: Caller, rawId: string): Promise<ItemResult> {
    return new ItemResult(this.renderOffer(await this.findOffer(this.ds.manager, caller, rawId), isStaff(caller)));
  }

  /**
   * The customer accepts (→ purchase_agreement; 409 once expired) or declines (→ no_deal, reason
   * recorded). Only the pending offer can be answered, and an acceptance only when it is the offer
   * the trade-in carries (its amount is the purchase price): the offer is read locked, after the
   * trade-in and programme rows, so a newer offer committed meanwhile is seen and wins.
   */
  async respond(caller: Caller, rawId: string, body: unknown): Promise<ItemResult> {
    const input = validateObject(OfferResponseInput, body);
    // Which submission the offer belongs to never changes: looked up before the transaction, whose first read is the lock.
    const found = await this.findOffer(this.ds.manager, caller, rawId);
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, String(found.tradeInId), true);
      const o = await em.getRepository(ProgramOffer).findOneOrFail({ where: { id: found.id }, lock: this.tx.lockMode() });
      if (o.status !== 'pending') throw conflict(`Offer ${offerId(o.id)} is ${o.status}; only a pending offer can be answered.`);
      const now = new Date();
      if (input.action === 'accept') {
        if (o.expiresAt && o.expiresAt.getTime() <= now.getTime()) throw conflict(`Offer ${offerId(o.id)} expired at ${isoTimestamp(o.expiresAt)} and can no longer be accepted.`);
        if (t.status !== 'sent_to_customer' || t.purchasePrice === null || toCents(t.purchasePrice) !== toCents(o.amount)) {
          throw conflict(`Offer ${offerId(o.id)} is not the offer submission ${submissionId(t.id)} currently carries; it can no longer be accepted.`);
        }
        await renamed(() => this.tradeIns.transition(em, actorOf(caller), t, 'purchase_agreement', { program: p }));
        o.status = 'accepted';
      } else {
        await this.tradeIns.transition(em, actorOf(caller), t, 'no_deal', {
          program: p,
          reason: { rejectReason: 'price_too_low', rejectReasonMetaText: input.reason ? `Offer declined by the customer: ${input.reason}`.slice(0, 1000) : 'Offer declined by the customer' },
        });
        o.status = 'declined';
        o.declineReason = input.reason ?? null;
      }
      o.respondedAt = now;
      const answered = await em.getRepository(ProgramOffer).update({ id: o.id, status: 'pending' }, { status: o.status, declineReason: o.declineReason, respondedAt: now });
      if (answered.affected !== 1) throw conflict(`Offer ${offerId(o.id)} was answered or replaced meanwhile.`);
      await this.recorded(em, caller, o.status === 'accepted' ? 'offer.accepted' : 'offer.declined', new ItemResult(this.renderOffer(o, true)), t.id);
      return new ItemResult(this.renderOffer(o, false));
    });
  }

  // ------------------------------------------------------------ photos

  async upload(caller: Caller, file: { buffer: Buffer; size: number } | undefined, pictureType: unknown): Promise<ItemResult> {
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
      const ph = await this.ds.getRepository(ProgramPhoto).save(
        this.ds.getRepository(ProgramPhoto).create({
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
        }),
      );
      return new ItemResult(this.renderPhoto(caller.tenant.slug, ph), { status: 201, location: `/api/${caller.tenant.slug}/photos/${publicId}` });
    } catch (e) {
      await this.storage.delete(storageKey).catch(() => undefined);
      throw e;
    }
  }

  /** The bytes of a photo, for its owner or the tenant's staff. */
  async photo(caller: Caller, publicId: string): Promise<{ data: Buffer; contentType: string }> {
    const missing = notFound(`Photo ${publicId.slice(0, 40)} was not found.`);
    if (!/^photo_[A-Za-z0-9_-]{1,34}$/.test(publicId)) throw missing;
    const ph = await this.ds.getRepository(ProgramPhoto).findOneBy({ publicId, tenantId: caller.tenant.id });
    if (!ph || (caller.customer && ph.accountId !== caller.customer.accountId)) throw missing;
    const data = await this.storage.get(ph.storageKey);
    if (!data) throw missing;
    return { data, contentType: ph.contentType };
  }
}
