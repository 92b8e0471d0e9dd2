import { StatusMachine, UNLOCKED_FIELDS } from './status-machine';
import { completeTradeIn, CONTRACT_CORE_MOVES, itChecksEntryRequirements, WITHOUT_CORE } from './entry-requirements.spec-support';
import { CORE_TRADE_IN_STATUSES, CoreTradeInStatus, TradeIn, TradeInStatus } from './trade-in.entity';
import type { TradeInRules, TradeInStatusExtension } from './trade-in.extensions';

/*
 * The core machine alone (no extension registered). The expectations are transcribed from the
 * contract, not from the code's own CORE_MOVES table:
 *
 * ../shared/spec/trade-in-api.md §3: "Allowed moves: draft → ready_for_appraisal → done →
 * sent_to_customer → purchase_agreement; ready_for_appraisal → draft; done → draft (reopen);
 * sent_to_customer → done (revise the offer); any status → no_deal; no_deal → draft (reopen).
 * Anything else → 409."
 *
 * The programme's statuses (shipped, received, inspected, completed) are registered by the
 * programme: their moves and requirements are in upgrade/program-statuses.spec.ts.
 */
const SPEC_MOVES: [CoreTradeInStatus, CoreTradeInStatus][] = [
  ...CONTRACT_CORE_MOVES,
  ...CORE_TRADE_IN_STATUSES.filter((s) => s !== 'no_deal').map((s): [CoreTradeInStatus, CoreTradeInStatus] => [s, 'no_deal']),
];

const core = new StatusMachine();
const allowed = new Set(SPEC_MOVES.map(([from, to]) => `${from}>${to}`));
const PAIRS = CORE_TRADE_IN_STATUSES.flatMap((from) => CORE_TRADE_IN_STATUSES.filter((to) => to !== from).map((to) => [from, to, allowed.has(`${from}>${to}`) ? 'allowed' : 'refused (409)'] as const));

describe('status machine (core): moves', () => {
  it('knows the six statuses of the contract, in order', () => {
    expect(core.statuses).toEqual(['not_done', 'ready_for_appraisal', 'done', 'sent_to_customer', 'purchase_agreement', 'no_deal']);
  });

  // A move to the current status is the service's no-op 200 (tested end to end), not a move of the table.
  it.each(PAIRS)('%s → %s is %s', (from, to, expected) => {
    expect(core.canMove(from, to)).toBe(expected === 'allowed');
  });

  it('maps the route slugs of the contract to entity statuses', () => {
    expect(core.slugs).toEqual({
      draft: 'not_done',
      'ready-for-appraisal': 'ready_for_appraisal',
      done: 'done',
      'sent-to-customer': 'sent_to_customer',
      'purchase-agreement': 'purchase_agreement',
      'no-deal': 'no_deal',
    });
    expect(core.bySlug('no-deal')).toBe('no_deal');
    expect(core.bySlug('shipped')).toBeUndefined();
    expect(core.bySlug('constructor')).toBeUndefined();
  });

  it('locks done, sent_to_customer and purchase_agreement, leaving only vehicleModel.vinCode open', () => {
    const locked = ['done', 'sent_to_customer', 'purchase_agreement'];
    for (const s of CORE_TRADE_IN_STATUSES) expect([s, core.isLocked(s)]).toEqual([s, locked.includes(s)]);
    expect([...UNLOCKED_FIELDS]).toEqual(['vehicleModel.vinCode']);
  });

  it('names the shortest way back to draft in the lock message', () => {
    expect(core.reopenRoutes('done')).toEqual(['draft']);
    expect(core.reopenRoutes('sent_to_customer')).toEqual(['done', 'draft']);
    expect(core.reopenRoutes('purchase_agreement')).toEqual(['no-deal', 'draft']);
    expect(core.reopenAdvice('purchase_agreement', 5)).toBe('Reopen it first: PATCH /api/v3/trade-ins/5/status/no-deal, then PATCH /api/v3/trade-ins/5/status/draft.');
  });
});

/*
 * Requirements on entry of the core alone, from the contract §3 ("ready_for_appraisal:
 * vehicleModel.make, .model, .firstRegistrationDate, .mileage, and .regNr or .vinCode; a dealership
 * when the tenant has more than one location. done: all of the above and purchasePrice.
 * purchase_agreement: purchasePrice and a customer. no_deal: rejectReason.") and the README's
 * decision that requirements are cumulative along the happy path. The programme's own requirements
 * (inspection, credit, serial number) are in upgrade/program-facts.extension.spec.ts.
 */
