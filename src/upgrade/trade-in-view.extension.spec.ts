import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { migratedDataSource } from '../../test/data-source';
import { createUser } from '../auth/keys';
import { pickProperties, PropertyTree } from '../common/collection';
import { ldNode, toJsonLd } from '../common/jsonld';
import { compileView, rawKey } from '../common/row-view';
import { isoTimestamp, userRef } from '../common/serialize';
import { Customer } from '../customers/customer.entity';
import { serializeCustomer } from '../customers/customers.resource';
import { storedRows } from '../platform/raw-queries';
import { Location } from '../locations/location.entity';
import { serializeLocation } from '../locations/locations.resource';
import { CORE_TRADE_IN_STATUSES, TradeIn } from '../trade-ins/trade-in.entity';
import { tradeInView } from '../trade-ins/trade-in.view';
import { PROGRAM_VIEW_FIELD } from './program-facts.extension';
import { ProgramAccount, TradeInProgram } from './program.entities';
import { PROGRAMME_STATUSES } from './program-statuses';

/*
 * The compiled renderers (row-view.ts compiling trade-in.view.ts, with the programme's `program`
 * field of program-facts.extension.ts, per properties[] shape, reading
 * the stored row) against the plain way: the entity as TypeORM hydrates it, serialized field by
 * field, then `pickProperties` and `toJsonLd`, on random trade-ins in a real database (SQLite, or
 * MariaDB with TEST_DB=mysql) and random selections. Both must produce the same JSON text.
 */

const PROGRAM_STATUS: Record<string, string> = {
  not_done: 'draft',
  ready_for_appraisal: 'submitted',
  done: 'submitted',
  sent_to_customer: 'offered',
  purchase_agreement: 'accepted',
  no_deal: 'declined',
};

/** The trade-in representation written out plainly, field by field, from the hydrated entity (the contract's field list). */
function plainTradeIn(t: TradeIn, p: TradeInProgram | null): object {
  return ldNode('TradeIn', {
    id: t.id,
    iri: `/api/v3/trade-ins/${t.id}`,
    status: t.status,
    specificationTitle: t.specificationTitle,
    note: t.note,
    customerAskingPrice: t.customerAskingPrice,
    purchasePrice: t.purchasePrice,
    marketPrice: t.marketPrice,
    marketValueOnSalesDay: t.marketValueOnSalesDay,
    margin: t.margin,
    refurbishCostEstimate: t.refurbishCostEstimate,
    lastServiceDate: t.lastServiceDate,
    daysToSale: t.daysToSale,
    dailyDepreciationRate: t.dailyDepreciationRate,
    priceExVat: t.priceExVat,
    isVatExempt: t.isVatExempt,
    rejectReason: t.rejectReason,
    rejectReasonMetaText: t.rejectReasonMetaText,
    customer: t.customer ? serializeCustomer(t.customer) : null,
    dealership: t.dealership ? serializeLocation(t.dealership) : null,
    debtInfo: { amount: t.debtAmount, bank: t.debtBank },
    vehicleModel: {
      make: t.vmMake,
      model: t.vmModel,
      vinCode: t.vmVinCode,
      color: t.vmColor,
      mileage: t.vmMileage,
      gearbox: t.vmGearbox,
      regNr: t.vmRegNr,
      vehicleType: t.vmVehicleType,
      bodyType: t.vmBodyType,
      cylinderCapacityCm3: t.vmCylinderCapacityCm3,
      maxPowerKw: t.vmMaxPowerKw,
      firstRegistrationDate: t.vmFirstRegistrationDate,
      fuel: t.vmFuel,
      drivetrainType: t.vmDrivetrainType,
      transmissionType: t.vmTransmissionType,
      transmissionCode: t.vmTransmissionCode,
      equipment: t.vmEquipment,
      accidents: t.vmAccidents,
    },
    condition: {
      fullService: t.condFullService,
      tiresMoreThan6mm: t.condTiresMoreThan6mm,
      acWorks: t.condAcWorks,
      animalsInCar: t.condAnimalsInCar,
      majorAccident: t.condMajorAccident,
      mechanicalTested: t.condMechanicalTested,
      originalPaint: t.condOriginalPaint,
      smokedInCar: t.condSmokedInCar,
    },
    createdAt: isoTimestamp(t.createdAt),
    createdBy: userRef(t.createdBy),
    updatedAt: isoTimestamp(t.updatedAt),
    updatedBy: userRef(t.updatedBy),
    reportSignedAt: isoTimestamp(t.reportSignedAt),
    reportSignedBy: userRef(t.reportSignedBy),
    doneBy: userRef(t.doneBy),
    program: p
      ? {
          submissionId: `sub_${t.id}`,
          programStatus: PROGRAM_STATUS[t.status] ?? t.status,
          accountId: p.accountId,
          productId: p.productId,
          productCatalogued: p.productCatalogued,
          serialNumber: p.serialNumber,
          conditionGrade: p.conditionGrade,
          quotedValue: p.quotedValue,
          shippingMethod: p.shippingMethod,
          trackingNumber: p.trackingNumber,
          shippedAt: isoTimestamp(p.shippedAt),
          receivedAt: isoTimestamp(p.receivedAt),
          inspectedGrade: p.inspectedGrade,
          finalValue: p.finalValue,
          inspectedAt: isoTimestamp(p.inspectedAt),
          creditType: p.creditType,
          creditAmount: p.creditAmount,
          creditIssuedAt: isoTimestamp(p.creditIssuedAt),
        }
      : null,
  });
}

