import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { conflict, ValidationFailed } from '../common/errors';
import { iriOf } from '../common/iri';
import { RenderedRows } from '../common/responses';
import { recordEvent } from '../database/outbox';
import { TradeIn, TradeInStatus, TradeInStatusChange } from './trade-in.entity';
import { sameValue } from './trade-in.fields';
import { TradeInRulesService } from './trade-in-rules.service';
import { TradeInsRepository } from './trade-ins.repository';

/**
 * Who changes a trade-in: staff (a user), a customer acting through an add-on (the programme: its
 * dealer-side customer record, `customerId`), or a system job (`job`, its name). Recorded with
 * every move in the history.
 */
export interface Actor {
  tenantId: number;
  userId: number | null;
  customerId?: number | null;
  job?: string | null;
}

/** Who acted, as the history and the events show it. */
function actorDetail(p: Actor) {
  const c = actorColumns(p);
  return {
    kind: c.actorKind,
    user: p.userId === null ? null : iriOf('users', p.userId),
    customer: c.changedByCustomerId === null ? null : iriOf('customers', c.changedByCustomerId),
    job: c.actorJob,
  };
}

/** The kind of actor of a move, and its customer or job. */
export function actorColumns(p: Actor): Pick<TradeInStatusChange, 'actorKind' | 'changedByCustomerId' | 'actorJob'> {
  if (p.userId !== null) return { actorKind: 'user', changedByCustomerId: null, actorJob: null };
  if (p.customerId !== null && p.customerId !== undefined) return { actorKind: 'customer', changedByCustomerId: p.customerId, actorJob: null };
  return { actorKind: 'system', changedByCustomerId: null, actorJob: p.job ?? null };
}

/** What a no-deal move takes besides the target. */
export interface RejectReasonInput {
  rejectReason?: string | null;
  rejectReasonMetaText?: string | null;
}

/**
 * How a trade-in row is written and moved, whichever API asks: the defaults of a new row, the
 * side effects of entering a status, the versioned write of the changed columns, the history row
 * and the outbox event. The dealer API's handlers (TradeInsService) and other features (through
 * TradeInsService's `createDraft`, `transition`, `update`) both end here.
 */
@Injectable()
export class TradeInChanges {
  constructor(
    private readonly tradeIns: TradeInsRepository,
    private readonly rules: TradeInRulesService,
  ) {}

  /** A new trade-in's row (not yet written): the defaults, then `values`. */
  newRow(actor: Actor, now: Date, values: Partial<TradeIn>): TradeIn {
    return this.tradeIns.instance({
      tenantId: actor.tenantId,
      status: 'not_done',
      priceExVat: false,
      isVatExempt: false,
      vmVehicleType: 'PC',
      createdAt: now,
      createdById: actor.userId,
      updatedAt: now,
      updatedById: actor.userId,
      version: 1,
      ...values,
    });
  }

  /** A plain INSERT of a new row (no re-read of defaults: every value is set by newRow) and its first history row. */
  async insert(em: EntityManager, t: TradeIn, actor: Actor, now: Date): Promise<TradeIn> {
    t.id = await this.tradeIns.insert(em, t);
    await this.tradeIns.insertChange(em, this.statusChange(t, null, actor, now));
    return t;
  }

  /** Entering done (or being created past it) signs the appraisal report. */
  sign(t: TradeIn, p: Actor, now: Date): void {
    t.doneById = p.userId;
    t.reportSignedAt = now;
    t.reportSignedById = p.userId;
  }

  /** The history row for the trade-in's current status. */
  private statusChange(t: TradeIn, from: TradeInStatus | null, p: Actor, now: Date): Partial<TradeInStatusChange> {
    const noDeal = t.status === 'no_deal';
    return {
      tenantId: t.tenantId,
      tradeInId: t.id,
      fromStatus: from,
      toStatus: t.status,
      changedById: p.userId,
      ...actorColumns(p),
      changedAt: now,
      rejectReason: noDeal ? t.rejectReason : null,
      rejectReasonMetaText: noDeal ? t.rejectReasonMetaText : null,
    };
  }

