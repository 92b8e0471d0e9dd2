import { CORE_TRADE_IN_STATUSES, CoreTradeInStatus, TradeInStatus } from './trade-in.entity';

/**
 * Statuses an add-on adds to the trade-in status machine (the TRADE_IN_STATUSES point of
 * trade-in.extensions.ts): they come after the core's, in this order, with their status routes,
 * the moves into and out of them, whether they lock the trade-in, and the core status whose entry
 * requirements they keep (the add-on's own come through TRADE_IN_RULES' `entering`).
 */
export interface TradeInStatusExtension {
  /** The new statuses, in the machine's order (declare them in AddedTradeInStatuses too, for the type). */
  statuses: readonly TradeInStatus[];
  /** Their status routes: `PATCH /api/v3/trade-ins/{id}/status/{slug}`, slug → status. */
  slugs: Readonly<Record<string, TradeInStatus>>;
  /** Moves added, by the status they leave (a core status or a new one); a new status left by none is terminal. */
  moves: Readonly<Partial<Record<TradeInStatus, readonly TradeInStatus[]>>>;
  /** The new statuses that lock the trade-in (only vehicleModel.vinCode may change). */
  locked: readonly TradeInStatus[];
  /** For each new status, the core status whose entry requirements it has too. */
  requirementsOf: Readonly<Partial<Record<TradeInStatus, CoreTradeInStatus>>>;
}

/** The core's status routes, slug → status (they differ from the entity values, as the seed warns). */
export const CORE_STATUS_SLUGS: Readonly<Record<string, CoreTradeInStatus>> = {
  draft: 'not_done',
  'ready-for-appraisal': 'ready_for_appraisal',
  done: 'done',
  'sent-to-customer': 'sent_to_customer',
  'purchase-agreement': 'purchase_agreement',
  'no-deal': 'no_deal',
};

/*
 * The vocabulary the edge declares at import time: the OpenAPI enums (decorators keep these arrays
 * by reference), the `status` check of TradeInInput and the list's `status` filter. The core's at
 * first; each registered TradeInStatusExtension appends its own (trade-in.extensions.ts, when the
 * add-on's module registers it, before the document is built). The machine itself is built per
 * application from the registered extensions (StatusMachine, TradeInRulesService).
 */

/** Every status, in the machine's order. */
export const TRADE_IN_STATUS_VALUES: readonly TradeInStatus[] = [...CORE_TRADE_IN_STATUSES];
/** Every status route's slug, in the machine's order. */
export const STATUS_ROUTE_SLUGS: readonly string[] = Object.keys(CORE_STATUS_SLUGS);

/** Appends an extension's statuses and routes to the vocabulary (once: several applications may register the same). */
export function widenStatusVocabulary(ext: TradeInStatusExtension): void {
  const values = TRADE_IN_STATUS_VALUES as TradeInStatus[];
  const slugs = STATUS_ROUTE_SLUGS as string[];
  for (const s of ext.statuses) if (!values.includes(s)) values.push(s);
  for (const slug of Object.keys(ext.slugs)) if (!slugs.includes(slug)) slugs.push(slug);
}
