import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { AuthedRequest } from '../common/principal';

/** Rate limit per API key (per client IP for requests without a valid key), per route as the stock guard counts. */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthedRequest).principal;
    return Promise.resolve(principal ? `key:${principal.keyId}` : `ip:${(req as unknown as AuthedRequest).ip}`);
  }

  /**
   * The stock key, unhashed: the stock guard sha256-hashes `Class-handler-throttler-tracker` on
   * every request (~8 % of a small request's CPU, issue 6), which only matters for external
   * stores; the in-memory storage keys a Map with it as it is.
   */
  protected override generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${context.getClass().name}-${context.getHandler().name}-${throttlerName}-${tracker}`;
  }

  /** The stock guard sets only Retry-After on a 429; the X-RateLimit-* headers of every other answer are sent with it too. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('X-RateLimit-Limit', String(detail.limit));
    res.setHeader('X-RateLimit-Remaining', '0');
    res.setHeader('X-RateLimit-Reset', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