  /** Side effects of entering a status; returns the history row to write. */
  enter(t: TradeIn, to: TradeInStatus, p: Actor, now: Date, reason?: RejectReasonInput): Partial<TradeInStatusChange> {
    const from = t.status;
    if (to === 'done') this.sign(t, p, now);
    if (to === 'not_done' && from === 'no_deal') {
      t.rejectReason = null;
      t.rejectReasonMetaText = null;
    }
    if (to === 'not_done' && this.rules.machine.isLocked(from)) {
      t.doneById = null;
      t.reportSignedAt = null;
      t.reportSignedById = null;
    }
    if (to === 'no_deal' && reason) {
      if (reason.rejectReason !== undefined) t.rejectReason = reason.rejectReason;
      if (reason.rejectReasonMetaText !== undefined) t.rejectReasonMetaText = reason.rejectReasonMetaText;
    }
    t.status = to;
    return this.statusChange(t, from, p, now);
  }

  /** Writes only the columns that differ, bumps the version, records the status change. */
  async persist(em: EntityManager, before: TradeIn, after: TradeIn, p: Actor, now: Date, change: Partial<TradeInStatusChange> | null): Promise<boolean> {
    const diff: Record<string, unknown> = {};
    for (const c of this.tradeIns.columns) {
      const k = c as keyof TradeIn;
      if (!sameValue(before[k], after[k])) diff[c] = after[k];
    }
    if (Object.keys(diff).length === 0 && !change) return false;
    Object.assign(diff, { updatedAt: now, updatedById: p.userId, version: before.version + 1 });
    await this.tradeIns.update(em, p.tenantId, before.id, diff);
    Object.assign(after, { updatedAt: now, updatedById: p.userId, version: before.version + 1 });
    if (change) await this.tradeIns.insertChange(em, change);
    await this.recordChange(em, p.tenantId, before.id, p, change);
    return true;
  }

  /** The outbox event of a write (database/outbox.ts), in its transaction: the representation as of the change. */
  async recordChange(em: EntityManager, tenantId: number, id: number, actor: Actor, change: Partial<TradeInStatusChange> | null, rendered?: RenderedRows): Promise<void> {
    const tradeIn = (rendered ?? (await this.rendered(em, tenantId, id))).as(false)[0];
    const who = actor.userId === null ? null : iriOf('users', actor.userId);
    // `actor` stays the staff user's IRI (null otherwise); `actorDetail` tells a customer from a job, as the history does.
    const detail = actorDetail(actor);
    if (!change) await recordEvent(em, tenantId, 'trade_in.updated', iriOf('trade-ins', id), { tradeIn, actor: who, actorDetail: detail }, id);
    else
      await recordEvent(
        em,
        tenantId,
        change.fromStatus ? 'trade_in.status_changed' : 'trade_in.created',
        iriOf('trade-ins', id),
        { from: change.fromStatus, to: change.toStatus, actor: who, actorDetail: detail, tradeIn },
        id,
      );
  }

  private async rendered(em: EntityManager, tenantId: number, id: number): Promise<RenderedRows> {
    const { rows, view } = await this.tradeIns.rendered(em, tenantId, id, null);
    return new RenderedRows(rows, view);
  }

  /** A draft (not_done) trade-in made by another feature inside its transaction: POST /trade-ins' defaults and first history row. */
  async createDraft(em: EntityManager, actor: Actor, values: Partial<TradeIn>): Promise<TradeIn> {
    const now = new Date();
    return this.insert(em, this.newRow(actor, now, { ...values, status: 'not_done' }), actor, now);
  }

  /** A status move made by another feature inside its transaction, on a row it locked (see TradeInsService.transition). */
  async transition(
    em: EntityManager,
    actor: Actor,
    before: TradeIn,
    target: TradeInStatus,
    opts: { values?: Partial<TradeIn>; program?: unknown; facts?: Record<string, unknown>; reason?: RejectReasonInput } = {},
  ): Promise<TradeIn> {
    if (!this.rules.machine.canMove(before.status, target)) throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
    const after = Object.assign(this.tradeIns.instance(before), opts.values ?? {});
    const now = new Date();
    const change = this.enter(after, target, actor, now, opts.reason);
    const facts = opts.program === undefined ? opts.facts : { ...opts.facts, program: opts.program };
    const violations = this.rules.unmet(target, after, await this.rules.context(em, actor.tenantId, before.id, facts));
    if (violations.length) throw new ValidationFailed(violations);
    await this.persist(em, before, after, actor, now, change);
    return after;
  }

  /** Writes field changes without a status move (same versioning as a PATCH). */
  async update(em: EntityManager, actor: Actor, before: TradeIn, values: Partial<TradeIn>): Promise<TradeIn> {
    const after = Object.assign(this.tradeIns.instance(before), values);
    await this.persist(em, before, after, actor, new Date(), null);
    return after;
  }
}
