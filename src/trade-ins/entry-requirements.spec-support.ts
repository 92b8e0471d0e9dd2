/**
 * The table-driven entry-requirement cases and the contract's core moves, shared by the core's status-machine spec and the
 * programme's extension spec (which adds its own requirements and ways of meeting them). Test
 * support only: excluded from the build (tsconfig.build.json).
 */
import type { Violation } from '../common/errors';
import { CoreTradeInStatus, TradeIn, TradeInStatus } from './trade-in.entity';

/** A trade-in that meets every requirement of every core status. */
export function completeTradeIn(): TradeIn {
  return {
    vmMake: 'Volkswagen',
    vmModel: 'Golf',
    vmFirstRegistrationDate: '2020-02-20',
    vmMileage: 84000,
    vmRegNr: '123ABC',
    vmVinCode: 'WVWZZZ1KZAW000001',
    dealershipId: 3,
    purchasePrice: 9500,
    customerId: 7,
    rejectReason: 'price_too_low',
  } as TradeIn;
}

/** How each core requirement is taken away (for regNr: every way of meeting it the core knows). */
export const WITHOUT_CORE: Record<string, (s: { t: TradeIn }) => void> = {
  'vehicleModel.make': (s) => (s.t.vmMake = null),
  'vehicleModel.model': (s) => (s.t.vmModel = ''),
  'vehicleModel.firstRegistrationDate': (s) => (s.t.vmFirstRegistrationDate = null),
  'vehicleModel.mileage': (s) => (s.t.vmMileage = null),
  'vehicleModel.regNr': (s) => {
    s.t.vmRegNr = null;
    s.t.vmVinCode = null;
  },
  dealership: (s) => (s.t.dealershipId = null),
  purchasePrice: (s) => (s.t.purchasePrice = null),
  customer: (s) => (s.t.customerId = null),
  rejectReason: (s) => (s.t.rejectReason = null),
};

/**
 * Entering each status with everything set is allowed; without one requirement it is refused with
 * exactly that violation (or allowed when the status does not ask for it); without all of them,
 * every one the status asks for is reported at once, with code "required" and naming the status; and the
 * core's special cases (one location or none, a mileage of 0) hold with the extensions too.
 */
export function itChecksEntryRequirements<S extends { t: TradeIn; ctx: { locationCount: number } }>(opts: {
  /** The statuses of the machine under test (each must have its line in `spec`). */
  statuses: readonly TradeInStatus[];
  complete: () => S;
  without: Record<string, (s: S) => void>;
  spec: Partial<Record<TradeInStatus, string[]>>;
  check: (target: TradeInStatus, s: S) => Violation[];
}): void {
  const unmet = (target: TradeInStatus, s: S) => opts.check(target, s).map((v) => v.propertyPath);
  const specOf = (target: TradeInStatus): string[] => {
    const spec = opts.spec[target];
    if (!spec) throw new Error(`The spec has no requirements for ${target}.`);
    return spec;
  };
  it('has the requirements of every status of the machine in its spec', () => {
    expect(Object.keys(opts.spec).sort()).toEqual([...opts.statuses].sort());
  });

  it.each(opts.statuses)('a trade-in with everything set may enter %s', (target) => {
    expect(unmet(target, opts.complete())).toEqual([]);
  });

  const cases = opts.statuses.flatMap((target) => Object.keys(opts.without).map((path) => [target, path, specOf(target).includes(path) ? 'refused with that one violation' : 'allowed'] as const));
  it.each(cases)('entering %s without %s is %s', (target, path, outcome) => {
    const s = opts.complete();
    opts.without[path](s);
    expect(unmet(target, s)).toEqual(outcome === 'allowed' ? [] : [path]);
  });

  it.each(opts.statuses)('entering %s reports every unmet requirement at once, each with code "required" and naming the status', (target) => {
    const s = opts.complete();
    for (const remove of Object.values(opts.without)) remove(s);
    const violations = opts.check(target, s);
    expect(violations.map((v) => v.propertyPath).sort()).toEqual([...specOf(target)].sort());
    for (const v of violations) {
      expect(v.code).toBe('required');
      expect(v.message).toContain(target);
    }
  });

  it('does not ask for a dealership when the tenant has one location or none', () => {
    for (const locationCount of [0, 1]) {
      const s = opts.complete();
      s.t.dealershipId = null;
      s.ctx.locationCount = locationCount;
      expect(unmet('done', s)).toEqual([]);
    }
  });

  it('counts a mileage of 0 as given (a new car), unlike an empty string', () => {
    const s = opts.complete();
    s.t.vmMileage = 0;
    expect(unmet('ready_for_appraisal', s)).toEqual([]);
  });
}

/**
 * The core's moves between its own statuses, transcribed from ../shared/spec/trade-in-api.md §3 (not
 * from the code's table): the specs of the core machine and of the machine with the programme extend it.
 */
export const CONTRACT_CORE_MOVES: [CoreTradeInStatus, CoreTradeInStatus][] = [
  ['not_done', 'ready_for_appraisal'],
  ['ready_for_appraisal', 'done'],
  ['done', 'sent_to_customer'],
  ['sent_to_customer', 'purchase_agreement'],
  ['ready_for_appraisal', 'not_done'],
  ['done', 'not_done'],
  ['sent_to_customer', 'done'],
  ['no_deal', 'not_done'],
];
