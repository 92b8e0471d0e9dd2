import { InMemoryThrottlerStorage } from '../src/common/throttle.storage';
import { RedisConnections } from '../src/shared-state/redis.connections';
import { RedisThrottlerStorage } from '../src/shared-state/redis-throttler.storage';
import { describeWithRedis, dropPrefix, TEST_REDIS_URL, testPrefix, waitFor } from './redis';
import { expectSameRecords } from './throttle-sequences';

/**
 * The Redis storage shared by several instances answers exactly like the in-memory storage of one
 * process (itself checked against @nestjs/throttler's own in test/throttle-storage.spec.ts): the
 * same random call sequences, on a controlled clock, give the same records.
 */
describeWithRedis('RedisThrottlerStorage', () => {
  const prefix = testPrefix();
  let connections: RedisConnections;

  beforeAll(async () => {
    connections = new RedisConnections({ url: TEST_REDIS_URL!, prefix, commandTimeoutMs: 2000 });
    await waitFor(() => connections.ready(), 'the Redis connection');
  });
  afterAll(async () => {
    await connections.onApplicationShutdown();
    await dropPrefix(TEST_REDIS_URL!, prefix);
  });
  for (const [name, ttl, limit, blockDuration, seed] of [
    ['blocking (block = ttl, as the app uses it)', 2000, 5, 2000, 42],
    ['blocking with a longer block', 1500, 3, 4000, 7],
    ['non-blocking (blockDuration 0)', 2000, 4, 0, 99],
    // Not a limit of 0: the first request after a block ends then passes or not depending on whether
    // the idle record was evicted meanwhile (in every storage, the stock one included), and Redis
    // evicts by its own clock, not the test's.
  ] as const) {
    it(`matches InMemoryThrottlerStorage: ${name}`, async () => {
      const redis = new RedisThrottlerStorage(connections, new InMemoryThrottlerStorage());
      const blocked = await expectSameRecords(new InMemoryThrottlerStorage(), redis, { ttl, limit, blockDuration, seed, steps: 2000, keyPrefix: `${name}-${Math.random()}:` });
      // The sequences reach the limit often, so blocking and unblocking are compared, not only counting.
      expect(blocked).toBeGreaterThan(50);
    });
  }

  it('counts the hits of two instances in one window', async () => {
    const other = new RedisConnections({ url: TEST_REDIS_URL!, prefix, commandTimeoutMs: 2000 });
    try {
      await waitFor(() => other.ready(), 'the second connection');
      const a = new RedisThrottlerStorage(connections, new InMemoryThrottlerStorage());
      const b = new RedisThrottlerStorage(other, new InMemoryThrottlerStorage());
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await (i % 2 ? b : a).increment('two-instances', 60_000, 5, 60_000, 'default'));
      expect(results.map((r) => r.totalHits)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(results.map((r) => r.isBlocked)).toEqual([false, false, false, false, false, true]);
    } finally {
      await other.onApplicationShutdown();
    }
  });
});
