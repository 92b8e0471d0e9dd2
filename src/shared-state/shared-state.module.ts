import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { INVALIDATION_BUS, LocalInvalidationBus } from '../common/invalidation';
import { COUNTER_STORE, InMemoryCounterStore } from '../common/throttle.counters';
import { InMemoryThrottlerStorage } from '../common/throttle.storage';
import { AppConfig } from '../config';
import { RedisConnections } from './redis.connections';
import { RedisCounterStore } from './redis-counter.store';
import { RedisInvalidationBus } from './redis-invalidation.bus';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** The @nestjs/throttler storage of this instance (ThrottlerModule.forRootAsync injects it). */
export const THROTTLER_STORAGE = 'SHARED_THROTTLER_STORAGE';

/**
 * What instances must share to act as one: rate-limit counters, the authentication budgets
 * (CounterStore) and invalidation messages (InvalidationBus). One process keeps them in memory;
 * with REDIS_URL they live in Redis, each with the in-memory one as its fallback while Redis is
 * unreachable (see docs/deployment.md).
 */
@Global()
@Module({})
export class SharedStateModule {
  static register(config: AppConfig): DynamicModule {
    const shared = [COUNTER_STORE, INVALIDATION_BUS, THROTTLER_STORAGE];
    const providers: Provider[] = config.redisUrl
      ? [
          { provide: RedisConnections, useFactory: () => new RedisConnections({ url: config.redisUrl!, prefix: config.redisPrefix, commandTimeoutMs: config.redisCommandTimeoutMs }) },
          { provide: COUNTER_STORE, useFactory: (c: RedisConnections) => new RedisCounterStore(c, new InMemoryCounterStore()), inject: [RedisConnections] },
          { provide: INVALIDATION_BUS, useFactory: (c: RedisConnections) => new RedisInvalidationBus(c), inject: [RedisConnections] },
          { provide: THROTTLER_STORAGE, useFactory: (c: RedisConnections) => new RedisThrottlerStorage(c, new InMemoryThrottlerStorage()), inject: [RedisConnections] },
        ]
      : [
          { provide: COUNTER_STORE, useValue: new InMemoryCounterStore() },
          { provide: INVALIDATION_BUS, useValue: new LocalInvalidationBus() },
          { provide: THROTTLER_STORAGE, useValue: new InMemoryThrottlerStorage() },
        ];
    return { module: SharedStateModule, providers, exports: config.redisUrl ? [...shared, RedisConnections] : shared };
  }
}
