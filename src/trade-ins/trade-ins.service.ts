import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, notFound, ValidationFailed, Violation } from '../common/errors';
import { checkIfMatch } from '../common/etag';
import { Extensions } from '../common/extensions';
import { iriOf } from '../common/iri';
import { Principal } from '../common/principal';
import { REFERENCE_CHECKS } from '../common/references';
import { ItemResult, RenderedRows } from '../common/responses';
import { IdempotencyService } from '../database/idempotency.service';
import { recordEvent } from '../database/outbox';
import { TxService } from '../database/tx.service';
import { StatusMachine, UNLOCKED_FIELDS } from './status-machine';
import { NoDealInput, TradeInInput } from './trade-in.dto';
import { TradeIn, TradeInStatus, TradeInStatusChange } from './trade-in.entity';
import { sameValue } from './trade-in.fields';
import { TRADE_IN_REFERENCE_CHECKS } from './trade-in.references';
import { Actor, RejectReasonInput, TradeInChanges } from './trade-in-changes.service';
import { TradeInInputService } from './trade-in-input.service';
import { TradeInQueries } from './trade-in-queries.service';
import { TradeInRulesService } from './trade-in-rules.service';
import { TradeInsRepository } from './trade-ins.repository';

export { TRADE_IN_SPEC } from './trade-in.collection';
export type { Actor } from './trade-in-changes.service';

/**
 * The one way a trade-in is created, changed, moved or removed, from either API: the dealer API's
 * writes here, and `createDraft` / `transition` / `update` / the locks for another feature inside
 * its own transaction. The work is split by responsibility: reads (TradeInQueries), body → values
 * (TradeInInputService), the status machine's rules with the add-ons' (TradeInRulesService), and
 * the row writes, history and events (TradeInChanges).
 */
