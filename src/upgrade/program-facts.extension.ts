import { ApiPropertyOptional } from '@nestjs/swagger';
import { EntityManager } from 'typeorm';
import { conflict } from '../common/errors';
import { ReferenceCheck } from '../common/references';
import { Customer } from '../customers/customer.entity';
import { engineOf } from '../database/data-source';
import { present } from '../trade-ins/status-machine';
import type { TradeIn, TradeInStatus } from '../trade-ins/trade-in.entity';
import { ExtensionRequirement, TradeInRules, TradeInViewField } from '../trade-ins/trade-in.extensions';
import { sameValue } from '../trade-ins/trade-in.fields';
import { TradeInView } from '../trade-ins/trade-in.views';
import { ProgramAccount, TradeInProgram } from './program.entities';
import { PROGRAM_STATUS, submissionId } from './program.mapping';
import { ProgramFactsView } from './submissions/submissions.dto';

/*
 * What the customer programme adds to the trade-in core (through the points of
 * trade-ins/trade-in.extensions.ts; the core does not import the programme).
 */

/** Programme statuses from the customer's acceptance on: the agreement (and later the credit) must stay. */
const ACCEPTED: ReadonlySet<TradeInStatus> = new Set(['purchase_agreement', 'shipped', 'received', 'inspected', 'completed']);

const CUSTOMER_READ_ONLY = 'customer cannot be changed on a programme submission: it is the account holder who submitted it.';

const INSPECTION: ExtensionRequirement<TradeInProgram>[] = [
  { path: 'program.inspectedGrade', message: 'an inspection grade is required (POST /api/{tenant}/submissions/{id}/inspect)', met: (_t, p) => present(p?.inspectedGrade) },
  { path: 'program.finalValue', message: 'a final value is required (POST /api/{tenant}/submissions/{id}/inspect)', met: (_t, p) => present(p?.finalValue) },
];

/** The programme's rules on trade-in writes, whichever API makes them; the facts are the trade-in's `trade_in_programs` row. */
export class ProgramTradeInRules implements TradeInRules<TradeInProgram> {
  readonly name = 'program';

  /** `FOR UPDATE` where the engine has it (as TxService.lockMode: SQLite serialises writers already). */
  facts(em: EntityManager, tenantId: number, tradeInId: number, lock: boolean): Promise<TradeInProgram | null> {
    const locked = lock && engineOf(em.connection) === 'mysql';
    return em.getRepository(TradeInProgram).findOne({ where: { tradeInId, tenantId }, ...(locked ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  // The programme's own requirement for submitting, whichever API makes the move.
  readonly vehicle: ExtensionRequirement<TradeInProgram>[] = [
    { path: 'program.conditionGrade', message: 'a programme submission needs its condition grade (excellent, good, fair or poor)', met: (_t, p) => !p || present(p.conditionGrade) },
  ];

  readonly entering: Partial<Record<TradeInStatus, ExtensionRequirement<TradeInProgram>[]>> = {
    inspected: INSPECTION,
    completed: [...INSPECTION, { path: 'program.credit', message: 'the credit must be issued (POST /api/{tenant}/submissions/{id}/complete)', met: (_t, p) => present(p?.creditIssuedAt) }],
  };

  /**
   * A programme submission whose product_id names a product of the tenant's catalogue is described
   * by the catalogue: make, model, first registration and mileage are not asked of it (README,
   * "Catalogued products"). Its identification (serial number) and condition still are.
   */
  readonly alternatives = {
    ...Object.fromEntries(
      (['make', 'model', 'firstRegistrationDate', 'mileage'] as const).map((field) => [
        `vehicleModel.${field}`,
        { message: `vehicleModel.${field} is required (a programme submission of a catalogued product needs none)`, met: (p: TradeInProgram | null) => p?.productCatalogued === true },
      ]),
    ),
    'vehicleModel.regNr': {
      message: 'vehicleModel.regNr or vehicleModel.vinCode (or, for programme submissions, a serial number) is required',
      met: (p: TradeInProgram | null) => present(p?.serialNumber),
    },
  };

  /**
   * Moves that belong to the programme's own actions: an offer (sent_to_customer) is made with
   * POST /api/{tenant}/offers, and only the customer accepts it (purchase_agreement). The dealer
   * API may not make them for a programme trade-in (it would leave the offer pending, or accept an
   * expired one on the customer's behalf).
   */
  assertDealerMove(_p: TradeInProgram, target: TradeInStatus): void {
    if (target === 'purchase_agreement') {
      throw conflict('Only the customer accepts the offer of a programme submission (POST /api/{tenant}/offers/{id} with action "accept").');
    }
    if (target === 'sent_to_customer') throw conflict('Offers on a programme submission are made with POST /api/{tenant}/offers, which sends them to the customer.');
  }

  dealerPatchViolations(_p: TradeInProgram, before: TradeIn, values: Partial<TradeIn>) {
    if (values.customerId === undefined || sameValue(before.customerId, values.customerId)) return [];
    return [{ propertyPath: 'customer', message: CUSTOMER_READ_ONLY, code: 'read_only' as const }];
  }

  assertDealerRemove(p: TradeInProgram, t: TradeIn): void {
    if (ACCEPTED.has(t.status) || p.creditIssuedAt) {
      throw conflict(`Trade-in ${t.id} is a programme submission the customer has accepted (status "${t.status}"): it cannot be deleted. Move it to no_deal instead.`);
    }
  }
}

const PROGRAM_COLUMNS = ['accountId', 'productId', 'productCatalogued', 'serialNumber', 'conditionGrade', 'quotedValue', 'shippingMethod', 'trackingNumber', 'shippedAt', 'receivedAt'].concat([
  'inspectedGrade',
  'finalValue',
  'inspectedAt',
  'creditType',
  'creditAmount',
  'creditIssuedAt',
]);

/** The `program` field of the trade-in representation (null for dealer trade-ins) and its join. */
export const PROGRAM_VIEW_FIELD: TradeInViewField = {
  joins: [{ alias: 'program', entity: TradeInProgram, on: 'program.tradeInId = t.id' }],
  field: (column) => ({
    kind: 'object',
    name: 'program',
    presentIf: 'program.tradeInId',
    fields: [
      { kind: 'leaf', name: 'submissionId', columns: ['program.tradeInId'], fn: submissionId },
      { kind: 'leaf', name: 'programStatus', columns: ['t.status'], fn: (s: TradeInStatus) => PROGRAM_STATUS[s] },
      ...PROGRAM_COLUMNS.map((p) => column(`program.${p}`)),
    ],
  }),
};

// The OpenAPI side of the field (metadata only; the last property of TradeInView, as before the move).
ApiPropertyOptional({
  description: 'Read-only: the customer-programme side when the trade-in came in as a submission (/api/{tenant}/submissions); null for dealer trade-ins.',
  type: ProgramFactsView,
  nullable: true,
})(TradeInView.prototype, 'program');

/** A customer with a programme account cannot be deleted (asked after the trade-ins' check). */
export const PROGRAM_REFERENCE_CHECK: ReferenceCheck = {
  entity: Customer,
  order: 20,
  async check(em, tenantId, id) {
    if (!(await em.getRepository(ProgramAccount).existsBy({ tenantId, customerId: id }))) return null;
    return `Customer ${id} has a trade-in programme account (/api/{tenant}/auth); it cannot be deleted while the account exists.`;
  },
};
