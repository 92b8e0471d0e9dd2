import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { conflict } from '../../common/errors';
import { ItemResult } from '../../common/responses';
import { isoTimestamp } from '../../common/serialize';
import { validateObject } from '../../common/validation';
import { TxService } from '../../database/tx.service';
import { canMove } from '../../trade-ins/status-machine';
import { TradeIn, TradeInStatus } from '../../trade-ins/trade-in.entity';
import { TradeInsService } from '../../trade-ins/trade-ins.service';
import type { Caller } from '../program.guard';
import { PROGRAM_STATUS, submissionId } from '../program.mapping';
import { QuotesService } from '../quotes/quotes.service';
import { Grade } from '../quotes/valuation.entity';
import { actorOf, asProgramMove } from './program-fields';
import { CompleteInput, InspectInput } from './submissions.dto';
import { SubmissionsRepository } from './submissions.repository';
import { Loaded, SubmissionsService } from './submissions.service';
import { CreditType, ShippingMethod, TradeInProgram } from './trade-in-program.entity';
import { LOGISTICS_EVENTS, recordProgrammeEvent } from '../programme.events';

/** After the customer accepted: shipping, receipt, inspection and completion (the credit). */
@Injectable()
export class LogisticsService {
  constructor(
    private readonly tx: TxService,
    private readonly submissions: SubmissionsService,
    private readonly rows: SubmissionsRepository,
    private readonly tradeIns: TradeInsService,
    private readonly quotes: QuotesService,
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
   * grade found (QuotesService.requoteOffer).
   */
  async inspect(caller: Caller, rawId: string, body: unknown): Promise<ItemResult> {
    const input = validateObject(InspectInput, body ?? {});
    return this.move(caller, rawId, 'inspected', async (p, now, t, em) => {
      const grade = input.grade as Grade;
      p.inspectedGrade = grade;
      p.finalValue = input.final_value ?? (await this.quotes.requoteOffer(em, caller.tenant.id, t.purchasePrice ?? 0, p.conditionGrade, grade));
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
      const { t, p } = await this.submissions.load(em, caller, rawId, true);
      if (t.status === 'completed' || p.creditIssuedAt) throw conflict(`Submission ${submissionId(t.id)} is already completed: its credit was issued at ${isoTimestamp(p.creditIssuedAt)}.`);
      if (t.status !== 'inspected') throw conflict(`A trade-in in status "${t.status}" cannot move to "completed": inspect it first.`);
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
      return recordProgrammeEvent(em, caller, 'submission.credit_issued', await this.submissions.result(em, caller, t.id), t.id);
    });
  }

  private async move(caller: Caller, rawId: string, target: TradeInStatus, change: (p: TradeInProgram, now: Date, t: TradeIn, em: EntityManager) => void | Promise<void>) {
    return this.tx.run(async (em) => this.moveLoaded(em, caller, await this.submissions.load(em, caller, rawId, true), target, change));
  }

  private async moveLoaded(em: EntityManager, caller: Caller, { t, p }: Loaded, target: TradeInStatus, change: (p: TradeInProgram, now: Date, t: TradeIn, em: EntityManager) => void | Promise<void>) {
    if (t.status === target) throw conflict(`Submission ${submissionId(t.id)} is already ${PROGRAM_STATUS[target]}.`);
    if (!canMove(t.status, target)) throw conflict(`Submission ${submissionId(t.id)} is ${PROGRAM_STATUS[t.status]}; it cannot become ${PROGRAM_STATUS[target]}.`);
    const now = new Date();
    await change(p, now, t, em);
    p.updatedAt = now;
    await asProgramMove(() => this.tradeIns.transition(em, actorOf(caller), t, target, { program: p }));
    await this.rows.saveProgram(em, p);
    return recordProgrammeEvent(em, caller, LOGISTICS_EVENTS[target as keyof typeof LOGISTICS_EVENTS] ?? 'submission.updated', await this.submissions.result(em, caller, t.id), t.id);
  }
}
