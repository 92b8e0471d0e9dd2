import { Inject, Injectable, Optional } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { INVALIDATION_BUS, InvalidationBus, LocalInvalidationBus } from '../common/invalidation';
import { AppConfig, APP_CONFIG } from '../config';
import { ApiKeysRepository } from './api-keys.repository';
import { hashKey } from './keys';
import { Principal } from '../common/principal';

interface CacheEntry {
  principal: Principal;
  hash: Buffer;
  expires: number;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** The invalidation topic of API key lookups: a key revoked, a user disabled or given another role. */
export const API_KEYS_CHANGED = 'api-keys';

/**
 * Resolves `X-API-Key` values to principals. Lookups are cached for a few seconds
 * (API_KEY_CACHE_SECONDS); a revocation or a user change clears the cache of every instance at
 * once (InvalidationBus), and while this instance may miss such a message the cache is bypassed.
 */
@Injectable()
export class AuthService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastUsedWritten = new Map<number, number>();
  /** Bumped by every invalidation: a lookup that began before one must not be cached after it. */
  private generation = 0;

  constructor(
    private readonly keys: ApiKeysRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(INVALIDATION_BUS) private readonly bus: InvalidationBus = new LocalInvalidationBus(),
  ) {
    bus.subscribe(API_KEYS_CHANGED, () => {
      this.generation++;
      this.cache.clear();
    });
  }

  async authenticate(key: string): Promise<Principal | null> {
    if (key.length < 20 || key.length > 200) return null;
    const hash = hashKey(key);
    const hashBuf = Buffer.from(hash, 'hex');
    const now = Date.now();
    const listening = this.bus.listening();
    const generation = this.generation;
    const cached = listening ? this.cache.get(hash) : undefined;
    if (cached && cached.expires > now && timingSafeEqual(cached.hash, hashBuf)) {
      this.touch(cached.principal.keyId, now);
      return cached.principal;
    }
    const record = await this.keys.activeByHash(hash);
    // The lookup is by hash (an index seek); the constant-time compare guards the final equality check.
    if (!record || !record.user || record.user.disabledAt || !timingSafeEqual(Buffer.from(record.keyHash, 'hex'), hashBuf)) {
      return null;
    }
    const principal: Principal = { tenantId: record.tenantId, userId: record.userId, role: record.user.role, keyId: record.id };
    if (this.config.apiKeyCacheSeconds > 0 && listening && generation === this.generation) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { principal, hash: hashBuf, expires: now + this.config.apiKeyCacheSeconds * 1000 });
    }
    this.touch(record.id, now);
    return principal;
  }

  /** Records lastUsedAt at most once a minute per key, off the request path. */
  private touch(keyId: number, now: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.keys.touch(keyId, new Date(now)).catch(() => this.lastUsedWritten.delete(keyId));
  }

  /** Drops cached lookups here and on every other instance (after a revocation or a user change has committed). */
  invalidate(): Promise<void> {
    return this.bus.publish(API_KEYS_CHANGED);
  }
}
