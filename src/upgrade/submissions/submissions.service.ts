import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CollectionSpec } from '../../common/collection';
import type { CollectionQuery } from '../../common/collection.decorator';
import { paginate } from '../../database/paginate';
import { badRequest, conflict, ValidationFailed, Violation, violation } from '../../common/errors';
import { CollectionResult, ItemResult } from '../../common/responses';
import { TxService } from '../../database/tx.service';
import { TradeIn, TradeInStatus } from '../../trade-ins/trade-in.entity';
import { TradeInsService } from '../../trade-ins/trade-ins.service';
import { renderOfferSummary } from '../offers/offers.dto';
import { ProgramOffer } from '../offers/offer.entity';
import { OffersRepository } from '../offers/offers.repository';
import { PhotosService } from '../photos/photos.service';
import { PhotoRequirementsService } from '../photos/photo-requirements.service';
import type { Caller } from '../program.guard';
import { parsePrefixed, PROGRAM_STATUS, PROGRAM_STATUSES, submissionId } from '../program.mapping';
import { QuotesService } from '../quotes/quotes.service';
import { Grade } from '../quotes/valuation.entity';
import { actorOf, isStaff, asProgramMove } from './program-fields';
import { renderSubmission, SubmissionInput, WithdrawInput } from './submissions.dto';
import { isoTimestamp } from '../../common/serialize';
import { OfferMaker } from '../offers/offer-maker';
import { OfferSettingsService } from '../offers/offer-settings.service';
import { SubmissionsRepository } from './submissions.repository';
import { TradeInProgram } from './trade-in-program.entity';
import { recordProgrammeEvent } from '../programme.events';
import { KitOrdersService } from '../shipping/kit-orders.service';

/** The submission list: no filter or order of the spec's own (the programme-status filter is read by the service), newest first. */
export const SUBMISSION_SPEC: CollectionSpec = { order: {}, defaultOrder: [['t.id', 'DESC']] };

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** Statuses a customer may withdraw from: before any offer was accepted. */
const WITHDRAWABLE: ReadonlySet<TradeInStatus> = new Set(['not_done', 'ready_for_appraisal', 'done', 'sent_to_customer']);

export interface Loaded {
  t: TradeIn;
  p: TradeInProgram;
}

