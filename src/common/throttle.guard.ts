import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthedRequest } from '../auth/principal';

/** Rate limit per API key (per client IP for requests without a valid key), per route as the stock guard counts. */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthedRequest).principal;
    return principal ? `key:${principal.keyId}` : `ip:${(req as unknown as AuthedRequest).ip}`;
  }

  /**
   * The stock key, unhashed: the stock guard sha256-hashes `Class-handler-throttler-tracker` on
   * every request (~8 % of a small request's CPU, issue 6), which only matters for external
   * stores; the in-memory storage keys a Map with it as it is.
   */
  protected override generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${context.getClass().name}-${context.getHandler().name}-${throttlerName}-${tracker}`;
  }
}
