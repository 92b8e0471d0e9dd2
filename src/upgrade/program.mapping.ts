import type { TradeInStatus } from '../trade-ins/trade-in.entity';
// The programme's statuses in TradeInStatus (the type's augmentation lives there).
import type {} from './program-statuses';

/**
 * Programme status ← trade-in status. `done` (appraisal final, offer being prepared) still reads
 * "submitted" for the customer: the offer only exists for them once it is sent_to_customer.
 */
export const PROGRAM_STATUS: Record<TradeInStatus, string> = {
  not_done: 'draft',
  ready_for_appraisal: 'submitted',
  done: 'submitted',
  sent_to_customer: 'offered',
  purchase_agreement: 'accepted',
  shipped: 'shipped',
  received: 'received',
  inspected: 'inspected',
  completed: 'completed',
  no_deal: 'declined',
};

export const PROGRAM_STATUSES = ['draft', 'submitted', 'offered', 'accepted', 'shipped', 'received', 'inspected', 'completed', 'declined'] as const;

export const submissionId = (tradeInId: number) => `sub_${tradeInId}`;
export const offerId = (id: number) => `off_${id}`;

/** `sub_123` or `123` → 123; anything else → null. */
export function parsePrefixed(value: string | number, prefix: string): number | null {
  const m = new RegExp(`^(?:${prefix}_)?([1-9][0-9]{0,9})$`).exec(String(value));
  return m && Number(m[1]) <= 2147483647 ? Number(m[1]) : null;
}
