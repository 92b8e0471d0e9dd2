import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface KeyRecord {
  /** Per throttler: the expiry time of each counted hit, oldest first. */
  hits: Map<string, number[]>;
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The in-memory sliding-window storage of @nestjs/throttler with the same answers, minus its
 * per-request cost: the stock ThrottlerStorageService re-filters the whole list of a key's hit
 * expirations into a new array on every request (`pruneExpiredHits`), so at a few hundred requests
 * per second on one API key each request copies ~10^4 timestamps — a large-object allocation that
 * showed as CPU, GC and RSS growth under load (issue 6). Expirations are appended in time order
 * (now + a fixed ttl), so expired hits are dropped from the front in place instead.
 *
 * Idle keys are evicted at most once a minute, during a call (no timer).
 */
export class InMemoryThrottlerStorage implements ThrottlerStorage {
  private readonly records = new Map<string, KeyRecord>();
  private lastSweep = Date.now();

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return Promise.resolve(this.incrementNow(key, ttl, limit, blockDuration, throttlerName));
  }

  private incrementNow(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ThrottlerStorageRecord {
    const now = Date.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweep(now);
    let record = this.records.get(key);
    if (!record) {
      record = { hits: new Map(), expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false };
      this.records.set(key, record);
    }
    const hits = this.prune(record, throttlerName, now);
    let timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      record.expiresAt = now + ttl;
      timeToExpire = Math.ceil(ttl / 1000);
    }

    if (blockDuration <= 0) {
      const isBlocked = hits.length >= limit;
      if (!isBlocked) hits.push(now + ttl);
      return {
        totalHits: hits.length + (isBlocked ? 1 : 0),
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? (hits.length ? Math.ceil((hits[0] - now) / 1000) : timeToExpire) : 0,
      };
    }

    if (!record.isBlocked) hits.push(now + ttl);
    if (hits.length > limit && !record.isBlocked) {
      record.isBlocked = true;
      record.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((record.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && record.isBlocked) {
      record.isBlocked = false;
      hits.length = 0;
      hits.push(now + ttl);
    }
    return { totalHits: hits.length, timeToExpire, isBlocked: record.isBlocked, timeToBlockExpire };
  }

  /** The throttler's live hits of the key, expired ones removed (in place, from the front). */
  private prune(record: KeyRecord, throttlerName: string, now: number): number[] {
    let hits = record.hits.get(throttlerName);
    if (!hits) {
      hits = [];
      record.hits.set(throttlerName, hits);
    }
    let expired = 0;
    while (expired < hits.length && hits[expired] <= now) expired++;
    if (expired > 0) hits.splice(0, expired);
    return hits;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, record] of this.records) {
      if ((record.isBlocked && record.blockExpiresAt > now) || record.expiresAt > now) continue;
      let live = false;
      for (const hits of record.hits.values()) if (hits.length && hits[hits.length - 1] > now) live = true;
      if (!live) this.records.delete(key);
    }
  }
}
