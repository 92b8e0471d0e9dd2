import { iriOf } from '../common/iri';
import type { ExtensionRequirement, TradeInRules } from './trade-in.extensions';
import { TradeIn, TradeInStatus } from './trade-in.entity';

/**
 * The trade-in status machine, as one table.
 *
 *   from \ to            draft  ready  done  sent  agreement  shipped  received  inspected  completed  no_deal
 *   not_done (draft)       =      ✓                                                                     ✓
 *   ready_for_appraisal    ✓      =     ✓                                                               ✓
 *   done                   ✓            =     ✓                                                         ✓
 *   sent_to_customer                    ✓     =      ✓                                                  ✓
 *   purchase_agreement                                =          ✓                                      ✓
 *   shipped                                                      =        ✓                             ✓
 *   received                                                              =         ✓                   ✓
 *   inspected                                                                       =          ✓        ✓
 *   completed                                                                                  =
 *   no_deal                ✓                                                                            =
 *
 * "=" is a no-op 200 (safe retries); an empty cell is 409. `completed` is terminal: the credit
 * has been issued, so not even no_deal may follow it.
 *
 * The customer programme (`/api/{tenant}/...`) maps its statuses onto these: draft → not_done,
 * submitted → ready_for_appraisal (and done while the offer is prepared), offered → sent_to_customer,
 * accepted → purchase_agreement, declined → no_deal; shipped, received, inspected and completed
 * are the same on both sides.
 */
export const MOVES: Record<TradeInStatus, readonly TradeInStatus[]> = {
  not_done: ['ready_for_appraisal', 'no_deal'],
  ready_for_appraisal: ['not_done', 'done', 'no_deal'],
  done: ['not_done', 'sent_to_customer', 'no_deal'],
  sent_to_customer: ['done', 'purchase_agreement', 'no_deal'],
  purchase_agreement: ['shipped', 'no_deal'],
  shipped: ['received', 'no_deal'],
  received: ['inspected', 'no_deal'],
  inspected: ['completed', 'no_deal'],
  completed: [],
  no_deal: ['not_done'],
};

/** URL slugs of the status routes (they differ from the entity values, as the seed warns). */
export const STATUS_SLUGS: Record<string, TradeInStatus> = {
  draft: 'not_done',
  'ready-for-appraisal': 'ready_for_appraisal',
  done: 'done',
  'sent-to-customer': 'sent_to_customer',
  'purchase-agreement': 'purchase_agreement',
  'no-deal': 'no_deal',
  shipped: 'shipped',
  received: 'received',
  inspected: 'inspected',
  completed: 'completed',
};

/** Statuses in which the trade-in is locked: only vehicleModel.vinCode may change. */
export const LOCKED: ReadonlySet<TradeInStatus> = new Set(['done', 'sent_to_customer', 'purchase_agreement', 'shipped', 'received', 'inspected', 'completed']);

/** Only this field may change while locked. */
export const UNLOCKED_FIELDS: ReadonlySet<string> = new Set(['vehicleModel.vinCode']);

export function canMove(from: TradeInStatus, to: TradeInStatus): boolean {
  return MOVES[from].includes(to);
}

/**
 * How a locked trade-in gets back to draft, as the status routes to call in order (the shortest
 * way through MOVES), or null when it cannot (completed). The lock message names these, so it
 * never points at a route that answers 409 from where the trade-in is.
 */
export function reopenRoutes(from: TradeInStatus): string[] | null {
  const slugOf = new Map(Object.entries(STATUS_SLUGS).map(([slug, status]) => [status, slug]));
  const previous = new Map<TradeInStatus, TradeInStatus | null>([[from, null]]);
  const queue: TradeInStatus[] = [from];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === 'not_done') {
      const path: string[] = [];
      for (let s: TradeInStatus | null = at; s && s !== from; s = previous.get(s) ?? null) path.unshift(slugOf.get(s)!);
      return path;
    }
    for (const next of MOVES[at]) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      queue.push(next);
    }
  }
  return null;
}

/** The sentence a lock violation ends with. */
export function reopenAdvice(from: TradeInStatus, id: number): string {
  const routes = reopenRoutes(from);
  if (!routes) return `A ${from} trade-in cannot be reopened.`;
  return `Reopen it first: ${routes.map((slug) => `PATCH ${iriOf('trade-ins', id)}/status/${slug}`).join(', then ')}.`;
}

/** A requirement: the field path reported in the violation and how to test it on the merged state. */
export interface Requirement {
  path: string;
  message: string;
  met: (t: TradeIn, ctx: RequirementContext) => boolean;
}

