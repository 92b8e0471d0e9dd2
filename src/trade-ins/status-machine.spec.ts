import { canMove, LOCKED, STATUS_SLUGS, UNLOCKED_FIELDS, unmetRequirements } from './status-machine';
import { completeTradeIn, itChecksEntryRequirements, WITHOUT_CORE } from './entry-requirements.spec-support';
import { TRADE_IN_STATUSES, TradeIn, TradeInStatus } from './trade-in.entity';

/*
 * The expectations are transcribed from the contract, not from the code's own MOVES table:
 *
 * ../shared/spec/trade-in-api.md §3: "Allowed moves: draft → ready_for_appraisal → done →
 * sent_to_customer → purchase_agreement; ready_for_appraisal → draft; done → draft (reopen);
 * sent_to_customer → done (revise the offer); any status → no_deal; no_deal → draft (reopen).
 * Anything else → 409."
 *
 * docs/upgrade-module.md (the programme's logistics): "purchase_agreement → shipped → received →
 * inspected → completed. Every status except completed may still go to no_deal. completed is terminal."
 */
const SPEC_MOVES: [TradeInStatus, TradeInStatus][] = [
  ['not_done', 'ready_for_appraisal'],
  ['ready_for_appraisal', 'done'],
  ['done', 'sent_to_customer'],
  ['sent_to_customer', 'purchase_agreement'],
  ['ready_for_appraisal', 'not_done'],
  ['done', 'not_done'],
  ['sent_to_customer', 'done'],
  ['no_deal', 'not_done'],
  ['purchase_agreement', 'shipped'],
  ['shipped', 'received'],
  ['received', 'inspected'],
  ['inspected', 'completed'],
  ...TRADE_IN_STATUSES.filter((s) => s !== 'no_deal' && s !== 'completed').map((s): [TradeInStatus, TradeInStatus] => [s, 'no_deal']),
];

const allowed = new Set(SPEC_MOVES.map(([from, to]) => `${from}>${to}`));
const PAIRS = TRADE_IN_STATUSES.flatMap((from) => TRADE_IN_STATUSES.filter((to) => to !== from).map((to) => [from, to, allowed.has(`${from}>${to}`) ? 'allowed' : 'refused (409)'] as const));

describe('status machine: moves', () => {
  it('knows the ten statuses of the contract and the programme', () => {
    expect([...TRADE_IN_STATUSES].sort()).toEqual(
      ['completed', 'done', 'inspected', 'no_deal', 'not_done', 'purchase_agreement', 'ready_for_appraisal', 'received', 'sent_to_customer', 'shipped'].sort(),
    );
  });

  // A move to the current status is the service's no-op 200 (tested end to end), not a move of the table.
  it.each(PAIRS)('%s → %s is %s', (from, to, expected) => {
    expect(canMove(from, to)).toBe(expected === 'allowed');
  });

  it('maps the route slugs of the contract (and the programme) to entity statuses', () => {
    expect(STATUS_SLUGS).toEqual({
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
    });
  });

  it('locks done, sent_to_customer, purchase_agreement and every logistics status, leaving only vehicleModel.vinCode open', () => {
    const locked = ['done', 'sent_to_customer', 'purchase_agreement', 'shipped', 'received', 'inspected', 'completed'];
    for (const s of TRADE_IN_STATUSES) expect([s, LOCKED.has(s)]).toEqual([s, locked.includes(s)]);
    expect([...UNLOCKED_FIELDS]).toEqual(['vehicleModel.vinCode']);
  });
});

/*
 * Requirements on entry of the core alone (no extension registered), from the contract §3
 * ("ready_for_appraisal: vehicleModel.make, .model, .firstRegistrationDate, .mileage, and .regNr
 * or .vinCode; a dealership when the tenant has more than one location. done: all of the above and
 * purchasePrice. purchase_agreement: purchasePrice and a customer. no_deal: rejectReason.") and the
 * README's decision that requirements are cumulative along the happy path. The programme's own
 * requirements (inspection, credit, serial number) are in upgrade/program-facts.extension.spec.ts.
 */
const VEHICLE = ['vehicleModel.make', 'vehicleModel.model', 'vehicleModel.firstRegistrationDate', 'vehicleModel.mileage', 'vehicleModel.regNr', 'dealership'];
const AGREEMENT = [...VEHICLE, 'purchasePrice', 'customer'];
const SPEC_REQUIREMENTS: Record<TradeInStatus, string[]> = {
  not_done: [],
  ready_for_appraisal: VEHICLE,
  done: [...VEHICLE, 'purchasePrice'],
  sent_to_customer: [...VEHICLE, 'purchasePrice'],
  purchase_agreement: AGREEMENT,
  shipped: AGREEMENT,
  received: AGREEMENT,
  inspected: AGREEMENT,
  completed: AGREEMENT,
  no_deal: ['rejectReason'],
};

type State = { t: TradeIn; ctx: { locationCount: number } };

/** A trade-in that meets every requirement of every status, in a tenant with two locations. */
const complete = (): State => ({ t: completeTradeIn(), ctx: { locationCount: 2 } });

const unmet = (target: TradeInStatus, s: State) => unmetRequirements(target, s.t, s.ctx).map((v) => v.propertyPath);

describe('status machine: requirements on entry (core)', () => {
  itChecksEntryRequirements({ complete, without: WITHOUT_CORE, spec: SPEC_REQUIREMENTS, check: (target, s) => unmetRequirements(target, s.t, s.ctx) });

  it('accepts a vinCode instead of a regNr', () => {
    const vin = complete();
    vin.t.vmRegNr = null;
    expect(unmet('ready_for_appraisal', vin)).toEqual([]);
  });
});
