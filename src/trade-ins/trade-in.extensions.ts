import type { EntityManager, ObjectLiteral } from 'typeorm';
import { Violation } from '../common/errors';
import { ExtensionPoint } from '../common/extensions';
import type { ViewLeaf, ViewObject } from '../common/row-view';
import type { TradeIn, TradeInStatus } from './trade-in.entity';
import { TradeInStatusExtension, widenStatusVocabulary } from './trade-in.statuses';

export type { TradeInStatusExtension } from './trade-in.statuses';

/*
 * Where add-ons (the customer programme) plug into the trade-in core. The core never imports an
 * add-on: it declares these points, an add-on's module fills them (`Extensions.add`, see
 * common/extensions.ts), and the core runs with none filled.
 */

/** A requirement an extension adds, tested on the merged trade-in and the extension's facts (null when it has none for this trade-in). */
export interface ExtensionRequirement<F = unknown> {
  path: string;
  message: string;
  /** (A method: an extension's requirement over its own facts type fits the point's `unknown`.) */
  met(t: TradeIn, facts: F | null): boolean;
}

/**
 * Rules an add-on adds to the trade-in's writes. `facts` is read by the core inside the write's
 * transaction, after the trade-in row's lock (lock order: the trade-in first), and handed to
 * every hook below; for a move made by the add-on itself, the add-on passes its facts in
 * `TradeInsService.transition(…, { facts: { [name]: … } })` instead.
 */
export interface TradeInRules<F = unknown> {
  /** Key of the facts in `RequirementContext.facts` and `transition`'s options. */
  name: string;
  /** The add-on's row for this trade-in (locked FOR UPDATE when `lock`), or null. */
  facts(em: EntityManager, tenantId: number, tradeInId: number, lock: boolean): Promise<F | null>;
  /** Joins the vehicle requirements (every status from ready_for_appraisal on). */
  vehicle?: ExtensionRequirement<F>[];
  /** Added last to the requirements of entering these statuses. */
  entering?: Partial<Record<TradeInStatus, ExtensionRequirement<F>[]>>;
  /** Another way to meet a core requirement (by its path); the message replaces the core's and names both ways. */
  alternatives?: Record<string, { message: string; met(facts: F | null): boolean }>;
  /** A move the dealer API may not make on this trade-in: throws the ApiError to answer. */
  assertDealerMove?(facts: F, target: TradeInStatus): void;
  /** Violations of a dealer API change (values are the entity values the PATCH sets). */
  dealerPatchViolations?(facts: F, before: TradeIn, values: Partial<TradeIn>): Violation[];
  /** Throws the ApiError to answer when the dealer API may not delete this trade-in. */
  assertDealerRemove?(facts: F, t: TradeIn): void;
}

export const TRADE_IN_RULES = new ExtensionPoint<TradeInRules>('trade-in rules');

/**
 * A field an add-on adds to the trade-in representation (after the core fields), read from the
 * tables it joins. `field` gets the core's column reader (`alias.property` → a leaf converting the
 * stored value as TypeORM hydrates it).
 */
export interface TradeInViewField {
  /** `entity` is the joined entity class; `on` the join condition over property names (`program.tradeInId = t.id`). */
  joins: { alias: string; entity: new () => ObjectLiteral; on: string }[];
  field(column: (path: string) => ViewLeaf): ViewObject | ViewLeaf;
}

export const TRADE_IN_VIEW_FIELDS = new ExtensionPoint<TradeInViewField>('trade-in view fields');

/**
 * Statuses an add-on adds to the status machine (the programme's logistics: shipped, received,
 * inspected, completed), with their routes, moves, locks and requirements. Registering one also
 * widens the edge's vocabulary (OpenAPI enums, the `status` input and filter) before the document
 * is built; the machine of each application is built from the registered ones (TradeInRulesService).
 */
export const TRADE_IN_STATUSES = new ExtensionPoint<TradeInStatusExtension>('trade-in statuses', widenStatusVocabulary);
