import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { isoTimestamp, userRef } from '../common/serialize';
import { TradeInStatusChange } from './trade-in.entity';

/** Who made a move, whatever kind: a staff user, a customer, or a system job; null for moves recorded before actors were. */
function actorOf(c: TradeInStatusChange) {
  if (!c.actorKind) return null;
  return {
    kind: c.actorKind,
    user: c.changedById ? iriOf('users', c.changedById) : null,
    customer: c.changedByCustomerId ? iriOf('customers', c.changedByCustomerId) : null,
    job: c.actorJob,
  };
}

export function serializeStatusChange(c: TradeInStatusChange) {
  return ldNode('StatusChange', {
    id: c.id,
    iri: `${iriOf('trade-ins', c.tradeInId)}/history/${c.id}`,
    from: c.fromStatus,
    to: c.toStatus,
    changedBy: userRef(c.changedBy),
    actor: actorOf(c),
    changedAt: isoTimestamp(c.changedAt),
    rejectReason: c.rejectReason,
    rejectReasonMetaText: c.rejectReasonMetaText,
  });
}
