import type { TradeInStatusExtension } from '../trade-ins/trade-in.extensions';

/*
 * The programme's logistics after the customer's acceptance, as statuses of the trade-in status
 * machine (the core's TRADE_IN_STATUSES point; UpgradeModule registers them):
 *
 *   from \ to            shipped  received  inspected  completed  no_deal
 *   purchase_agreement      ✓                                       (core)
 *   shipped                 =        ✓                              ✓
 *   received                         =         ✓                    ✓
 *   inspected                                  =          ✓        ✓
 *   completed                                             =
 *
 * `completed` is terminal: the credit has been issued, so not even no_deal may follow it. They all
 * lock the trade-in and keep the purchase agreement's requirements; entering inspected and
 * completed asks more of the programme's row (ProgramTradeInRules.entering).
 *
 * The programme maps its statuses onto the machine's (PROGRAM_STATUS): draft → not_done,
 * submitted → ready_for_appraisal (and done while the offer is prepared), offered →
 * sent_to_customer, accepted → purchase_agreement, declined → no_deal; these four are the same on both sides.
 */

declare module '../trade-ins/trade-in.entity' {
  /** The programme's statuses in TradeInStatus (type only: the machine learns them from PROGRAMME_STATUSES). */
  interface AddedTradeInStatuses {
    shipped: true;
    received: true;
    inspected: true;
    completed: true;
  }
}

export const PROGRAMME_STATUSES: TradeInStatusExtension = {
  statuses: ['shipped', 'received', 'inspected', 'completed'],
  slugs: { shipped: 'shipped', received: 'received', inspected: 'inspected', completed: 'completed' },
  moves: {
    purchase_agreement: ['shipped'],
    shipped: ['received', 'no_deal'],
    received: ['inspected', 'no_deal'],
    inspected: ['completed', 'no_deal'],
  },
  locked: ['shipped', 'received', 'inspected', 'completed'],
  requirementsOf: { shipped: 'purchase_agreement', received: 'purchase_agreement', inspected: 'purchase_agreement', completed: 'purchase_agreement' },
};

/** A programme status of the machine. */
export type ProgrammeLogisticsStatus = (typeof PROGRAMME_STATUSES.statuses)[number];
