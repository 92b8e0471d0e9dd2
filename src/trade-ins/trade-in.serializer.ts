import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { isoTimestamp, userRef } from '../common/serialize';
import { TradeInStatusChange } from './trade-in.entity';

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
