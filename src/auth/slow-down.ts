import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config';

/**
 * The 429 of a per-address authentication limit (failed API keys or sessions, password checks,
 * a locked e-mail), answered slowly: the answer is held for REJECT_DELAY_MS (at most until the
 * limit's window ends), so a client that keeps a few connections busy guessing gets a few
 * answers a second instead of thousands, and its flood stops costing the event loop the other
 * callers share (issue 13: an 8-connection one-address login flood had raised an unrelated GET's
 * p99 to 4.6 × its idle value, all of it spent answering 429s). Holding costs a timer and an open
 * socket; past REJECT_DELAY_MAX_HELD answers held at once the rest are answered at once, as before.
 */
@Injectable()
export class SlowDown {
  private held = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Throws `error` after the hold; `retryAfterMs` is what is left of the limit's window. */
  async reject(error: ApiError, retryAfterMs: number): Promise<never> {
    const holdMs = Math.min(this.config.rejectDelayMs, Math.max(0, retryAfterMs));
    if (holdMs > 0 && this.held < this.config.rejectDelayMaxHeld) {
      this.held++;
      try {
        await new Promise((resolve) => setTimeout(resolve, holdMs));
      } finally {
        this.held--;
      }
    }
    throw error;
  }

  /** Answers being held right now (for the spec and the health of the limiter). */
  get holding(): number {
    return this.held;
  }
}
