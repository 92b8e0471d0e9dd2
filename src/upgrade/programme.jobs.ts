import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, LessThan, LessThanOrEqual } from 'typeorm';
import { isoTimestamp } from '../common/serialize';
import { recordEvent } from '../database/outbox';
import { TxService } from '../database/tx.service';
import { JobRunner } from '../jobs/job-runner';
import { Tenant } from '../tenants/tenant.entity';
import { TradeInsService } from '../trade-ins/trade-ins.service';
import { ProgramOffer, ProgramPasswordReset, ProgramSession } from './program.entities';
import { offerId, submissionId } from './program.mapping';

/** The offer-expiry job: its name is also the actor of the moves it makes in the trade-in history. */
const EXPIRE_OFFERS = 'programme.expire-offers';
/** Sessions stay a week past their expiry or logout, then go. */
const SESSION_KEEP_MS = 7 * 86_400_000;
/** Offers expired per run (the rest in the next tick). */
const EXPIRY_BATCH = 100;

/**
 * The programme's scheduled work: offers whose expires_at passed become `expired` (checked every
 * tick, so within a tick of the time), and old sessions and password reset codes are purged (hourly).
 */
@Injectable()
export class ProgrammeJobs implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly tradeIns: TradeInsService,
    private readonly tx: TxService,
  ) {}

  onModuleInit(): void {
    this.runner.register({ name: EXPIRE_OFFERS, mode: 'single', everyMs: 0, run: (em) => this.expireOffers(em, new Date()) });
    this.runner.register({ name: 'programme.purge-sessions', mode: 'single', everyMs: 3600_000, run: (em) => purgeSessions(em, Date.now()) });
  }

  /**
   * Each due offer under its trade-in's lock (the lock order of every programme write: trade-in,
   * programme row, offer), re-read there: one accepted, declined or superseded meanwhile is left
   * alone, and the conditional UPDATE (… AND status = 'pending') makes a second runner's expiry of
   * the same offer change nothing: exactly once. The trade-in goes back from sent_to_customer to
   * done (the submission awaits a new offer) through the status machine, with its history and events.
   */
  async expireOffers(em: EntityManager, now: Date): Promise<number> {
    const due = await em.getRepository(ProgramOffer).find({ where: { status: 'pending', expiresAt: LessThanOrEqual(now) }, order: { id: 'ASC' }, take: EXPIRY_BATCH });
    let expired = 0;
    for (const candidate of due) {
      const t = await this.tradeIns.lockRow(em, candidate.tenantId, candidate.tradeInId);
      const program = await this.tradeIns.lockProgram(em, candidate.tenantId, candidate.tradeInId);
      const o = await em.getRepository(ProgramOffer).findOne({ where: { id: candidate.id }, lock: this.tx.lockMode() });
      if (!o || o.status !== 'pending' || !o.expiresAt || o.expiresAt.getTime() > now.getTime()) continue;
      const changed = await em.getRepository(ProgramOffer).update({ id: o.id, status: 'pending' }, { status: 'expired' });
      if (changed.affected !== 1) continue;
      if (t.status === 'sent_to_customer') await this.tradeIns.transition(em, { tenantId: o.tenantId, userId: null, job: EXPIRE_OFFERS }, t, 'done', { program });
      const slug = (await em.getRepository(Tenant).findOneByOrFail({ id: o.tenantId })).slug;
      const offer = { id: offerId(o.id), submission_id: submissionId(o.tradeInId), amount: o.amount, expires_at: isoTimestamp(o.expiresAt), status: 'expired', kind: o.kind };
      await recordEvent(em, o.tenantId, 'offer.expired', `/api/${slug}/offers/${offerId(o.id)}`, { offer }, o.tradeInId);
      expired++;
    }
    return expired;
  }
}

export async function purgeSessions(em: EntityManager, now: number): Promise<number> {
  const before = new Date(now - SESSION_KEEP_MS);
  const expired = await em.getRepository(ProgramSession).delete({ expiresAt: LessThan(before) });
  const revoked = await em.getRepository(ProgramSession).delete({ revokedAt: LessThan(before) });
  // Password reset codes likewise: a week past their expiry (used or not) they go.
  const resets = await em.getRepository(ProgramPasswordReset).delete({ expiresAt: LessThan(before) });
  return (expired.affected ?? 0) + (revoked.affected ?? 0) + (resets.affected ?? 0);
}
