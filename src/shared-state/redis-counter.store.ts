import type Redis from 'ioredis';
import { Counter, CounterStore } from '../common/throttle.counters';
import { RedisConnections } from './redis.connections';

// Each operation is one script (or one command), so it is atomic across instances as the interface asks.
const INCR = `
local value = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {value, ttl}
`;

const GET = `
local value = redis.call('GET', KEYS[1])
if not value then return false end
return {tonumber(value), redis.call('PTTL', KEYS[1])}
`;

type WithScripts = Redis & {
  counterIncr(key: string, ttlMs: number): Promise<[number, number]>;
  counterGet(key: string): Promise<[number, number] | null>;
};

/**
 * The authentication budgets and lockouts (login budgets, backoff, the pre-authentication limit)
 * on counters shared by every instance. While Redis cannot answer, the instance counts in its
 * own memory (`fallback`), so each instance enforces the budgets on its own until Redis is back.
 */
export class RedisCounterStore implements CounterStore {
  private readonly redis: WithScripts;

  constructor(
    private readonly connections: RedisConnections,
    private readonly fallback: CounterStore,
  ) {
    connections.commands.defineCommand('counterIncr', { numberOfKeys: 1, lua: INCR });
    connections.commands.defineCommand('counterGet', { numberOfKeys: 1, lua: GET });
    this.redis = connections.commands as WithScripts;
  }

  incr(key: string, ttlMs: number): Promise<Counter> {
    return this.shared(
      async () => {
        const [value, ttl] = await this.redis.counterIncr(this.key(key), Math.max(1, ttlMs));
        return { value, ttlMs: ttl };
      },
      () => this.fallback.incr(key, ttlMs),
    );
  }

  get(key: string): Promise<Counter | null> {
    return this.shared(
      async () => {
        const found = await this.redis.counterGet(this.key(key));
        return found ? { value: found[0], ttlMs: found[1] } : null;
      },
      () => this.fallback.get(key),
    );
  }

  set(key: string, value: number, ttlMs: number): Promise<void> {
    return this.shared(
      async () => {
        await this.redis.set(this.key(key), value, 'PX', Math.max(1, ttlMs));
      },
      () => this.fallback.set(key, value, ttlMs),
    );
  }

  del(key: string): Promise<void> {
    return this.shared(
      async () => {
        await this.redis.del(this.key(key));
      },
      () => this.fallback.del(key),
    );
  }

  private key(key: string): string {
    return `counter:${key}`;
  }

  private async shared<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (!this.connections.ready()) return local();
    try {
      return await remote();
    } catch {
      this.connections.failed();
      return local();
    }
  }
}
