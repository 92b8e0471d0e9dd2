import { StatusMachine } from '../trade-ins/status-machine';
import { completeTradeIn, itChecksEntryRequirements, WITHOUT_CORE } from '../trade-ins/entry-requirements.spec-support';
import { TradeIn, TradeInStatus } from '../trade-ins/trade-in.entity';
import { ProgramTradeInRules } from './program-facts.extension';
import { PROGRAMME_STATUSES } from './program-statuses';

/** The status machine with the programme's statuses and rules registered (as UpgradeModule does). */
const MACHINE = new StatusMachine([PROGRAMME_STATUSES], [new ProgramTradeInRules()]);

/** The programme row's facts the requirements read. */
interface ProgramFacts {
  productCatalogued?: boolean;
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
  return { t: completeTradeIn(), ctx: { locationCount: 2, program: { serialNumber: 'SN-1', conditionGrade: 'good', inspectedGrade: 'good', finalValue: 9000, creditIssuedAt: new Date() } } };
}

/** How each requirement is taken away (for regNr: every way of meeting it, the programme's serial number too). */
const WITHOUT: Record<string, (s: State) => void> = {
  ...WITHOUT_CORE,
  'vehicleModel.regNr': (s) => {
    WITHOUT_CORE['vehicleModel.regNr'](s);
    s.ctx.program.serialNumber = null;
  },
  'program.inspectedGrade': (s) => (s.ctx.program.inspectedGrade = null),
  'program.finalValue': (s) => (s.ctx.program.finalValue = null),
  'program.credit': (s) => (s.ctx.program.creditIssuedAt = null),
};

const check = (target: TradeInStatus, t: TradeIn, ctx: { locationCount: number; program?: ProgramFacts | null }) =>
  MACHINE.unmet(target, t, { locationCount: ctx.locationCount, facts: { program: ctx.program ?? null } });
const unmet = (target: TradeInStatus, s: State) => check(target, s.t, s.ctx).map((v) => v.propertyPath);

describe('status machine with the programme: requirements on entry', () => {
  itChecksEntryRequirements({ statuses: MACHINE.statuses, complete, without: WITHOUT, spec: SPEC_REQUIREMENTS, check: (target, s) => check(target, s.t, s.ctx) });

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

  it('a catalogued product stands in for make, model, first registration and mileage, not for the identification (issue 17)', () => {
    const s = complete();
    s.t.vmMake = null;
    s.t.vmModel = null;
    s.t.vmFirstRegistrationDate = null;
    s.t.vmMileage = null;
    expect(unmet('ready_for_appraisal', s)).toEqual(['vehicleModel.make', 'vehicleModel.model', 'vehicleModel.firstRegistrationDate', 'vehicleModel.mileage']);
    s.ctx.program.productCatalogued = true;
    expect(unmet('ready_for_appraisal', s)).toEqual([]);
    expect(unmet('purchase_agreement', s)).toEqual([]);
    WITHOUT['vehicleModel.regNr'](s);
    expect(unmet('ready_for_appraisal', s)).toEqual(['vehicleModel.regNr']);
  });

  it('reads programme facts as missing for a dealer trade-in without a programme row', () => {
    const s = complete();
    expect(check('inspected', s.t, { locationCount: 2, program: null }).map((v) => v.propertyPath)).toEqual(['program.inspectedGrade', 'program.finalValue']);
    expect(check('done', s.t, { locationCount: 2 })).toEqual([]);
  });
});