// ------------------------------------------------------------------ random stored values

const text = (max: number) => fc.option(fc.string({ unit: 'grapheme', maxLength: max }).map((s) => [...s].slice(0, max).join('')));
const money = fc.option(fc.integer({ min: 0, max: 99_999_999_999 }).map((c) => c / 100));
const int = fc.option(fc.integer({ min: 0, max: 2_000_000_000 }));
const day = fc.option(fc.date({ min: new Date('1950-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
const instant = fc.date({ min: new Date('2000-01-01'), max: new Date('2037-12-31'), noInvalidDate: true });
const flag = fc.option(fc.boolean());

function tradeInValues(users: number[], customers: number[], locations: number[]) {
  const ref = (ids: number[]) => fc.option(fc.constantFrom(...ids));
  return fc.record({
    status: fc.constantFrom(...CORE_TRADE_IN_STATUSES, ...PROGRAMME_STATUSES.statuses),
    specificationTitle: text(255),
    note: text(300),
    customerId: ref(customers),
    dealershipId: ref(locations),
    customerAskingPrice: money,
    purchasePrice: money,
    marketPrice: money,
    marketValueOnSalesDay: money,
    margin: fc.option(fc.integer({ min: 0, max: 10_000 }).map((u) => u / 100)),
    refurbishCostEstimate: money,
    lastServiceDate: day,
    daysToSale: fc.option(fc.integer({ min: 0, max: 3650 })),
    dailyDepreciationRate: fc.option(fc.integer({ min: 0, max: 1_000_000 }).map((u) => u / 10_000)),
    priceExVat: fc.boolean(),
    isVatExempt: fc.boolean(),
    debtAmount: money,
    debtBank: text(150),
    rejectReason: fc.option(fc.constantFrom('price_too_low', 'bought_elsewhere')),
    rejectReasonMetaText: text(200),
    vmMake: text(100),
    vmModel: text(100),
    vmVinCode: fc.option(fc.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/)),
    vmColor: text(60),
    vmMileage: int,
    vmGearbox: text(60),
    vmRegNr: text(20),
    vmVehicleType: fc.constantFrom('PC', 'LCV', 'MC'),
    vmBodyType: text(60),
    vmCylinderCapacityCm3: int,
    vmMaxPowerKw: int,
    vmFirstRegistrationDate: day,
    vmFuel: text(60),
    vmDrivetrainType: text(60),
    vmTransmissionType: text(60),
    vmTransmissionCode: text(60),
    vmEquipment: fc.option(fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 })),
    vmAccidents: fc.option(fc.array(fc.record({ date: day, description: text(50), repairCost: money }), { maxLength: 3 })),
    condFullService: flag,
    condTiresMoreThan6mm: flag,
    condAcWorks: flag,
    condAnimalsInCar: flag,
    condMajorAccident: flag,
    condMechanicalTested: flag,
    condOriginalPaint: flag,
    condSmokedInCar: flag,
    createdAt: instant,
    createdById: ref(users),
    updatedAt: instant,
    updatedById: ref(users),
    reportSignedAt: fc.option(instant),
    reportSignedById: ref(users),
    doneById: ref(users),
    version: fc.integer({ min: 1, max: 1000 }),
  });
}

const programValues = fc.option(
  fc.record({
    productId: text(64),
    productCatalogued: fc.boolean(),
    serialNumber: text(64),
    conditionGrade: fc.option(fc.constantFrom('excellent', 'good', 'fair', 'poor' as const)),
    quotedValue: money,
    shippingMethod: fc.option(fc.constantFrom('shipping_kit', 'return_label', 'drop_off' as const)),
    trackingNumber: text(64),
    shippedAt: fc.option(instant),
    receivedAt: fc.option(instant),
    inspectedGrade: fc.option(fc.constantFrom('excellent', 'good', 'fair', 'poor' as const)),
    finalValue: money,
    inspectedAt: fc.option(instant),
    creditType: fc.option(fc.constantFrom('store_credit', 'refund' as const)),
    creditAmount: money,
    creditIssuedAt: fc.option(instant),
    createdAt: instant,
    updatedAt: instant,
  }),
);

// Selections: fields of every level, names that do not exist, and a sub-selection under a scalar (kept whole).
const FIELD_NAMES = Object.keys(plainTradeIn({} as TradeIn, {} as TradeInProgram));
const SUB_NAMES = ['id', 'iri', 'name', 'email', 'lastName', 'city', 'make', 'regNr', 'accidents', 'acWorks', 'amount', 'programStatus', 'quotedValue', 'shippedAt', 'nope'];
const subTree: fc.Arbitrary<PropertyTree> = fc.uniqueArray(fc.constantFrom(...SUB_NAMES), { maxLength: 4 }).map((names) => Object.fromEntries(names.map((n) => [n, true as const])));
const tree: fc.Arbitrary<PropertyTree | null> = fc.option(
  fc
    .uniqueArray(fc.tuple(fc.constantFrom(...FIELD_NAMES, 'unknown'), fc.option(subTree, { freq: 3 })), { selector: ([name]) => name, maxLength: 8 })
    .map((entries) => Object.fromEntries(entries.map(([name, sub]) => [name, sub ?? (true as const)]))),
  { freq: 4 },
);

// ------------------------------------------------------------------ the comparison

let ds: DataSource;
let close: () => Promise<void>;
let tenantId: number;
const pools = { users: [] as number[], customers: [] as number[], locations: [] as number[], accounts: [] as number[] };

beforeAll(async () => {
  ({ ds, tenantId, close } = await migratedDataSource('renderers'));
  const now = new Date('2024-05-06T07:08:09.123Z');
  for (const i of [1, 2, 3]) pools.users.push((await createUser(ds.manager, tenantId, `u${i}@example.com`, `User ${i}`, 'manager')).id);
  const customers = ds.getRepository(Customer);
  pools.customers.push(
    (
      await customers.save({
        tenantId,
        firstName: 'Mari',
        lastName: 'Maasikas',
        companyName: null,
        email: 'mari@example.com',
        phone: '+372 5555',
        personalCode: '49001010000',
        address: 'Tallinn',
        createdAt: now,
        updatedAt: now,
      })
    ).id,
  );
  pools.customers.push(
    (await customers.save({ tenantId, firstName: null, lastName: null, companyName: 'Fleet OÜ', email: null, phone: null, personalCode: null, address: null, createdAt: now, updatedAt: now })).id,
  );
  const locations = ds.getRepository(Location);
  pools.locations.push(
    (await locations.save({ tenantId, name: 'Tartu', code: 'TRT', address: 'Riia 1', city: 'Tartu', country: 'EE', phone: null, email: 'tartu@example.com', createdAt: now, updatedAt: now })).id,
  );
  pools.locations.push((await locations.save({ tenantId, name: 'Pärnu', code: null, address: null, city: null, country: null, phone: null, email: null, createdAt: now, updatedAt: now })).id);
  pools.accounts.push(
    (
      await ds
        .getRepository(ProgramAccount)
        .save({ tenantId, customerId: pools.customers[0], email: 'mari@example.com', passwordHash: 'x', failedLogins: 0, lockedUntil: null, lastLoginAt: null, createdAt: now, updatedAt: now })
    ).id,
  );
});

afterAll(() => close?.());

const RELATIONS = { customer: true, dealership: true, createdBy: true, updatedBy: true, reportSignedBy: true, doneBy: true } as const;
const FIELDS = [PROGRAM_VIEW_FIELD];

/** What the compiled renderers make of the stored row, read with the columns the view asks for (CompiledView's contract). */
async function compiled(id: number, selection: PropertyTree | null): Promise<{ json: object; jsonld: object }> {
  const view = compileView(tradeInView(ds, FIELDS), selection);
  const qb = ds.getRepository(TradeIn).createQueryBuilder('t').select('t.id', rawKey('t.id')).where('t.id = :id', { id });
  for (const alias of new Set(view.columns.map((c) => c.split('.')[0]))) {
    const join = PROGRAM_VIEW_FIELD.joins.find((j) => j.alias === alias);
    if (join) qb.leftJoin(join.entity, alias, join.on);
    else if (alias !== 't') qb.leftJoin(`t.${alias}`, alias);
  }
  for (const c of view.columns) if (c !== 't.id') qb.addSelect(c, rawKey(c));
  const [sql, params] = qb.getQueryAndParameters();
  const [row] = await storedRows(ds.manager, sql, params);
  return { json: view.json(row), jsonld: view.jsonld(row) };
}

describe('compiled trade-in renderers', () => {
  it('render every stored trade-in and every properties[] selection exactly as the plain serializer does, in JSON and JSON-LD', async () => {
    await fc.assert(
      fc.asyncProperty(tradeInValues(pools.users, pools.customers, pools.locations), programValues, fc.array(tree, { minLength: 1, maxLength: 4 }), async (values, program, selections) => {
        const { identifiers } = await ds.getRepository(TradeIn).insert({ ...values, tenantId });
        const id = identifiers[0].id as number;
        if (program) await ds.getRepository(TradeInProgram).insert({ ...program, tradeInId: id, tenantId, accountId: pools.accounts[0] });
        const entity = await ds.getRepository(TradeIn).findOneOrFail({ where: { id }, relations: RELATIONS });
        const row = await ds.getRepository(TradeInProgram).findOneBy({ tradeInId: id });
        for (const selection of selections) {
          const plain = selection ? pickProperties(plainTradeIn(entity, row), selection) : plainTradeIn(entity, row);
          const { json, jsonld } = await compiled(id, selection);
          expect(JSON.stringify(json)).toBe(JSON.stringify(plain));
          expect(JSON.stringify(jsonld)).toBe(JSON.stringify(toJsonLd(plain)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('render a trade-in without relations or programme row with nulls, and keep @id/@type of nested nodes when their iri is not selected', async () => {
    const now = new Date('2024-01-31T10:00:00.5Z');
    const { identifiers } = await ds.getRepository(TradeIn).insert({ tenantId, status: 'not_done', createdAt: now, updatedAt: now, customerId: pools.customers[0] });
    const id = identifiers[0].id as number;
    const { json, jsonld } = await compiled(id, { customer: { lastName: true }, program: true, createdAt: true });
    expect(json).toEqual({ customer: { lastName: 'Maasikas' }, program: null, createdAt: '2024-01-31T10:00:00.500+00:00' });
    expect(JSON.stringify(jsonld)).toBe(
      JSON.stringify({
        '@id': `/api/v3/trade-ins/${id}`,
        '@type': 'TradeIn',
        customer: { '@id': `/api/v3/customers/${pools.customers[0]}`, '@type': 'Customer', lastName: 'Maasikas' },
        program: null,
        createdAt: '2024-01-31T10:00:00.500+00:00',
      }),
    );
  });
});
