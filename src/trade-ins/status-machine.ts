import { iriOf } from '../common/iri';
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
    for (const next of MOVES[at]) if (!previous.has(next)) (previous.set(next, at), queue.push(next));
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
interface Requirement {
  path: string;
  message: string;
  met: (t: TradeIn, ctx: RequirementContext) => boolean;
}

/** The customer-programme data a requirement may read (null for dealer-only trade-ins). */
export interface ProgramFacts {
  serialNumber: string | null;
  conditionGrade: string | null;
  inspectedGrade: string | null;
  finalValue: number | null;
  creditIssuedAt: Date | null;
}

export interface RequirementContext {
  /** Number of locations (dealerships) the tenant has. */
  locationCount: number;
  /** The trade-in's customer-programme row, if it came in through /api/{tenant}/submissions. */
  program?: ProgramFacts | null;
}

const present = (v: unknown) => v !== null && v !== undefined && v !== '';

const VEHICLE: Requirement[] = [
  { path: 'vehicleModel.make', message: 'vehicleModel.make is required', met: (t) => present(t.vmMake) },
  { path: 'vehicleModel.model', message: 'vehicleModel.model is required', met: (t) => present(t.vmModel) },
  { path: 'vehicleModel.firstRegistrationDate', message: 'vehicleModel.firstRegistrationDate is required', met: (t) => present(t.vmFirstRegistrationDate) },
  { path: 'vehicleModel.mileage', message: 'vehicleModel.mileage is required', met: (t) => present(t.vmMileage) },
  {
    path: 'vehicleModel.regNr',
    message: 'vehicleModel.regNr or vehicleModel.vinCode (or, for programme submissions, a serial number) is required',
    met: (t, c) => present(t.vmRegNr) || present(t.vmVinCode) || present(c.program?.serialNumber),
  },
  { path: 'dealership', message: 'dealership is required when the dealer group has more than one location', met: (t, c) => c.locationCount <= 1 || present(t.dealershipId) },
  // The programme's own requirement for submitting, whichever API makes the move.
  { path: 'program.conditionGrade', message: 'a programme submission needs its condition grade (excellent, good, fair or poor)', met: (_t, c) => !c.program || present(c.program.conditionGrade) },
];
const PRICE: Requirement = { path: 'purchasePrice', message: 'purchasePrice is required', met: (t) => present(t.purchasePrice) };
const AGREEMENT: Requirement[] = [
  ...VEHICLE,
  { ...PRICE, message: "purchasePrice is required: the agreement can't be signed if the price is not indicated" },
  { path: 'customer', message: 'customer is required for a purchase agreement', met: (t) => present(t.customerId) },
];
const INSPECTION: Requirement[] = [
  { path: 'program.inspectedGrade', message: 'an inspection grade is required (POST /api/{tenant}/submissions/{id}/inspect)', met: (_t, c) => present(c.program?.inspectedGrade) },
  { path: 'program.finalValue', message: 'a final value is required (POST /api/{tenant}/submissions/{id}/inspect)', met: (_t, c) => present(c.program?.finalValue) },
];

/** What must hold on entering each status (cumulative along the happy path). */
export const REQUIREMENTS: Record<TradeInStatus, Requirement[]> = {
  not_done: [],
  ready_for_appraisal: VEHICLE,
  done: [...VEHICLE, PRICE],
  sent_to_customer: [...VEHICLE, PRICE],
  purchase_agreement: AGREEMENT,
  shipped: AGREEMENT,
  received: AGREEMENT,
  inspected: [...AGREEMENT, ...INSPECTION],
  completed: [
    ...AGREEMENT,
    ...INSPECTION,
    { path: 'program.credit', message: 'the credit must be issued (POST /api/{tenant}/submissions/{id}/complete)', met: (_t, c) => present(c.program?.creditIssuedAt) },
  ],
  no_deal: [{ path: 'rejectReason', message: 'rejectReason is required for no_deal (see /api/v3/reject-reasons)', met: (t) => present(t.rejectReason) }],
};

export function unmetRequirements(target: TradeInStatus, t: TradeIn, ctx: RequirementContext) {
  return REQUIREMENTS[target].filter((r) => !r.met(t, ctx)).map((r) => ({ propertyPath: r.path, message: `${r.message} to enter ${target}.`, code: 'required' as const }));
}
