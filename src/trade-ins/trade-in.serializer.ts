import { serializeCustomer } from '../customers/customers.resource';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { isoTimestamp, userRef } from '../common/serialize';
import { serializeLocation } from '../locations/locations.resource';
import { TradeInProgram } from '../upgrade/program.entities';
import { PROGRAM_STATUS, submissionId } from '../upgrade/program.mapping';
import { TradeIn, TradeInStatus, TradeInStatusChange } from './trade-in.entity';
import { CONDITION_FIELDS, DEBT_FIELDS, TOP_FIELDS, VEHICLE_FIELDS } from './trade-in.fields';

// [api name, entity property] pairs, listed once rather than by Object.entries() for every row
const TOP_ENTRIES = Object.entries(TOP_FIELDS);
const DEBT_ENTRIES = Object.entries(DEBT_FIELDS);
const VEHICLE_ENTRIES = Object.entries(VEHICLE_FIELDS);
const CONDITION_ENTRIES = Object.entries(CONDITION_FIELDS);

function nested(t: TradeIn, fields: [string, keyof TradeIn][]) {
  const out: Record<string, unknown> = {};
  for (const [api, prop] of fields) out[api] = t[prop] ?? null;
  return out;
}

/** The trade-in representation (plain JSON form; JSON-LD adds @id/@type). Works on partially selected rows. */
export function serializeTradeIn(t: TradeIn) {
  const out: Record<string, unknown> = { id: t.id, iri: iriOf('trade-ins', t.id), status: t.status };
  for (const [api, prop] of TOP_ENTRIES) out[api] = t[prop] ?? null;
  out.customer = t.customer ? serializeCustomer(t.customer) : null;
  out.dealership = t.dealership ? serializeLocation(t.dealership) : null;
  out.debtInfo = nested(t, DEBT_ENTRIES);
  out.vehicleModel = nested(t, VEHICLE_ENTRIES);
  out.condition = nested(t, CONDITION_ENTRIES);
  out.createdAt = isoTimestamp(t.createdAt);
  out.createdBy = userRef(t.createdBy);
  out.updatedAt = isoTimestamp(t.updatedAt);
  out.updatedBy = userRef(t.updatedBy);
  out.reportSignedAt = isoTimestamp(t.reportSignedAt);
  out.reportSignedBy = userRef(t.reportSignedBy);
  out.doneBy = userRef(t.doneBy);
  out.program = t.program ? serializeProgramFacts(t.program, t.status) : null;
  return ldNode('TradeIn', out);
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
