import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { conflict } from '../../common/errors';
import { ItemResult } from '../../common/responses';
import { isoTimestamp } from '../../common/serialize';
import { TxService } from '../../database/tx.service';
import { TradeIn, TradeInStatus } from '../../trade-ins/trade-in.entity';
import { TradeInsService } from '../../trade-ins/trade-ins.service';
import type { Caller } from '../program.guard';
import { offerId, PROGRAM_STATUS, submissionId } from '../program.mapping';
import { toCents } from '../../common/money';
import { CreditsService } from '../credits/credits.service';
import { OfferMaker } from '../offers/offer-maker';
import { OffersRepository } from '../offers/offers.repository';
import { QuotesService } from '../quotes/quotes.service';
import { Grade } from '../quotes/valuation.entity';
import { actorOf, asProgramMove } from './program-fields';
import { CompleteInput, InspectInput, RejectInput } from './submissions.dto';
import { SubmissionsRepository } from './submissions.repository';
import { Loaded, SubmissionsService } from './submissions.service';
import { CreditType, ShippingMethod, TradeInProgram } from './trade-in-program.entity';
import { LOGISTICS_EVENTS, recordProgrammeEvent } from '../programme.events';
import { KitOrdersService } from '../shipping/kit-orders.service';

/** Statuses staff can reject from, and those in which the item has left the customer (its return is then requested). */
const REJECTABLE: ReadonlySet<TradeInStatus> = new Set(['ready_for_appraisal', 'done', 'sent_to_customer', 'purchase_agreement', 'shipped', 'received', 'inspected']);
const ITEM_SENT: ReadonlySet<TradeInStatus> = new Set(['shipped', 'received', 'inspected']);

/** After the customer accepted: shipping, receipt, inspection and completion (the credit). */
@Injectable()
export class LogisticsService {
  constructor(
    private readonly tx: TxService,
    private readonly submissions: SubmissionsService,
    private readonly rows: SubmissionsRepository,
    private readonly tradeIns: TradeInsService,
    private readonly quotes: QuotesService,
    private readonly offers: OffersRepository,
    private readonly maker: OfferMaker,
    private readonly credits: CreditsService,
    private readonly kits: KitOrdersService,
  ) {}

  /**
   * accepted → shipped, inside the caller's transaction (the submission loaded locked): the item is on
   * its way (by the kit's or a printed label, as a carrier update or staff report it) or the customer
   * drops it off. The shipping routes (shipping/shipping.service.ts) decide who may say so.
   */
  async markShipped(em: EntityManager, caller: Caller, loaded: Loaded, shipment: { method: ShippingMethod; carrier: string | null; trackingNumber: string | null }): Promise<ItemResult> {
    return this.moveLoaded(em, caller, loaded, 'shipped', (p, now) => {
      p.shippingMethod = shipment.method;
      p.carrier = shipment.carrier;
      p.trackingNumber = shipment.trackingNumber;
      p.shippedAt = now;
    });
  }

  async receive(caller: Caller, rawId: string): Promise<ItemResult> {
    return this.move(caller, rawId, 'received', (p, now) => {
      p.receivedAt = now;
    });
  }

