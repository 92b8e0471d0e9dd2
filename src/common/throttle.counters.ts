import { ApiError } from './errors';

/**
 * Expiring counters: the state behind the budgets and lockouts of authentication (login and
 * registration budgets, backoff, the pre-authentication limit). Each operation is atomic on its
 * own, like Redis INCR/GET/SET/DEL with a TTL, so that a store shared by several instances can
 * implement the same interface later; this one keeps the counters in the process's memory.
 */
export interface Counter {
  value: number;
  /** Milliseconds until the counter expires. */
  ttlMs: number;
}

export interface CounterStore {
  /** Adds one, creating the counter at 1 with `ttlMs` (an existing counter keeps its expiry). */
  incr(key: string, ttlMs: number): Promise<Counter>;
  get(key: string): Promise<Counter | null>;
  set(key: string, value: number, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
}

export const COUNTER_STORE = 'COUNTER_STORE';

interface Entry {
  value: number;
  expiresAt: number;
}

/**
 * In memory. Bounded: expired counters are swept at most once a second during a call, and past
 * `maxEntries` the oldest counters go first (Map order), so a flood of distinct keys (addresses,
 * e-mails) cannot grow it without limit.
 */
export class InMemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();
  private lastSweep = 0;

  constructor(
    private readonly maxEntries = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  incr(key: string, ttlMs: number): Promise<Counter> {
    return Promise.resolve(this.incrNow(key, ttlMs));
  }

  private incrNow(key: string, ttlMs: number): Counter {
    const now = this.tidy();
    const live = this.live(key, now);
    if (live) {
      live.value++;
      return { value: live.value, ttlMs: live.expiresAt - now };
    }
    this.put(key, { value: 1, expiresAt: now + ttlMs });
    return { value: 1, ttlMs };
  }

  get(key: string): Promise<Counter | null> {
    const now = this.tidy();
    const live = this.live(key, now);
    return Promise.resolve(live ? { value: live.value, ttlMs: live.expiresAt - now } : null);
  }

  set(key: string, value: number, ttlMs: number): Promise<void> {
    const now = this.tidy();
    this.entries.delete(key);
    this.put(key, { value, expiresAt: now + ttlMs });
    return Promise.resolve();
  }

  del(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  private live(key: string, now: number): Entry | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAt > now) return e;
    this.entries.delete(key);
    return null;
  }

  private put(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  private tidy(): number {
    const now = this.now();
    if (now - this.lastSweep >= 1000) {
      this.lastSweep = now;
      for (const [key, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(key);
    }
    return now;
  }
}

/** A 429 for a spent budget: Retry-After and the X-RateLimit-* headers every 429 of this API carries. */
export function rateLimited(detail: string, limit: number, retryAfterMs: number): ApiError {
  const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return new ApiError(429, detail, undefined, { 'Retry-After': seconds, 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': seconds });
}
