import { EntityManager } from 'typeorm';
import { ItemResult } from '../common/responses';
import { EventType, recordEvent } from '../database/outbox';
import type { Caller } from './program.guard';
import { submissionId } from './program.mapping';

/**
 * The outbox event of a programme write (database/outbox.ts), in its transaction, in the trade-in's
 * sequence; passes the result through. Subjects are the programme's URLs; the payload is the
 * representation the caller of the change saw.
 */
export async function recordProgrammeEvent(em: EntityManager, caller: Caller, type: EventType, result: ItemResult, tradeInId: number): Promise<ItemResult> {
  const offer = type.startsWith('offer.');
  const subject = offer ? `/api/${caller.tenant.slug}/offers/${(result.item as { id: string }).id}` : `/api/${caller.tenant.slug}/submissions/${submissionId(tradeInId)}`;
  await recordEvent(em, caller.tenant.id, type, subject, offer ? { offer: result.item } : { submission: result.item }, tradeInId);
  return result;
}

/** The event of each logistics step. */
export const LOGISTICS_EVENTS = { shipped: 'submission.shipped', received: 'submission.received', inspected: 'submission.inspected' } as const;
