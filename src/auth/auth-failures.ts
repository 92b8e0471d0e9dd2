import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { COUNTER_STORE, CounterStore, rateLimited } from '../common/throttle.counters';
import { AppConfig, APP_CONFIG } from '../config';
import { SlowDown } from './slow-down';

const MINUTE = 60_000;

/**
 * Failed authentications (an invalid API key or session token) per client address and minute.
 * Each costs a database lookup, and keys are not cached when they are invalid, so past
 * AUTH_FAILURES_PER_IP the address gets 429 before any lookup, with or without a valid key, until
 * its minute is over (the 429 held for a while first: SlowDown).
 */
@Injectable()
export class AuthFailures {
  constructor(
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly slowDown: SlowDown,
  ) {}

  async check(req: Request): Promise<void> {
    const failed = await this.store.get(this.key(req));
    if (failed && failed.value >= this.config.authFailuresPerIp) {
      const error = rateLimited('Too many failed authentications from your address; retry after the number of seconds in Retry-After.', this.config.authFailuresPerIp, failed.ttlMs);
      await this.slowDown.reject(error, failed.ttlMs);
    }
  }

  async failed(req: Request): Promise<void> {
    await this.store.incr(this.key(req), MINUTE);
  }

  private key(req: Request): string {
    return `auth:fail:${req.ip}`;
  }
}

/** Global, before ApiKeyGuard: the pre-authentication limit of AuthFailures. */
@Injectable()
export class AuthFailureGuard implements CanActivate {
  constructor(private readonly failures: AuthFailures) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.failures.check(context.switchToHttp().getRequest<Request>());
    return true;
  }
}