/**
 * Submissions of the customer programme. A submission IS a trade-in (plus its trade_in_programs
 * row): it is created, changed and moved only through TradeInsService, i.e. the one status machine.
 */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly tx: TxService,
    private readonly submissions: SubmissionsRepository,
    private readonly tradeIns: TradeInsService,
    private readonly quotes: QuotesService,
    private readonly photos: PhotosService,
    private readonly photoRequirements: PhotoRequirementsService,
    private readonly offers: OffersRepository,
    private readonly settings: OfferSettingsService,
    private readonly maker: OfferMaker,
    private readonly kits: KitOrdersService,
  ) {}

  /**
   * The submission, for the caller. With `lock`, inside a write transaction: the trade-in row, then
   * its programme row, both locked (TradeInsService.lockRow: the lock order and why it comes first).
   */
  async load(em: EntityManager, caller: Caller, rawId: string, lock = false): Promise<Loaded> {
    const shownAs = rawId.slice(0, 20);
    const id = parsePrefixed(rawId, 'sub');
    if (!id) throw this.submissions.missing(shownAs);
    return this.submissions.findInTenantOrFail(em, caller.tenant.id, id, { lock, accountId: caller.customer?.accountId, shownAs });
  }

  /** Photos (rendered), the latest offer and the shipments of several submissions, a few queries for the lot; whether the caller sees the quote. */
  private async extras(em: EntityManager, caller: Caller, ids: number[]) {
    const photos = await this.photos.ofSubmissions(em, caller.tenant.slug, ids);
    const offers = new Map<number, ProgramOffer>();
    if (ids.length) for (const o of await this.offers.ofTradeIns(em, ids)) offers.set(o.tradeInId, o);
    const showQuote = isStaff(caller) || (await this.settings.of(em, caller.tenant.id)).quoteVisible;
    const shipments = await this.kits.viewsOf(em, caller.tenant, ids);
    return { photos, offers, showQuote, shipments };
  }

  private render(caller: Caller, t: TradeIn, p: TradeInProgram, extras: Awaited<ReturnType<SubmissionsService['extras']>>) {
    const offer = extras.offers.get(t.id);
    return renderSubmission(t, p, extras.photos.get(t.id) ?? [], offer ? renderOfferSummary(offer) : null, extras.showQuote, extras.shipments.get(t.id) ?? []);
  }

  /** The submission as it is now in `em`: the answer of a read or a write. */
  async result(em: EntityManager, caller: Caller, id: number, status?: number): Promise<ItemResult> {
    const { t, p } = await this.submissions.reread(em, caller.tenant.id, id);
    return new ItemResult(this.render(caller, t, p, await this.extras(em, caller, [id])), {
      status,
      location: status === 201 ? `/api/${caller.tenant.slug}/submissions/${submissionId(id)}` : undefined,
    });
  }

  /**
   * `q`: the request parsed against SUBMISSION_SPEC (`@Collection`: page, itemsPerPage, partial,
   * cursor; newest first). The `status` filter names programme statuses, each one or more trade-in
   * statuses (PROGRAM_STATUS), so it is read here rather than declared in the spec.
   */
  async list(caller: Caller, q: CollectionQuery): Promise<CollectionResult> {
    let statuses: TradeInStatus[] | undefined;
    const status = q.query.status;
    if (status !== undefined) {
      const wanted = ([] as unknown[]).concat(status);
      if (wanted.some((w) => typeof w !== 'string' || !(PROGRAM_STATUSES as readonly string[]).includes(w))) {
        throw badRequest(`The "status" filter must be one of ${PROGRAM_STATUSES.join(', ')}.`);
      }
      statuses = (Object.keys(PROGRAM_STATUS) as TradeInStatus[]).filter((s) => wanted.includes(PROGRAM_STATUS[s]));
    }
    // The shared paging (partial=true skips the count); the programme join is one-to-one, so LIMIT/OFFSET pages trade-ins.
    let extras: Awaited<ReturnType<SubmissionsService['extras']>>;
    return paginate(
      this.submissions.listQuery(caller.tenant.id, caller.customer?.accountId, statuses),
      q,
      'Submission',
      (t) => this.render(caller, t, (t as TradeIn & { program: TradeInProgram }).program, extras),
      async (rows) => {
        extras = await this.extras(
          this.submissions.manager,
          caller,
          rows.map((r) => r.id),
        );
      },
    );
  }

  async get(caller: Caller, rawId: string): Promise<ItemResult> {
    const { t } = await this.load(this.submissions.manager, caller, rawId);
    return this.result(this.submissions.manager, caller, t.id);
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
      if (input.location_id !== null && !(await this.submissions.locationExists(em, caller.tenant.id, input.location_id))) {
        violations.push(violation('location_id', `location ${input.location_id} does not exist`, 'not_found'));
      }
      t.dealershipId = input.location_id;
    }
    if (input.product_id !== undefined) {
      p.productId = input.product_id;
      const v = input.product_id ? await this.quotes.byProduct(em, caller.tenant.id, input.product_id) : null;
      if (v) {
        if (!t.vmMake) t.vmMake = v.make;
        if (!t.vmModel) t.vmModel = v.model;
      }
    }
    if (violations.length) throw new ValidationFailed(violations);
    return input.photos === null ? [] : input.photos;
  }

  /** A draft: the trade-in (through TradeInsService, the customer as its customer), its programme row, the quote, the photos. */
  async create(caller: Caller, input: SubmissionInput): Promise<ItemResult> {
    const customer = caller.customer!;
    return this.tx.run(async (em) => {
      const values: Partial<TradeIn> = {};
      const prog: Partial<TradeInProgram> = {};
      const photos = await this.apply(em, caller, input, values, prog);
      const t = await this.tradeIns.createDraft(em, actorOf(caller), { ...values, customerId: customer.customerId });
      const p: Partial<TradeInProgram> = {
        tradeInId: t.id,
        tenantId: caller.tenant.id,
        accountId: customer.accountId,
        productId: null,
        productCatalogued: false,
        serialNumber: null,
        conditionGrade: null,
        ...prog,
        createdAt: t.createdAt,
        updatedAt: t.createdAt,
      };
      await this.quotes.requote(em, caller.tenant.id, t, p as TradeInProgram);
      await this.submissions.insertProgram(em, p);
      await this.tradeIns.created(em, actorOf(caller), t.id);
      // After trade_in.created: attaching records trade_in.pictures_changed, which comes second in the trade-in's sequence.
      if (photos?.length) await this.photos.attach(em, caller, t.id, photos);
      return recordProgrammeEvent(em, caller, 'submission.created', await this.result(em, caller, t.id, 201), t.id);
    });
  }

  async update(caller: Caller, rawId: string, input: SubmissionInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, rawId, true);
      if (t.status !== 'not_done') throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}: only drafts can be changed.`);
      const values: Partial<TradeIn> = {};
      const photos = await this.apply(em, caller, input, values, p);
      const after = await this.tradeIns.update(em, actorOf(caller), t, values);
      await this.quotes.requote(em, caller.tenant.id, after, p);
      p.updatedAt = new Date();
      await this.submissions.saveProgram(em, p);
      if (photos !== undefined) await this.photos.attach(em, caller, t.id, photos);
      return recordProgrammeEvent(em, caller, 'submission.updated', await this.result(em, caller, t.id), t.id);
    });
  }

  /**
   * draft → submitted (not_done → ready_for_appraisal); the automatic quote is refreshed. Repeating it
   * is a no-op. What is missing — vehicle facts, condition, photos (the tenant's photo requirements) —
   * is answered in one 422. Where the tenant switched automatic offers on and there is a quote, the offer
   * (auto_offer_percent of the quote, kind `automatic`) is made at once: the submission answers offered.
   */
  async submit(caller: Caller, rawId: string): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, rawId, true);
      if (t.status === 'ready_for_appraisal') return this.result(em, caller, t.id);
      if (t.status !== 'not_done') throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; only drafts can be submitted.`);
      // Quoted first: whether the product is catalogued decides which vehicle facts the move needs.
      await this.quotes.requote(em, caller.tenant.id, t, p);
      const photos = await this.photoRequirements.unmet(em, caller.tenant.id, t.id);
      let submitted: TradeIn;
      try {
        submitted = await asProgramMove(() => this.tradeIns.transition(em, actorOf(caller), t, 'ready_for_appraisal', { program: p }));
      } catch (e) {
        if (e instanceof ValidationFailed && e.violations && photos.length) throw new ValidationFailed([...e.violations, ...photos]);
        throw e;
      }
      if (photos.length) throw new ValidationFailed(photos);
      p.updatedAt = new Date();
      await this.submissions.saveProgram(em, p);
      const result = await recordProgrammeEvent(em, caller, 'submission.submitted', await this.result(em, caller, t.id), t.id);
      const { autoOfferPercent } = await this.settings.of(em, caller.tenant.id);
      if (autoOfferPercent === null || p.quotedValue === null) return result;
      const amount = QuotesService.quote(p.quotedValue, autoOfferPercent);
      await this.maker.make(em, caller, submitted, p, { amount, notes: `Automatic offer: ${autoOfferPercent} % of the quote.`, expiresAt: null, kind: 'automatic', createdById: null });
      return this.result(em, caller, t.id);
    });
  }

  /**
   * The customer withdraws a submission they have not accepted an offer for (draft, submitted or
   * offered): pending offers are withdrawn, the trade-in goes to no_deal (customer_withdrew). Once
   * accepted the item is promised to the dealer: 409.
   */
  async withdraw(caller: Caller, rawId: string, input: WithdrawInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.load(em, caller, rawId, true);
      if (p.withdrawnAt) throw conflict(`Submission ${submissionId(t.id)} was already withdrawn at ${isoTimestamp(p.withdrawnAt)}.`);
      if (!WITHDRAWABLE.has(t.status)) {
        throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; only draft, submitted or offered submissions can be withdrawn (not after an offer was accepted).`);
      }
      await this.maker.withdrawPending(em, caller, t.id);
      await this.tradeIns.transition(em, actorOf(caller), t, 'no_deal', {
        program: p,
        reason: { rejectReason: 'customer_withdrew', rejectReasonMetaText: (input.reason ? `Withdrawn by the customer: ${input.reason}` : 'Withdrawn by the customer').slice(0, 1000) },
      });
      const now = new Date();
      Object.assign(p, { withdrawnAt: now, updatedAt: now });
      await this.submissions.saveProgram(em, p);
      return recordProgrammeEvent(em, caller, 'submission.withdrawn', await this.result(em, caller, t.id), t.id);
    });
  }
}