  /**
   * received → inspected. The final value is the one given, else the accepted offer re-quoted for the
   * grade found (QuotesService.requoteOffer). The dealer-side purchasePrice follows it (through the
   * trade-ins service, with the move), so the trade-in and the credit never disagree. A final value
   * below the accepted offer needs the customer's say: a revised offer (kind `revised`, with the
   * tenant's validity) goes to them, and completion waits for their acceptance.
   */
  async inspect(caller: Caller, rawId: string, input: InspectInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.submissions.load(em, caller, rawId, true);
      this.assertCanMove(t, 'inspected');
      const accepted = t.purchasePrice ?? 0;
      const grade = input.grade as Grade;
      const now = new Date();
      const finalValue = input.final_value ?? (await this.quotes.requoteOffer(em, caller.tenant.id, accepted, p.conditionGrade, grade));
      Object.assign(p, { inspectedGrade: grade, finalValue, inspectionNotes: input.notes ?? null, inspectedAt: now, updatedAt: now });
      const after = await asProgramMove(() => this.tradeIns.transition(em, actorOf(caller), t, 'inspected', { program: p, values: { purchasePrice: finalValue } }));
      await this.rows.saveProgram(em, p);
      if (toCents(finalValue) < toCents(accepted)) {
        const notes = `Inspection found the condition ${grade} (declared ${p.conditionGrade ?? 'none'}): the value is ${finalValue} instead of ${accepted}. Accept it, or decline and the item is returned to you.`;
        await this.maker.make(em, caller, after, p, {
          amount: finalValue,
          notes: (input.notes ? `${notes} ${input.notes}` : notes).slice(0, 1000),
          expiresAt: null,
          kind: 'revised',
          createdById: caller.staff?.userId ?? null,
        });
      }
      return recordProgrammeEvent(em, caller, 'submission.inspected', await this.submissions.result(em, caller, t.id), t.id);
    });
  }

  /**
   * inspected → completed, issuing the credit (the final value) once and only once: the credit is
   * written by a conditional UPDATE (… WHERE credit_issued_at IS NULL) inside the transaction that
   * holds the trade-in's row lock, so a second completion — even a concurrent one — changes nothing
   * and gets 409; the ledger's unique (trade_in_id, kind) key holds the same line in the ledger.
   * Refused while a revised offer waits for the customer, or when it ended unaccepted (expired).
   */
  async complete(caller: Caller, rawId: string, input: CompleteInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.submissions.load(em, caller, rawId, true);
      if (t.status === 'completed' || p.creditIssuedAt) throw conflict(`Submission ${submissionId(t.id)} is already completed: its credit was issued at ${isoTimestamp(p.creditIssuedAt)}.`);
      if (t.status !== 'inspected') throw conflict(`A trade-in in status "${t.status}" cannot move to "completed": inspect it first.`);
      const revised = await this.offers.latestRevised(em, t.id);
      if (revised?.status === 'pending') {
        throw conflict(
          `Submission ${submissionId(t.id)} waits for the customer's answer to the revised offer ${offerId(revised.id)} (${revised.amount}, open until ${isoTimestamp(revised.expiresAt)}); it can be completed once they accept it.`,
        );
      }
      if (revised && revised.status !== 'accepted') {
        throw conflict(
          `The revised offer ${offerId(revised.id)} of submission ${submissionId(t.id)} is ${revised.status}, not accepted: the credit cannot be issued. Reject the item (POST …/reject) to return it.`,
        );
      }
      const now = new Date();
      const after = await this.rows.issueCredit(em, t.id, {
        creditType: input.credit_type as CreditType,
        creditAmount: p.finalValue,
        creditReference: input.reference ?? null,
        creditIssuedAt: now,
        updatedAt: now,
      });
      if (!after) throw conflict(`Submission ${submissionId(t.id)} is already completed.`);
      await asProgramMove(() => this.tradeIns.transition(em, actorOf(caller), t, 'completed', { program: after }));
      await this.credits.issueForCompletion(em, caller, {
        accountId: p.accountId,
        tradeInId: t.id,
        amount: p.finalValue ?? 0,
        creditType: input.credit_type as CreditType,
        reference: input.reference ?? null,
      });
      return recordProgrammeEvent(em, caller, 'submission.credit_issued', await this.submissions.result(em, caller, t.id), t.id);
    });
  }

  /**
   * Staff reject the submission inside the programme, with a reason: pending offers are withdrawn,
   * the trade-in goes to no_deal (rejectReason as given, default vehicle_condition) and, once the
   * item is on its way or with the dealer (shipped, received, inspected), its return is requested;
   * before that (accepted) a kit order not yet shipped is cancelled.
   */
  async reject(caller: Caller, rawId: string, input: RejectInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const { t, p } = await this.submissions.load(em, caller, rawId, true);
      if (!REJECTABLE.has(t.status))
        throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; only submitted, offered, accepted, shipped, received or inspected submissions can be rejected.`);
      const holdsItem = ITEM_SENT.has(t.status);
      const kitOrdered = t.status === 'purchase_agreement';
      await this.maker.withdrawPending(em, caller, t.id);
      await this.tradeIns.transition(em, actorOf(caller), t, 'no_deal', {
        program: p,
        reason: { rejectReason: input.reject_reason ?? 'vehicle_condition', rejectReasonMetaText: `Rejected in the programme: ${input.reason}`.slice(0, 1000) },
      });
      p.updatedAt = new Date();
      await this.rows.saveProgram(em, p);
      if (holdsItem) await this.requestReturn(em, caller, t.id, p, `Rejected: ${input.reason}`);
      if (kitOrdered) await this.kits.cancelKit(em, caller.tenant.id, t.id);
      return recordProgrammeEvent(em, caller, 'submission.rejected', await this.submissions.result(em, caller, t.id), t.id);
    });
  }

  /**
   * The item goes back to the customer (a revised offer declined, or rejected by staff): recorded on
   * the programme row with its event, in the caller's transaction (rows locked by the caller).
   */
  async requestReturn(em: EntityManager, caller: Caller, tradeInId: number, p: TradeInProgram, reason: string): Promise<void> {
    const now = new Date();
    Object.assign(p, { returnRequestedAt: now, returnReason: reason.slice(0, 1000), updatedAt: now });
    await this.rows.saveProgram(em, p);
    // The return shipment: its label (facility → customer) at GET submissions/{id}/label?direction=return.
    await this.kits.createReturnShipment(em, caller.tenant, tradeInId, p.accountId);
    await recordProgrammeEvent(em, caller, 'submission.return_requested', await this.submissions.result(em, caller, tradeInId), tradeInId);
  }

  private assertCanMove(t: TradeIn, target: TradeInStatus): void {
    if (t.status === target) throw conflict(`Submission ${submissionId(t.id)} is already ${PROGRAM_STATUS[target]}.`);
    if (!this.tradeIns.statuses.canMove(t.status, target)) throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; it cannot become ${PROGRAM_STATUS[target]}.`);
  }

  private async move(caller: Caller, rawId: string, target: TradeInStatus, change: (p: TradeInProgram, now: Date, t: TradeIn, em: EntityManager) => void | Promise<void>) {
    return this.tx.run(async (em) => this.moveLoaded(em, caller, await this.submissions.load(em, caller, rawId, true), target, change));
  }

  private async moveLoaded(em: EntityManager, caller: Caller, { t, p }: Loaded, target: TradeInStatus, change: (p: TradeInProgram, now: Date, t: TradeIn, em: EntityManager) => void | Promise<void>) {
    this.assertCanMove(t, target);
    const now = new Date();
    await change(p, now, t, em);
    p.updatedAt = now;
    await asProgramMove(() => this.tradeIns.transition(em, actorOf(caller), t, target, { program: p }));
    await this.rows.saveProgram(em, p);
    return recordProgrammeEvent(em, caller, LOGISTICS_EVENTS[target as keyof typeof LOGISTICS_EVENTS] ?? 'submission.updated', await this.submissions.result(em, caller, t.id), t.id);
  }
}
