import { TradeIn } from './trade-in.entity';

type Prop = keyof TradeIn;

/** API field → entity property, for every writable scalar. One table serves input, lock checks, selection and output. */
export const TOP_FIELDS: Record<string, Prop> = {
  specificationTitle: 'specificationTitle',
  note: 'note',
  customerAskingPrice: 'customerAskingPrice',
  purchasePrice: 'purchasePrice',
  marketPrice: 'marketPrice',
  marketValueOnSalesDay: 'marketValueOnSalesDay',
  margin: 'margin',
  refurbishCostEstimate: 'refurbishCostEstimate',
  lastServiceDate: 'lastServiceDate',
  daysToSale: 'daysToSale',
  dailyDepreciationRate: 'dailyDepreciationRate',
  priceExVat: 'priceExVat',
  isVatExempt: 'isVatExempt',
  rejectReason: 'rejectReason',
  rejectReasonMetaText: 'rejectReasonMetaText',
};

export const VEHICLE_FIELDS: Record<string, Prop> = {
  make: 'vmMake',
  model: 'vmModel',
  vinCode: 'vmVinCode',
  color: 'vmColor',
  mileage: 'vmMileage',
  gearbox: 'vmGearbox',
  regNr: 'vmRegNr',
  vehicleType: 'vmVehicleType',
  bodyType: 'vmBodyType',
  cylinderCapacityCm3: 'vmCylinderCapacityCm3',
  maxPowerKw: 'vmMaxPowerKw',
  firstRegistrationDate: 'vmFirstRegistrationDate',
  fuel: 'vmFuel',
  drivetrainType: 'vmDrivetrainType',
  transmissionType: 'vmTransmissionType',
  transmissionCode: 'vmTransmissionCode',
  equipment: 'vmEquipment',
  accidents: 'vmAccidents',
};

export const CONDITION_FIELDS: Record<string, Prop> = {
  fullService: 'condFullService',
  tiresMoreThan6mm: 'condTiresMoreThan6mm',
  acWorks: 'condAcWorks',
  animalsInCar: 'condAnimalsInCar',
  majorAccident: 'condMajorAccident',
  mechanicalTested: 'condMechanicalTested',
  originalPaint: 'condOriginalPaint',
  smokedInCar: 'condSmokedInCar',
};

export const DEBT_FIELDS: Record<string, Prop> = { amount: 'debtAmount', bank: 'debtBank' };

/** Nested objects of the representation and their field tables. */
export const NESTED: Record<string, Record<string, Prop>> = {
  vehicleModel: VEHICLE_FIELDS,
  condition: CONDITION_FIELDS,
  debtInfo: DEBT_FIELDS,
};

/** Embedded relations: representation field → relation property. */
export const RELATIONS: Record<string, { relation: Prop; fk: Prop; columns: string[] }> = {
  customer: { relation: 'customer', fk: 'customerId', columns: ['id', 'firstName', 'lastName', 'companyName', 'email', 'phone', 'personalCode', 'address', 'createdAt', 'updatedAt'] },
  dealership: { relation: 'dealership', fk: 'dealershipId', columns: ['id', 'name', 'code', 'address', 'city', 'country', 'phone', 'email', 'createdAt', 'updatedAt'] },
  createdBy: { relation: 'createdBy', fk: 'createdById', columns: ['id', 'name', 'email'] },
  updatedBy: { relation: 'updatedBy', fk: 'updatedById', columns: ['id', 'name', 'email'] },
  reportSignedBy: { relation: 'reportSignedBy', fk: 'reportSignedById', columns: ['id', 'name', 'email'] },
  doneBy: { relation: 'doneBy', fk: 'doneById', columns: ['id', 'name', 'email'] },
};

/** Values compared for "is this a change?" (lock rule): numbers, dates and JSON by value. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return false;
}
