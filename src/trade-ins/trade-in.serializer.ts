import { serializeCustomer } from '../customers/customers.resource';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { isoTimestamp, userRef } from '../common/serialize';
import { serializeLocation } from '../locations/locations.resource';
import { TradeInProgram } from '../upgrade/program.entities';
import { PROGRAM_STATUS, submissionId } from '../upgrade/program.mapping';
import { TradeIn, TradeInStatus, TradeInStatusChange } from './trade-in.entity';
import { CONDITION_FIELDS, DEBT_FIELDS, TOP_FIELDS, VEHICLE_FIELDS } from './trade-in.fields';

function nested(t: TradeIn, fields: Record<string, keyof TradeIn>) {
  const out: Record<string, unknown> = {};
  for (const [api, prop] of Object.entries(fields)) out[api] = t[prop] ?? null;
  return out;
}

/** The trade-in representation (plain JSON form; JSON-LD adds @id/@type). Works on partially selected rows. */
export function serializeTradeIn(t: TradeIn) {
  const top: Record<string, unknown> = {};
  for (const [api, prop] of Object.entries(TOP_FIELDS)) top[api] = t[prop] ?? null;
  return ldNode('TradeIn', {
    id: t.id,
    iri: iriOf('trade-ins', t.id),
    status: t.status,
    ...top,
    customer: t.customer ? serializeCustomer(t.customer) : null,
    dealership: t.dealership ? serializeLocation(t.dealership) : null,
    debtInfo: nested(t, DEBT_FIELDS),
    vehicleModel: nested(t, VEHICLE_FIELDS),
    condition: nested(t, CONDITION_FIELDS),
    createdAt: isoTimestamp(t.createdAt),
    createdBy: userRef(t.createdBy),
    updatedAt: isoTimestamp(t.updatedAt),
    updatedBy: userRef(t.updatedBy),
    reportSignedAt: isoTimestamp(t.reportSignedAt),
    reportSignedBy: userRef(t.reportSignedBy),
    doneBy: userRef(t.doneBy),
    program: t.program ? serializeProgramFacts(t.program, t.status) : null,
  });
}

/** The customer-programme side of a trade-in, read-only in this API (written through /api/{tenant}/...). */
export function serializeProgramFacts(p: TradeInProgram, status: TradeInStatus) {
  return {
    submissionId: submissionId(p.tradeInId),
    programStatus: PROGRAM_STATUS[status],
    accountId: p.accountId,
    productId: p.productId,
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
  };
}

export function serializeStatusChange(c: TradeInStatusChange) {
  return ldNode('StatusChange', {
    id: c.id,
    iri: `${iriOf('trade-ins', c.tradeInId)}/history/${c.id}`,
    from: c.fromStatus,
    to: c.toStatus,
    changedBy: userRef(c.changedBy),
    changedAt: isoTimestamp(c.changedAt),
    rejectReason: c.rejectReason,
    rejectReasonMetaText: c.rejectReasonMetaText,
  });
}
