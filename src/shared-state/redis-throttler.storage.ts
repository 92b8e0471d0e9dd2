import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { RedisConnections } from './redis.connections';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * InMemoryThrottlerStorage's algorithm (the sliding window of @nestjs/throttler's own storage: one
 * expiry time per counted hit, and a block once the limit is passed) as one Lua script, so that
 * every instance counts into the same window and a request costs one round trip.
 *
 * KEYS[1] is the record (hash: e = window expiry, b = block expiry, x = blocked, n = hit sequence),
 * KEYS[2] the hits of one throttler (sorted set, score = the hit's expiry). Both carry the key in a
 * hash tag, so they live on one Redis Cluster slot. Times come from the calling instance's clock
 * (instances are expected to be NTP-synchronised; a skew shifts a window by that much). Keys
 * expire by themselves once nothing in them can matter any more, as the in-memory storage's sweep
 * drops idle keys.
 */
const INCREMENT = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local block = tonumber(ARGV[4])
local rec = redis.call('HMGET', KEYS[1], 'e', 'b', 'x')
local expiresAt = tonumber(rec[1]) or (now + ttl)
local blockExpiresAt = tonumber(rec[2]) or 0
local isBlocked = rec[3] == '1'
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local hits = redis.call('ZCARD', KEYS[2])
local timeToExpire = math.ceil((expiresAt - now) / 1000)
if timeToExpire <= 0 then
  expiresAt = now + ttl
  timeToExpire = math.ceil(ttl / 1000)
end
local function hit()
  redis.call('ZADD', KEYS[2], now + ttl, redis.call('HINCRBY', KEYS[1], 'n', 1))
  hits = hits + 1
end
local result
if block <= 0 then
  local blocked = hits >= limit
  local timeToBlockExpire = 0
  if blocked then
    if hits > 0 then
      timeToBlockExpire = math.ceil((tonumber(redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]) - now) / 1000)
    else
      timeToBlockExpire = timeToExpire
    end
    result = {hits + 1, timeToExpire, 1, timeToBlockExpire}
  else
    hit()
    result = {hits, timeToExpire, 0, 0}
  end
else
  if not isBlocked then hit() end
  if hits > limit and not isBlocked then
    isBlocked = true
    blockExpiresAt = now + block
  end
  local timeToBlockExpire = math.ceil((blockExpiresAt - now) / 1000)
  if timeToBlockExpire <= 0 and isBlocked then
    isBlocked = false
    redis.call('DEL', KEYS[2])
    hits = 0
    hit()
  end
  result = {hits, timeToExpire, isBlocked and 1 or 0, timeToBlockExpire}
end
redis.call('HSET', KEYS[1], 'e', expiresAt, 'b', blockExpiresAt, 'x', isBlocked and 1 or 0)
local keep = math.max(expiresAt, blockExpiresAt, now + ttl) - now
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('PEXPIRE', KEYS[2], keep)
return result
`;

type WithIncrement = Redis & { throttlerIncrement(record: string, hits: string, now: number, ttl: number, limit: number, block: number): Promise<number[]> };

/**
 * Rate-limit counters shared by every instance (REDIS_URL). While Redis cannot answer, the instance
 * counts in its own memory (`fallback`): each instance then allows the limit on its own, and the
 * shared count resumes when Redis is back.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: WithIncrement;

  constructor(
    private readonly connections: RedisConnections,
    private readonly fallback: ThrottlerStorage,
  ) {
    connections.commands.defineCommand('throttlerIncrement', { numberOfKeys: 2, lua: INCREMENT });
    this.redis = connections.commands as WithIncrement;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (!this.connections.ready()) return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    const tag = `throttle:{${key}}`;
    try {
      const [totalHits, timeToExpire, blocked, timeToBlockExpire] = await this.redis.throttlerIncrement(`${tag}:r`, `${tag}:h:${throttlerName}`, Date.now(), ttl, limit, blockDuration);
      return { totalHits, timeToExpire, isBlocked: blocked === 1, timeToBlockExpire };
    } catch {
      this.connections.failed();
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }
}
