import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { conflict } from '../../common/errors';
import { ItemResult } from '../../common/responses';
import { TradeIn } from '../../trade-ins/trade-in.entity';
import { TradeInsService } from '../../trade-ins/trade-ins.service';
import type { Caller } from '../program.guard';
import { PROGRAM_STATUS, submissionId } from '../program.mapping';
import { recordProgrammeEvent } from '../programme.events';
import { actorOf, asProgramMove } from '../submissions/program-fields';
import type { TradeInProgram } from '../submissions/trade-in-program.entity';
import { OfferKind, ProgramOffer } from './offer.entity';
import { renderOffer } from './offers.dto';
import { OffersRepository } from './offers.repository';
import { OfferSettingsService } from './offer-settings.service';

export interface NewOffer {
  amount: number;
  notes: string | null;
  /** null: now + the tenant's validity (auto offers: their own, if set). */
  expiresAt: Date | null;
  kind: OfferKind;
  createdById: number | null;
}

/**
 * Makes an offer on a submission whose trade-in and programme rows the caller locked: the pending
 * one (if any) superseded, an expiry always set, the event recorded. Staff and automatic offers
 * carry the trade-in through done to sent_to_customer (the amount becomes its purchasePrice);
 * a revised offer (after inspection) leaves it inspected — the caller set the price already.
 */
@Injectable()
export class OfferMaker {
  constructor(
    private readonly offers: OffersRepository,
    private readonly tradeIns: TradeInsService,
    private readonly settings: OfferSettingsService,
  ) {}

  async make(em: EntityManager, caller: Caller, t: TradeIn, p: TradeInProgram, offer: NewOffer): Promise<ProgramOffer> {
    const now = new Date();
    let expiresAt = offer.expiresAt;
    if (!expiresAt) {
      const s = await this.settings.of(em, caller.tenant.id);
      const days = offer.kind === 'automatic' ? (s.autoOfferValidityDays ?? s.offerValidityDays) : s.offerValidityDays;
      expiresAt = new Date(now.getTime() + days * 86_400_000);
    }
    // At most one pending offer: the new one, whatever the status (an UPDATE reads the rows as they are now; a 409 below rolls it back).
    for (const o of await this.offers.supersedePending(em, t.id)) await recordProgrammeEvent(em, caller, 'offer.superseded', new ItemResult(renderOffer(o, true)), t.id);
    if (offer.kind !== 'revised') await this.send(em, caller, t, p, offer.amount);
    const made = await this.offers.insert(em, {
      tenantId: caller.tenant.id,
      tradeInId: t.id,
      amount: offer.amount,
      notes: offer.notes,
      expiresAt,
      kind: offer.kind,
      status: 'pending',
      declineReason: null,
      respondedAt: null,
      quotedValue: p.quotedValue,
      createdAt: now,
      createdById: offer.createdById,
    });
    await recordProgrammeEvent(em, caller, offer.kind === 'revised' ? 'offer.revised' : 'offer.created', new ItemResult(renderOffer(made, true)), t.id);
    return made;
  }

  /** Ends the submission's pending offers as withdrawn (withdrawal, rejection), each with its event. */
  async withdrawPending(em: EntityManager, caller: Caller, tradeInId: number): Promise<void> {
    for (const o of await this.offers.closePending(em, tradeInId, 'withdrawn')) await recordProgrammeEvent(em, caller, 'offer.withdrawn', new ItemResult(renderOffer(o, true)), tradeInId);
  }

  /** submitted (ready_for_appraisal / done) or offered → sent_to_customer with the amount as purchasePrice. */
  private async send(em: EntityManager, caller: Caller, t: TradeIn, p: TradeInProgram, amount: number): Promise<void> {
    const actor = actorOf(caller);
    const values = { purchasePrice: amount };
    let current = t;
    if (t.status === 'sent_to_customer') {
      current = await this.tradeIns.transition(em, actor, current, 'done', { values, program: p });
    } else if (t.status === 'ready_for_appraisal') {
      current = await asProgramMove(() => this.tradeIns.transition(em, actor, current, 'done', { values, program: p }));
    } else if (t.status === 'done') {
      current = await this.tradeIns.update(em, actor, current, values);
    } else {
      throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; offers can be made on submitted or offered submissions.`);
    }
    await asProgramMove(() => this.tradeIns.transition(em, actor, current, 'sent_to_customer', { program: p }));
  }
}
