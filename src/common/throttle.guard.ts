import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthedRequest } from '../auth/principal';

/** Rate limit per API key (per client IP for requests without a valid key). */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthedRequest).principal;
    return principal ? `key:${principal.keyId}` : `ip:${(req as unknown as AuthedRequest).ip}`;
  }
}
