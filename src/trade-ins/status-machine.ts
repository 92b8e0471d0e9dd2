import { iriOf } from '../common/iri';
import type { ExtensionRequirement, TradeInRules } from './trade-in.extensions';
import { CoreTradeInStatus, CORE_TRADE_IN_STATUSES, TradeIn, TradeInStatus } from './trade-in.entity';
import { CORE_STATUS_SLUGS, TradeInStatusExtension } from './trade-in.statuses';

/**
 * The trade-in status machine, as one table: the core's, and the statuses add-ons add
 * (TRADE_IN_STATUSES, trade-in.extensions.ts; the programme's are in upgrade/program-statuses.ts).
 *
 *   from \ to            draft  ready  done  sent  agreement  no_deal
 *   not_done (draft)       =      ✓                              ✓
 *   ready_for_appraisal    ✓      =     ✓                        ✓
 *   done                   ✓            =     ✓                  ✓
 *   sent_to_customer                    ✓     =      ✓           ✓
 *   purchase_agreement                                =          ✓
 *   no_deal                ✓                                     =
 *
 * "=" is a no-op 200 (safe retries); an empty cell is 409.
 */
export const CORE_MOVES: Readonly<Record<CoreTradeInStatus, readonly TradeInStatus[]>> = {
  not_done: ['ready_for_appraisal', 'no_deal'],
  ready_for_appraisal: ['not_done', 'done', 'no_deal'],
  done: ['not_done', 'sent_to_customer', 'no_deal'],
  sent_to_customer: ['done', 'purchase_agreement', 'no_deal'],
  purchase_agreement: ['no_deal'],
  no_deal: ['not_done'],
};

/** The core statuses in which the trade-in is locked: only vehicleModel.vinCode may change. */
const CORE_LOCKED: readonly CoreTradeInStatus[] = ['done', 'sent_to_customer', 'purchase_agreement'];

/** Only this field may change while locked. */
export const UNLOCKED_FIELDS: ReadonlySet<string> = new Set(['vehicleModel.vinCode']);

/**
 * The machine of one application: the core's table with the registered status extensions, and the
 * entry requirements with the registered rules. Pure: the specs build it with the extensions they test.
 */
export class StatusMachine {
  /** Every status, in the machine's order (the core's, then each extension's). */
  readonly statuses: readonly TradeInStatus[];
  /** Status routes, slug → status, in the machine's order. */
  readonly slugs: Readonly<Record<string, TradeInStatus>>;
  private readonly moves = new Map<TradeInStatus, TradeInStatus[]>();
  private readonly locked: ReadonlySet<TradeInStatus>;
  private readonly requirements: Record<string, Requirement[]>;

  constructor(extensions: readonly TradeInStatusExtension[] = [], rules: readonly TradeInRules[] = []) {
    this.statuses = [...CORE_TRADE_IN_STATUSES, ...extensions.flatMap((e) => e.statuses)];
    this.slugs = Object.assign({}, CORE_STATUS_SLUGS, ...extensions.map((e) => e.slugs)) as Record<string, TradeInStatus>;
    for (const s of this.statuses) this.moves.set(s, [...((CORE_MOVES as Partial<Record<TradeInStatus, readonly TradeInStatus[]>>)[s] ?? [])]);
    for (const e of extensions) for (const [from, to] of Object.entries(e.moves) as [TradeInStatus, readonly TradeInStatus[]][]) this.moves.get(from)?.push(...to);
    this.locked = new Set<TradeInStatus>([...CORE_LOCKED, ...extensions.flatMap((e) => e.locked)]);
    this.requirements = requirementsTable(rules, extensions);
  }

  canMove(from: TradeInStatus, to: TradeInStatus): boolean {
    return this.moves.get(from)?.includes(to) ?? false;
  }

  /** A locked trade-in: only vehicleModel.vinCode may change (and its pictures may not). */
  isLocked(status: TradeInStatus): boolean {
    return this.locked.has(status);
  }

  /** The status a route slug names, or undefined. */
  bySlug(slug: string): TradeInStatus | undefined {
    return Object.prototype.hasOwnProperty.call(this.slugs, slug) ? this.slugs[slug] : undefined;
  }

  /**
   * How a locked trade-in gets back to draft, as the status routes to call in order (the shortest
   * way through the moves), or null when it cannot (a terminal status). The lock message names these, so it
   * never points at a route that answers 409 from where the trade-in is.
   */
  reopenRoutes(from: TradeInStatus): string[] | null {
    const slugOf = new Map(Object.entries(this.slugs).map(([slug, status]) => [status, slug]));
    const previous = new Map<TradeInStatus, TradeInStatus | null>([[from, null]]);
    const queue: TradeInStatus[] = [from];
    while (queue.length) {
      const at = queue.shift()!;
      if (at === 'not_done') {
        const path: string[] = [];
        for (let s: TradeInStatus | null = at; s && s !== from; s = previous.get(s) ?? null) path.unshift(slugOf.get(s)!);
        return path;
      }
      for (const next of this.moves.get(at) ?? []) {
        if (previous.has(next)) continue;
        previous.set(next, at);
        queue.push(next);
      }
    }
    return null;
  }

  /** The sentence a lock violation ends with. */
  reopenAdvice(from: TradeInStatus, id: number): string {
    const routes = this.reopenRoutes(from);
    if (!routes) return `A ${from} trade-in cannot be reopened.`;
    return `Reopen it first: ${routes.map((slug) => `PATCH ${iriOf('trade-ins', id)}/status/${slug}`).join(', then ')}.`;
  }

  /** Every entry requirement of `target` the trade-in does not meet (the core's and the extensions'). */
  unmet(target: TradeInStatus, t: TradeIn, ctx: RequirementContext) {
    return unmetRequirements(target, t, ctx, this.requirements);
  }
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
export function requirementsTable(rules: readonly TradeInRules[] = [], extensions: readonly TradeInStatusExtension[] = []): Record<string, Requirement[]> {
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
  const core: Record<CoreTradeInStatus, Requirement[]> = {
    not_done: [],
    ready_for_appraisal: vehicle,
    done: [...vehicle, PRICE],
    sent_to_customer: [...vehicle, PRICE],
    purchase_agreement: agreement,
    no_deal: [REJECT],
  };
  const table: Record<string, Requirement[]> = { ...core };
  for (const e of extensions) for (const s of e.statuses) table[s] = [...(core[e.requirementsOf[s] ?? 'not_done'] ?? [])];
  for (const r of rules) for (const [status, list] of Object.entries(r.entering ?? {})) table[status] = [...(table[status] ?? []), ...(list ?? []).map(wrap(r))];
  return table;
}

/** Every requirement of `target` in `table` the trade-in does not meet (a status the table does not know has none). */
export function unmetRequirements(target: TradeInStatus, t: TradeIn, ctx: RequirementContext, table: Record<string, Requirement[]>) {
  return (table[target] ?? []).filter((r) => !r.met(t, ctx)).map((r) => ({ propertyPath: r.path, message: `${r.message} to enter ${target}.`, code: 'required' as const }));
}
