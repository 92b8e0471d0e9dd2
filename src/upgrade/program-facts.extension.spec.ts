import { requirementsTable, unmetRequirements } from '../trade-ins/status-machine';
import { TRADE_IN_STATUSES, TradeIn, TradeInStatus } from '../trade-ins/trade-in.entity';
import { ProgramTradeInRules } from './program-facts.extension';

/** The trade-in requirements with the programme's rules registered (as UpgradeModule does). */
const TABLE = requirementsTable([new ProgramTradeInRules()]);

/** The programme row's facts the requirements read. */
interface ProgramFacts {
  serialNumber: string | null;
  conditionGrade: string | null;
  inspectedGrade: string | null;
  finalValue: number | null;
  creditIssuedAt: Date | null;
}

/*
 * Requirements on entry, from the contract §3 ("ready_for_appraisal: vehicleModel.make, .model,
 * .firstRegistrationDate, .mileage, and .regNr or .vinCode; a dealership when the tenant has more
 * than one location. done: all of the above and purchasePrice. purchase_agreement: purchasePrice
 * and a customer. no_deal: rejectReason."), the README's decision that requirements are cumulative
 * along the happy path, and docs/upgrade-module.md for the logistics ("Entering inspected requires
 * an inspection grade and a final value. Entering completed requires an issued credit.").
 */
const VEHICLE = ['vehicleModel.make', 'vehicleModel.model', 'vehicleModel.firstRegistrationDate', 'vehicleModel.mileage', 'vehicleModel.regNr', 'dealership'];
const AGREEMENT = [...VEHICLE, 'purchasePrice', 'customer'];
const INSPECTION = [...AGREEMENT, 'program.inspectedGrade', 'program.finalValue'];
const SPEC_REQUIREMENTS: Record<TradeInStatus, string[]> = {
  not_done: [],
  ready_for_appraisal: VEHICLE,
  done: [...VEHICLE, 'purchasePrice'],
  sent_to_customer: [...VEHICLE, 'purchasePrice'],
  purchase_agreement: AGREEMENT,
  shipped: AGREEMENT,
  received: AGREEMENT,
  inspected: INSPECTION,
  completed: [...INSPECTION, 'program.credit'],
  no_deal: ['rejectReason'],
};

type State = { t: TradeIn; ctx: { locationCount: number; program: ProgramFacts } };

/** A trade-in that meets every requirement of every status, in a tenant with two locations. */
function complete(): State {
  const t = {
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
  return { t, ctx: { locationCount: 2, program: { serialNumber: 'SN-1', conditionGrade: 'good', inspectedGrade: 'good', finalValue: 9000, creditIssuedAt: new Date() } } };
}

/** How each requirement is taken away (for regNr: every way of meeting it). */
const WITHOUT: Record<string, (s: State) => void> = {
  'vehicleModel.make': (s) => (s.t.vmMake = null),
  'vehicleModel.model': (s) => (s.t.vmModel = ''),
  'vehicleModel.firstRegistrationDate': (s) => (s.t.vmFirstRegistrationDate = null),
  'vehicleModel.mileage': (s) => (s.t.vmMileage = null),
  'vehicleModel.regNr': (s) => {
    s.t.vmRegNr = null;
    s.t.vmVinCode = null;
    s.ctx.program.serialNumber = null;
  },
  dealership: (s) => (s.t.dealershipId = null),
  purchasePrice: (s) => (s.t.purchasePrice = null),
  customer: (s) => (s.t.customerId = null),
  rejectReason: (s) => (s.t.rejectReason = null),
  'program.inspectedGrade': (s) => (s.ctx.program.inspectedGrade = null),
  'program.finalValue': (s) => (s.ctx.program.finalValue = null),
  'program.credit': (s) => (s.ctx.program.creditIssuedAt = null),
};

const check = (target: TradeInStatus, t: TradeIn, ctx: { locationCount: number; program?: ProgramFacts | null }) =>
  unmetRequirements(target, t, { locationCount: ctx.locationCount, facts: { program: ctx.program ?? null } }, TABLE);
const unmet = (target: TradeInStatus, s: State) => check(target, s.t, s.ctx).map((v) => v.propertyPath);

describe('status machine with the programme: requirements on entry', () => {
  it.each(TRADE_IN_STATUSES)('a trade-in with everything set may enter %s', (target) => {
    expect(unmet(target, complete())).toEqual([]);
  });

  const cases = TRADE_IN_STATUSES.flatMap((target) =>
    Object.keys(WITHOUT).map((path) => [target, path, SPEC_REQUIREMENTS[target].includes(path) ? 'refused with that one violation' : 'allowed'] as const),
  );
  it.each(cases)('entering %s without %s is %s', (target, path, outcome) => {
    const s = complete();
    WITHOUT[path](s);
    expect(unmet(target, s)).toEqual(outcome === 'allowed' ? [] : [path]);
  });

  it.each(TRADE_IN_STATUSES)('entering %s reports every unmet requirement at once, each with code "required" and naming the status', (target) => {
    const s = complete();
    for (const remove of Object.values(WITHOUT)) remove(s);
    const violations = check(target, s.t, s.ctx);
    expect(violations.map((v) => v.propertyPath).sort()).toEqual([...SPEC_REQUIREMENTS[target]].sort());
    for (const v of violations) {
      expect(v.code).toBe('required');
      expect(v.message).toContain(target);
    }
  });

  it('accepts a vinCode instead of a regNr, and a programme serial number instead of either', () => {
    const vin = complete();
    vin.t.vmRegNr = null;
    vin.ctx.program.serialNumber = null;
    expect(unmet('ready_for_appraisal', vin)).toEqual([]);
    const serial = complete();
    serial.t.vmRegNr = null;
    serial.t.vmVinCode = null;
    expect(unmet('ready_for_appraisal', serial)).toEqual([]);
  });

  it('does not ask for a dealership when the tenant has one location or none', () => {
    for (const locationCount of [0, 1]) {
      const s = complete();
      s.t.dealershipId = null;
      s.ctx.locationCount = locationCount;
      expect(unmet('done', s)).toEqual([]);
    }
  });

  it('counts a mileage of 0 as given (a new car), unlike an empty string', () => {
    const s = complete();
    s.t.vmMileage = 0;
    expect(unmet('ready_for_appraisal', s)).toEqual([]);
  });

  it('reads programme facts as missing for a dealer trade-in without a programme row', () => {
    const s = complete();
    expect(check('inspected', s.t, { locationCount: 2, program: null }).map((v) => v.propertyPath)).toEqual(['program.inspectedGrade', 'program.finalValue']);
    expect(check('done', s.t, { locationCount: 2 })).toEqual([]);
  });
});