@Injectable()
export class TradeInsService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly idempotency: IdempotencyService,
    private readonly tradeIns: TradeInsRepository,
    private readonly queries: TradeInQueries,
    private readonly input: TradeInInputService,
    private readonly rules: TradeInRulesService,
    private readonly changes: TradeInChanges,
    extensions: Extensions,
  ) {
    for (const check of TRADE_IN_REFERENCE_CHECKS) extensions.add(REFERENCE_CHECKS, check);
  }

  // ---------------------------------------------------------------- for other features

  /** The status machine with the add-ons' statuses (locks, moves, the way back to draft). */
  get statuses(): StatusMachine {
    return this.rules.machine;
  }

  /**
   * The bare row, locked FOR UPDATE on MySQL, inside a write transaction. Lock order, everywhere:
   * the trade-in, then its programme row, then its offers, then photos. The lock must be the
   * transaction's first read: MariaDB's REPEATABLE READ fixes a plain SELECT's snapshot at the first
   * plain read, so rows read plainly before the lock would be seen as they were before it.
   */
  lockRow(em: EntityManager, tenantId: number, id: number): Promise<TradeIn> {
    return this.tradeIns.findInTenantOrFail(em, tenantId, id, { lock: true });
  }

  /** What each rules extension holds for the trade-in (by its name), read after the trade-in row (and locked, inside a write). */
  lockFacts(em: EntityManager, tenantId: number, tradeInId: number, lock = true): Promise<Record<string, unknown>> {
    return this.rules.facts(em, tenantId, tradeInId, lock);
  }

  /** The trade-in's programme row (null for dealer-entered trade-ins, or without the programme), locked after the trade-in row. */
  async lockProgram(em: EntityManager, tenantId: number, tradeInId: number): Promise<unknown> {
    return (await this.lockFacts(em, tenantId, tradeInId)).program ?? null;
  }

  /** For sub-resources (pictures, comments, history): 404 unless the trade-in exists in the tenant. */
  assertExists(em: EntityManager, tenantId: number, id: number): Promise<void> {
    return this.tradeIns.existsInTenantOrFail(em, tenantId, id);
  }

  /** Records `trade_in.created` for a trade-in another part of the application inserted (the programme's submissions). */
  created(em: EntityManager, actor: Actor, id: number): Promise<void> {
    return this.changes.recordChange(em, actor.tenantId, id, actor, { fromStatus: null, toStatus: 'not_done' });
  }

  /**
   * A draft (not_done) trade-in created by another part of the application (the customer
   * programme), inside its transaction: the same defaults and first history row as POST
   * /trade-ins; the count cache hears the INSERT through insertRow. Later moves go through transition().
   */
  createDraft(em: EntityManager, actor: Actor, values: Partial<TradeIn>): Promise<TradeIn> {
    return this.changes.createDraft(em, actor, values);
  }

  /**
   * A status move made by another part of the application (the customer programme), inside its
   * transaction, on a row it locked: the same table, requirements, side effects and history.
   * `values` are trade-in fields set together with the move; `facts` what the rules extensions'
   * requirements should see (after the caller's changes), by extension name; `program` is short
   * for `facts.program`.
   */
  transition(
    em: EntityManager,
    actor: Actor,
    before: TradeIn,
    target: TradeInStatus,
    opts: { values?: Partial<TradeIn>; program?: unknown; facts?: Record<string, unknown>; reason?: RejectReasonInput } = {},
  ): Promise<TradeIn> {
    return this.changes.transition(em, actor, before, target, opts);
  }

  /** Writes field changes without a status move (same versioning as a PATCH). */
  update(em: EntityManager, actor: Actor, before: TradeIn, values: Partial<TradeIn>): Promise<TradeIn> {
    return this.changes.update(em, actor, before, values);
  }

  // ---------------------------------------------------------------- the dealer API's writes

  async create(req: Request, p: Principal, input: TradeInInput): Promise<ItemResult> {
    return this.idempotency.create(
      req,
      p,
      async (em) => {
        const violations: Violation[] = [];
        const changes = await this.input.collect(em, p.tenantId, input, violations);
        const now = new Date();
        const t = this.changes.newRow(p, now, changes.values);
        const target = changes.status ?? 'not_done';
        t.status = target;
        if (target !== 'not_done') violations.push(...this.rules.unmet(target, t, await this.rules.context(em, p.tenantId)));
        if (violations.length) throw new ValidationFailed(violations);
        if (this.statuses.isLocked(target)) this.changes.sign(t, p, now);
        await this.changes.insert(em, t, p, now);
        // The joined re-read is both the answer and the event's representation.
        const result = await this.queries.present(em, p.tenantId, t.id, null, 201);
        await this.changes.recordChange(em, p.tenantId, t.id, p, { fromStatus: null, toStatus: t.status }, result.item as RenderedRows);
        return { id: t.id, location: iriOf('trade-ins', t.id), result };
      },
      (id) => this.queries.present(this.ds.manager, p.tenantId, id, null, 201),
    );
  }

  async patch(req: Request, p: Principal, id: number, input: TradeInInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const before = await this.lockRow(em, p.tenantId, id);
      const facts = await this.lockFacts(em, p.tenantId, id);
      checkIfMatch(req, before.version);
      const violations: Violation[] = [];
      const changes = await this.input.collect(em, p.tenantId, input, violations);
      const target = changes.status ?? before.status;
      const moving = target !== before.status;
      if (moving && !this.statuses.canMove(before.status, target)) {
        throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
      }
      for (const { rules, facts: f } of this.rules.dealerRules(facts)) {
        if (moving) rules.assertDealerMove?.(f, target);
        violations.push(...(rules.dealerPatchViolations?.(f, before, changes.values) ?? []));
      }
      if (this.statuses.isLocked(before.status)) {
        for (const [path, prop] of changes.paths) {
          if (UNLOCKED_FIELDS.has(path)) continue;
          if (target === 'no_deal' && (prop === 'rejectReason' || prop === 'rejectReasonMetaText')) continue;
          if (!sameValue(before[prop], changes.values[prop])) {
            violations.push({
              propertyPath: path,
              message: `${path} cannot be changed while the trade-in is ${before.status}; only vehicleModel.vinCode can. ${this.statuses.reopenAdvice(before.status, id)}`,
              code: 'locked',
            });
          }
        }
      }
      const after = Object.assign(this.tradeIns.instance(before), changes.values);
      const now = new Date();
      let change: Partial<TradeInStatusChange> | null = null;
      if (moving) {
        violations.push(...this.rules.unmet(target, after, await this.rules.context(em, p.tenantId, id, facts)));
        change = this.changes.enter(after, target, p, now);
      }
      if (violations.length) throw new ValidationFailed(violations);
      await this.changes.persist(em, before, after, p, now, change);
      return this.queries.present(em, p.tenantId, id);
    });
  }

  /** `reason`: the no-deal move's body (StatusMoveBody), undefined for the other moves. */
  async changeStatus(req: Request, p: Principal, id: number, slug: string, reason: NoDealInput | undefined): Promise<ItemResult> {
    const target = this.statuses.bySlug(slug);
    if (!target) throw notFound(`Unknown status route "${slug.slice(0, 40)}". Use one of: ${Object.keys(this.statuses.slugs).join(', ')}.`);
    return this.tx.run(async (em) => {
      const before = await this.lockRow(em, p.tenantId, id);
      const facts = await this.lockFacts(em, p.tenantId, id);
      checkIfMatch(req, before.version);
      if (before.status === target) return this.queries.present(em, p.tenantId, id); // safe retry: no-op
      if (!this.statuses.canMove(before.status, target)) {
        throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
      }
      for (const { rules, facts: f } of this.rules.dealerRules(facts)) rules.assertDealerMove?.(f, target);
      const violations: Violation[] = [];
      const after = this.tradeIns.instance(before);
      const now = new Date();
      const rejectReason = reason ? await this.input.rejectReasonCode(em, reason.rejectReason, violations) : undefined;
      const change = this.changes.enter(after, target, p, now, reason && { rejectReason, rejectReasonMetaText: reason.rejectReasonMetaText });
      violations.push(...this.rules.unmet(target, after, await this.rules.context(em, p.tenantId, id, facts)));
      if (violations.length) throw new ValidationFailed(violations);
      await this.changes.persist(em, before, after, p, now, change);
      return this.queries.present(em, p.tenantId, id);
    });
  }

  async remove(req: Request, p: Principal, id: number): Promise<void> {
    await this.tx.run(async (em) => {
      const t = await this.lockRow(em, p.tenantId, id);
      const facts = await this.lockFacts(em, p.tenantId, id);
      checkIfMatch(req, t.version);
      for (const { rules, facts: f } of this.rules.dealerRules(facts)) rules.assertDealerRemove?.(f, t);
      await this.tradeIns.delete(em, p.tenantId, id);
      await recordEvent(em, p.tenantId, 'trade_in.deleted', iriOf('trade-ins', id), { tradeIn: { id, iri: iriOf('trade-ins', id) }, actor: iriOf('users', p.userId) }, id);
    });
  }
}