export interface RequirementContext {
  /** Number of locations (dealerships) the tenant has. */
  locationCount: number;
  /** What each rules extension read for this trade-in (trade-in.extensions.ts), by the extension's name; null when it has no row. */
  facts?: Readonly<Record<string, unknown>>;
}

export const present = (v: unknown) => v !== null && v !== undefined && v !== '';

const VEHICLE: Requirement[] = [
  { path: 'vehicleModel.make', message: 'vehicleModel.make is required', met: (t) => present(t.vmMake) },
  { path: 'vehicleModel.model', message: 'vehicleModel.model is required', met: (t) => present(t.vmModel) },
  { path: 'vehicleModel.firstRegistrationDate', message: 'vehicleModel.firstRegistrationDate is required', met: (t) => present(t.vmFirstRegistrationDate) },
  { path: 'vehicleModel.mileage', message: 'vehicleModel.mileage is required', met: (t) => present(t.vmMileage) },
  { path: 'vehicleModel.regNr', message: 'vehicleModel.regNr or vehicleModel.vinCode is required', met: (t) => present(t.vmRegNr) || present(t.vmVinCode) },
  { path: 'dealership', message: 'dealership is required when the dealer group has more than one location', met: (t, c) => c.locationCount <= 1 || present(t.dealershipId) },
];
const PRICE: Requirement = { path: 'purchasePrice', message: 'purchasePrice is required', met: (t) => present(t.purchasePrice) };
const AGREEMENT_ONLY: Requirement[] = [
  { ...PRICE, message: "purchasePrice is required: the agreement can't be signed if the price is not indicated" },
  { path: 'customer', message: 'customer is required for a purchase agreement', met: (t) => present(t.customerId) },
];
const REJECT: Requirement = { path: 'rejectReason', message: 'rejectReason is required for no_deal (see /api/v3/reject-reasons)', met: (t) => present(t.rejectReason) };

/**
 * What must hold on entering each status (cumulative along the happy path), with the
 * requirements of the rules extensions: their `vehicle` ones join the vehicle block (so every
 * status that needs the vehicle needs them), their `entering` ones go last, and an `alternative`
 * lets the extension's facts meet a core requirement (its message then names both ways).
 */
export function requirementsTable(rules: readonly TradeInRules[] = []): Record<TradeInStatus, Requirement[]> {
  const factsOf = (r: TradeInRules, c: RequirementContext) => c.facts?.[r.name] ?? null;
  const wrap = (r: TradeInRules) => (q: ExtensionRequirement) => ({ path: q.path, message: q.message, met: (t: TradeIn, c: RequirementContext) => q.met(t, factsOf(r, c)) });
  const vehicle = VEHICLE.map((q) => {
    const alternatives = rules.flatMap((r) => (r.alternatives?.[q.path] ? [{ rules: r, alt: r.alternatives[q.path] }] : []));
    if (!alternatives.length) return q;
    const message = alternatives[alternatives.length - 1].alt.message;
    return { ...q, message, met: (t: TradeIn, c: RequirementContext) => q.met(t, c) || alternatives.some((a) => a.alt.met(factsOf(a.rules, c))) };
  });
  vehicle.push(...rules.flatMap((r) => (r.vehicle ?? []).map(wrap(r))));
  const agreement = [...vehicle, ...AGREEMENT_ONLY];
  const core: Record<TradeInStatus, Requirement[]> = {
    not_done: [],
    ready_for_appraisal: vehicle,
    done: [...vehicle, PRICE],
    sent_to_customer: [...vehicle, PRICE],
    purchase_agreement: agreement,
    shipped: agreement,
    received: agreement,
    inspected: agreement,
    completed: agreement,
    no_deal: [REJECT],
  };
  for (const r of rules) for (const [status, list] of Object.entries(r.entering ?? {})) core[status as TradeInStatus] = [...core[status as TradeInStatus], ...(list ?? []).map(wrap(r))];
  return core;
}

/** The core's own requirements (no extension registered). */
export const REQUIREMENTS = requirementsTable();

export function unmetRequirements(target: TradeInStatus, t: TradeIn, ctx: RequirementContext, table: Record<TradeInStatus, Requirement[]> = REQUIREMENTS) {
  return table[target].filter((r) => !r.met(t, ctx)).map((r) => ({ propertyPath: r.path, message: `${r.message} to enter ${target}.`, code: 'required' as const }));
}