const VEHICLE = ['vehicleModel.make', 'vehicleModel.model', 'vehicleModel.firstRegistrationDate', 'vehicleModel.mileage', 'vehicleModel.regNr', 'dealership'];
const AGREEMENT = [...VEHICLE, 'purchasePrice', 'customer'];
const SPEC_REQUIREMENTS: Record<CoreTradeInStatus, string[]> = {
  not_done: [],
  ready_for_appraisal: VEHICLE,
  done: [...VEHICLE, 'purchasePrice'],
  sent_to_customer: [...VEHICLE, 'purchasePrice'],
  purchase_agreement: AGREEMENT,
  no_deal: ['rejectReason'],
};

type State = { t: TradeIn; ctx: { locationCount: number } };

/** A trade-in that meets every requirement of every status, in a tenant with two locations. */
const complete = (): State => ({ t: completeTradeIn(), ctx: { locationCount: 2 } });

const unmet = (target: TradeInStatus, s: State) => core.unmet(target, s.t, s.ctx).map((v) => v.propertyPath);

describe('status machine (core): requirements on entry', () => {
  itChecksEntryRequirements({ statuses: core.statuses, complete, without: WITHOUT_CORE, spec: SPEC_REQUIREMENTS, check: (target, s) => core.unmet(target, s.t, s.ctx) });

  it('accepts a vinCode instead of a regNr', () => {
    const vin = complete();
    vin.t.vmRegNr = null;
    expect(unmet('ready_for_appraisal', vin)).toEqual([]);
  });
});

/*
 * How a status extension (the TRADE_IN_STATUSES point) is folded into the machine, with a made-up
 * add-on (`archived` after no_deal, `parked` after purchase_agreement), so the core's mechanism is
 * tested without the programme.
 */
describe('status machine: a registered status extension', () => {
  const ADDED = ['parked', 'archived'] as unknown as TradeInStatus[];
  const [parked, archived] = ADDED;
  const ext: TradeInStatusExtension = {
    statuses: ADDED,
    slugs: { parked: parked, archive: archived },
    moves: { purchase_agreement: [parked], [parked]: ['no_deal'], no_deal: [archived] },
    locked: [parked],
    requirementsOf: { [parked]: 'purchase_agreement' },
  };
  const rules: TradeInRules = { name: 'x', facts: () => Promise.resolve(null), entering: { [parked]: [{ path: 'x.spot', message: 'a spot is required', met: () => false }] } };
  const machine = new StatusMachine([ext], [rules]);

  it('puts its statuses and routes after the core ones', () => {
    expect(machine.statuses).toEqual([...CORE_TRADE_IN_STATUSES, parked, archived]);
    expect(Object.keys(machine.slugs)).toEqual(['draft', 'ready-for-appraisal', 'done', 'sent-to-customer', 'purchase-agreement', 'no-deal', 'parked', 'archive']);
    expect(machine.bySlug('archive')).toBe(archived);
  });

  it('adds its moves, from core statuses and its own; a status no move leaves is terminal', () => {
    expect(machine.canMove('purchase_agreement', parked)).toBe(true);
    expect(machine.canMove('purchase_agreement', 'no_deal')).toBe(true);
    expect(machine.canMove(parked, 'no_deal')).toBe(true);
    expect(machine.canMove('no_deal', archived)).toBe(true);
    expect(machine.canMove('no_deal', 'not_done')).toBe(true);
    expect(machine.canMove('done', parked)).toBe(false);
    for (const to of machine.statuses) expect([to, machine.canMove(archived, to)]).toEqual([to, false]);
    expect(machine.reopenRoutes(archived)).toBeNull();
    expect(machine.reopenAdvice(archived, 1)).toBe('A archived trade-in cannot be reopened.');
    expect(machine.reopenRoutes(parked)).toEqual(['no-deal', 'draft']);
  });

  it('locks the statuses it says, and no others of its own', () => {
    expect(machine.isLocked(parked)).toBe(true);
    expect(machine.isLocked(archived)).toBe(false);
    expect(machine.isLocked('done')).toBe(true);
  });

  it("asks the requirements of the core status it names, then the rules' own; none for a status it names none for", () => {
    const s = complete();
    s.t.customerId = null;
    expect(machine.unmet(parked, s.t, s.ctx).map((v) => v.propertyPath)).toEqual(['customer', 'x.spot']);
    expect(machine.unmet(parked, s.t, s.ctx)[1].message).toBe('a spot is required to enter parked.');
    expect(machine.unmet(archived, s.t, s.ctx)).toEqual([]);
  });

  it('leaves the core machine as it was', () => {
    expect(core.canMove('purchase_agreement', parked)).toBe(false);
    expect(core.statuses).toHaveLength(6);
  });
});
