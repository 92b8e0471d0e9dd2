import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Violation } from '../common/errors';
import { Extensions } from '../common/extensions';
import { RequirementContext, StatusMachine } from './status-machine';
import { TRADE_IN_RULES, TRADE_IN_STATUSES, TRADE_IN_VIEW_FIELDS, TradeInRules } from './trade-in.extensions';
import { TradeIn, TradeInStatus } from './trade-in.entity';
import { TradeInsRepository } from './trade-ins.repository';

/**
 * The status machine with the add-ons' statuses and rules (trade-in.extensions.ts) and the facts
 * they read: what every move of a trade-in checks, from either API.
 */
@Injectable()
export class TradeInRulesService implements OnModuleInit {
  private rules: readonly TradeInRules[] = [];
  private statusMachine = new StatusMachine();

  constructor(
    private readonly tradeIns: TradeInsRepository,
    private readonly extensions: Extensions,
  ) {}

  /** After every module registered its extensions (common/extensions.ts, in constructors): the view, the statuses and the rules, once. */
  onModuleInit(): void {
    this.rules = this.extensions.all(TRADE_IN_RULES);
    this.statusMachine = new StatusMachine(this.extensions.all(TRADE_IN_STATUSES), this.rules);
    this.tradeIns.compile(this.extensions.all(TRADE_IN_VIEW_FIELDS));
  }

  /** What each rules extension holds for the trade-in (by its name), read after the trade-in row (and locked, inside a write). */
  async facts(em: EntityManager, tenantId: number, tradeInId: number, lock = true): Promise<Record<string, unknown>> {
    const facts: Record<string, unknown> = {};
    for (const r of this.rules) facts[r.name] = await r.facts(em, tenantId, tradeInId, lock);
    return facts;
  }

  /** The dealer API's hooks of the rules extensions that have facts for this trade-in. */
  dealerRules(facts: Record<string, unknown>): { rules: TradeInRules; facts: unknown }[] {
    return this.rules.flatMap((r) => (facts[r.name] === null || facts[r.name] === undefined ? [] : [{ rules: r, facts: facts[r.name] }]));
  }

  /** What the entry requirements read besides the trade-in; `facts` when the caller already holds them (locked), else read plainly. */
  async context(em: EntityManager, tenantId: number, tradeInId?: number, facts?: Record<string, unknown>): Promise<RequirementContext> {
    const locationCount = await this.tradeIns.locationCount(em, tenantId);
    const known = { ...(facts ?? {}) };
    for (const r of this.rules) if (!(r.name in known)) known[r.name] = tradeInId ? await r.facts(em, tenantId, tradeInId, false) : null;
    return { locationCount, facts: known };
  }

  /** The status machine: the core's statuses and moves with the add-ons'. */
  get machine(): StatusMachine {
    return this.statusMachine;
  }

  /** Every entry requirement of `target` the trade-in does not meet (the core's and the extensions'). */
  unmet(target: TradeInStatus, t: TradeIn, ctx: RequirementContext): Violation[] {
    return this.statusMachine.unmet(target, t, ctx);
  }
}
