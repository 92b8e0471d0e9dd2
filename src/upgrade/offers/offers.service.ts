import { Injectable } from '@nestjs/common';
import { conflict } from '../../common/errors';
import { toCents } from '../../common/money';
import { ItemResult, ListResult } from '../../common/responses';
import { isoTimestamp } from '../../common/serialize';
import { TxService } from '../../database/tx.service';
import { TradeInsService } from '../../trade-ins/trade-ins.service';
import type { Caller } from '../program.guard';
import { offerId, parsePrefixed, submissionId } from '../program.mapping';
import { actorOf, isStaff, asProgramMove } from '../submissions/program-fields';
import { SubmissionsService } from '../submissions/submissions.service';
import { ProgramOffer } from './offer.entity';
import { OfferInput, OfferResponseInput, renderOffer } from './offers.dto';
import { OffersRepository } from './offers.repository';
import { OfferMaker } from './offer-maker';
import { LogisticsService } from '../submissions/logistics.service';
import { recordProgrammeEvent } from '../programme.events';
import { ShippingService } from '../shipping/shipping.service';

/** Staff offers on submissions and the customer's answer; every move of the trade-in through TradeInsService. */
@Injectable()
export class OffersService {
  constructor(
    private readonly tx: TxService,
    private readonly offers: OffersRepository,
    private readonly submissions: SubmissionsService,
    private readonly tradeIns: TradeInsService,
    private readonly maker: OfferMaker,
    private readonly logistics: LogisticsService,
    private readonly shipping: ShippingService,
  ) {}

  /**
   * Staff make an offer on a submitted (ready_for_appraisal / done) or offered submission: the amount
   * becomes purchasePrice and the trade-in moves through done to sent_to_customer. A new offer on an
   * offered submission supersedes the pending one (sent_to_customer → done → sent_to_customer).
   */
  async createOffer(caller: Caller, input: OfferInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.submissions.load(em, caller, String(input.submission_id), true);
      const offer = await this.maker.make(em, caller, t, p, {
        amount: input.amount,
        notes: input.notes ?? null,
        expiresAt: input.expires_at ? new Date(input.expires_at) : null,
        kind: 'manual',
        createdById: caller.staff!.userId,
      });
      return new ItemResult(renderOffer(offer, true), { status: 201, location: `/api/${caller.tenant.slug}/offers/${offerId(offer.id)}` });
    });
  }

  private async find(caller: Caller, rawId: string): Promise<ProgramOffer> {
    const shownAs = rawId.slice(0, 20);
    const id = parsePrefixed(rawId, 'off');
    if (!id) throw this.offers.missing(shownAs);
    const o = await this.offers.findInTenantOrFail(this.offers.manager, caller.tenant.id, id, { shownAs });
    // A customer sees the offers of their own submissions; another's is the same 404.
    if (caller.customer && !(await this.offers.owns(o.tradeInId, caller.customer.accountId))) throw this.offers.missing(shownAs);
    return o;
  }

  async listOffers(caller: Caller): Promise<ListResult> {
    const rows = await this.offers.list(caller.tenant.id, caller.customer?.accountId);
    return new ListResult(
      'Offer',
      rows.map((o) => renderOffer(o, isStaff(caller))),
    );
  }

  async getOffer(caller: Caller, rawId: string): Promise<ItemResult> {
    return new ItemResult(renderOffer(await this.find(caller, rawId), isStaff(caller)));
  }

  /**
   * The customer accepts (→ purchase_agreement; 409 once expired) or declines (→ no_deal, reason
   * recorded). Only the pending offer can be answered, and an acceptance only when it is the offer
   * the trade-in carries (its amount is the purchase price): the offer is read locked, after the
   * trade-in and programme rows, so a newer offer committed meanwhile is seen and wins.
   *
   * A revised offer (after inspection): accepting it leaves the submission inspected and lets staff
   * complete it at that value; declining it ends the submission (no_deal) and requests the item's return.
   */
  async respond(caller: Caller, rawId: string, input: OfferResponseInput): Promise<ItemResult> {
    // Which submission the offer belongs to never changes: looked up before the transaction, whose first read is the lock.
    const found = await this.find(caller, rawId);
    return this.tx.run(async (em) => {
      const { t, p } = await this.submissions.load(em, caller, String(found.tradeInId), true);
      const o = await this.offers.lock(em, found.id);
      if (o.status !== 'pending') throw conflict(`Offer ${offerId(o.id)} is ${o.status}; only a pending offer can be answered.`);
      const now = new Date();
      const revised = o.kind === 'revised';
      const carried = t.status === (revised ? 'inspected' : 'sent_to_customer') && t.purchasePrice !== null && toCents(t.purchasePrice) === toCents(o.amount);
      if (input.action === 'accept') {
        if (o.expiresAt && o.expiresAt.getTime() <= now.getTime()) throw conflict(`Offer ${offerId(o.id)} expired at ${isoTimestamp(o.expiresAt)} and can no longer be accepted.`);
        if (!carried) throw conflict(`Offer ${offerId(o.id)} is not the offer submission ${submissionId(t.id)} currently carries; it can no longer be accepted.`);
        if (!revised) await asProgramMove(() => this.tradeIns.transition(em, actorOf(caller), t, 'purchase_agreement', { program: p }));
        o.status = 'accepted';
      } else {
        const said = revised ? 'Revised offer declined by the customer after inspection' : 'Offer declined by the customer';
        await this.tradeIns.transition(em, actorOf(caller), t, 'no_deal', {
          program: p,
          reason: { rejectReason: 'price_too_low', rejectReasonMetaText: (input.reason ? `${said}: ${input.reason}` : said).slice(0, 1000) },
        });
        o.status = 'declined';
        o.declineReason = input.reason ?? null;
      }
      o.respondedAt = now;
      if (!(await this.offers.answer(em, o))) throw conflict(`Offer ${offerId(o.id)} was answered or replaced meanwhile.`);
      await recordProgrammeEvent(em, caller, o.status === 'accepted' ? 'offer.accepted' : 'offer.declined', new ItemResult(renderOffer(o, true)), t.id);
      if (revised && o.status === 'declined') await this.logistics.requestReturn(em, caller, t.id, p, input.reason ? `Revised offer declined: ${input.reason}` : 'Revised offer declined');
      // The shipping kit is ordered with the (first) acceptance, from the customer's profile address (or waits for it).
      if (o.status === 'accepted' && !revised) await this.shipping.orderKit(em, caller, t.id, p.accountId);
      return new ItemResult(renderOffer(o, false));
    });
  }
}
