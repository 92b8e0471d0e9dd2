import { Inject, Injectable } from '@nestjs/common';
import { COUNTER_STORE, CounterStore, rateLimited } from '../common/throttle.counters';
import { AppConfig, APP_CONFIG } from '../config';
import { SlowDown } from './slow-down';

const MINUTE = 60_000;
/** How long an address that logged in to an account is remembered as the account holder's. */
const KNOWN_ADDRESS_MS = 30 * 24 * 3600_000;

/** A password check that was allowed to run; report how it ended with `LoginAttempts.end`. */
export interface LoginTicket {
  account: string;
  address: string;
}

/**
 * Who may have a password checked, decided before the check and counted at once (so checks still
 * in flight count), on expiring counters (CounterStore: in memory now, shareable later):
 *
 * - per address: PASSWORD_CHECKS_PER_IP password checks a minute, logins and registrations alike —
 *   below what the machine can hash, so one client cannot keep the hashing threads busy;
 * - per e-mail and address: LOGIN_MAX_FAILURES checks in a row without a success, then that
 *   address waits (backoff: LOGIN_BACKOFF_SECONDS, doubling with each further lock up to
 *   LOGIN_LOCK_SECONDS). A success resets only its own address's count, never a lock in force;
 * - per e-mail: LOGIN_ACCOUNT_MAX_CHECKS checks per LOGIN_LOCK_SECONDS from addresses that have
 *   not logged in to it before. Addresses the account holder logged in from are not counted here,
 *   so guesses from elsewhere cannot keep the customer out.
 *
 * Keys are e-mails, not accounts: an unknown e-mail is counted and locked exactly like a real one,
 * so the answers do not tell which accounts exist.
 */
@Injectable()
export class LoginAttempts {
  constructor(
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly slowDown: SlowDown,
  ) {}

  /** One password check of any kind (registration) from `address`; 429 when the address's budget is spent. */
  async spend(address: string): Promise<void> {
    const used = await this.store.incr(`pw:ip:${address}`, MINUTE);
    if (used.value > this.config.passwordChecksPerIp) {
      const error = rateLimited('Too many password checks from your address; retry after the number of seconds in Retry-After.', this.config.passwordChecksPerIp, used.ttlMs);
      await this.slowDown.reject(error, used.ttlMs);
    }
  }

  /** A login's password check: allowed and counted, or 429 (the password is then not checked at all). */
  async begin(email: string, address: string): Promise<LoginTicket> {
    const pair = await this.pairOf(email, address);
    const lock = await this.store.get(`pw:lock:${pair}`);
    if (lock) return this.refuse(lock.ttlMs);
    await this.spend(address);
    if (!(await this.store.get(`pw:known:${email}\u0000${address}`))) {
      const windowMs = this.config.loginLockSeconds * 1000;
      const tries = await this.store.incr(`pw:acct:${email}`, windowMs);
      if (tries.value > this.config.loginAccountMaxChecks) return this.refuse(tries.ttlMs);
    }
    const max = this.config.loginMaxFailures;
    const streak = await this.store.incr(`pw:fail:${pair}`, this.config.loginLockSeconds * 4000);
    if (streak.value > max) {
      const waitMs = streak.value === max + 1 ? await this.lock(pair) : ((await this.store.get(`pw:lock:${pair}`))?.ttlMs ?? 1000);
      return this.refuse(waitMs);
    }
    return { account: email, address };
  }

  /** How the check ended. A success clears this address's failures for the e-mail and remembers the address; it leaves any lock alone. */
  async end(ticket: LoginTicket, ok: boolean): Promise<void> {
    if (!ok) return; // already counted in begin()
    const pair = await this.pairOf(ticket.account, ticket.address);
    await this.store.del(`pw:fail:${pair}`);
    await this.store.del(`pw:level:${pair}`);
    await this.store.set(`pw:known:${ticket.account}\u0000${ticket.address}`, 1, KNOWN_ADDRESS_MS);
  }

  /**
   * An admin's unlock of an e-mail: every address's failures and locks for it are forgotten at
   * once. The per-address counters are keyed by the e-mail's generation, so a new generation
   * leaves the old counters to expire unread (the store cannot list keys); the per-e-mail budget
   * is cleared. Known addresses stay known.
   */
  async unlock(email: string): Promise<void> {
    const keepMs = this.config.loginLockSeconds * 4000;
    const generation = (await this.store.get(`pw:gen:${email}`))?.value ?? 0;
    await this.store.set(`pw:gen:${email}`, generation + 1, keepMs);
    await this.store.del(`pw:acct:${email}`);
  }

  /** Whether one more mail of `key` (e.g. a password reset of an e-mail) may go out: at most `max` per `windowMs`, counted at once. */
  async allowMail(key: string, max: number, windowMs: number): Promise<boolean> {
    return (await this.store.incr(`mail:${key}`, windowMs)).value <= max;
  }

  /** The key of an e-mail and address's failures and locks, in the e-mail's current generation (see unlock). */
  private async pairOf(email: string, address: string): Promise<string> {
    const generation = (await this.store.get(`pw:gen:${email}`))?.value ?? 0;
    return `${email}\u0000${generation}\u0000${address}`;
  }

  /** Locks the pair for the next backoff step; after it one more check is allowed before the next, longer lock. */
  private async lock(pair: string): Promise<number> {
    const keepMs = this.config.loginLockSeconds * 4000;
    const level = await this.store.incr(`pw:level:${pair}`, keepMs);
    const waitMs = Math.min(this.config.loginLockSeconds, this.config.loginBackoffSeconds * 2 ** (level.value - 1)) * 1000;
    await this.store.set(`pw:lock:${pair}`, 1, waitMs);
    await this.store.set(`pw:fail:${pair}`, this.config.loginMaxFailures - 1, keepMs);
    return waitMs;
  }

  /** The 429 of a locked e-mail, held a while first (SlowDown). */
  private refuse(waitMs: number): Promise<never> {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return this.slowDown.reject(rateLimited(`Too many failed logins for this e-mail: try again in ${seconds} seconds.`, this.config.loginMaxFailures, waitMs), waitMs);
  }
}
