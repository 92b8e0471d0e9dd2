import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../config';
import { ApiKey } from './api-key.entity';
import { hashKey } from './keys';
import { Principal } from './principal';

interface CacheEntry {
  principal: Principal;
  hash: Buffer;
  expires: number;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves `X-API-Key` values to principals. Lookups are cached for a few seconds
 * (API_KEY_CACHE_SECONDS) and revocation through this process clears the cache at once.
 */
@Injectable()
export class AuthService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async authenticate(key: string): Promise<Principal | null> {
    if (key.length < 20 || key.length > 200) return null;
    const hash = hashKey(key);
    const hashBuf = Buffer.from(hash, 'hex');
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expires > now && timingSafeEqual(cached.hash, hashBuf)) {
      this.touch(cached.principal.keyId, now);
      return cached.principal;
    }
    const record = await this.ds.getRepository(ApiKey).findOne({ where: { keyHash: hash, revokedAt: IsNull() }, relations: { user: true } });
    // The lookup is by hash (an index seek); the constant-time compare guards the final equality check.
    if (!record || !record.user || record.user.disabledAt || !timingSafeEqual(Buffer.from(record.keyHash, 'hex'), hashBuf)) {
      return null;
    }
    const principal: Principal = { tenantId: record.tenantId, userId: record.userId, role: record.user.role, keyId: record.id };
    if (this.config.apiKeyCacheSeconds > 0) {
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
    this.ds
      .getRepository(ApiKey)
      .update({ id: keyId }, { lastUsedAt: new Date(now) })
      .catch(() => this.lastUsedWritten.delete(keyId));
  }

  /** Drops cached lookups (after a revocation or a role change). */
  invalidate(): void {
    this.cache.clear();
  }
}
