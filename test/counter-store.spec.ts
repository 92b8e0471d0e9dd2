import { Logger } from '@nestjs/common';
import { CounterStore, InMemoryCounterStore } from '../src/common/throttle.counters';
import { RedisConnections } from '../src/shared-state/redis.connections';
import { RedisCounterStore } from '../src/shared-state/redis-counter.store';
import { describeWithRedis, dropPrefix, TEST_REDIS_URL, testPrefix, waitFor } from './redis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The CounterStore contract (expiring counters, each operation atomic), for every implementation. */
function behavesAsCounterStore(make: () => CounterStore) {
  let store: CounterStore;
  let n = 0;
  const key = () => `k${++n}:${Math.random()}`;
  beforeEach(() => (store = make()));

  it('incr creates a counter at 1 with the ttl, and later increments keep its expiry', async () => {
    const k = key();
    const first = await store.incr(k, 60_000);
    expect(first.value).toBe(1);
    expect(first.ttlMs).toBeGreaterThan(59_000);
    await sleep(30);
    const second = await store.incr(k, 600_000);
    expect(second.value).toBe(2);
    expect(second.ttlMs).toBeLessThanOrEqual(60_000 - 25);
  });

  it('get answers null for a missing counter and value and ttl for a live one', async () => {
    const k = key();
    expect(await store.get(k)).toBeNull();
    await store.incr(k, 60_000);
    await store.incr(k, 60_000);
    expect(await store.get(k)).toEqual({ value: 2, ttlMs: expect.any(Number) });
    expect((await store.get(k))!.ttlMs).toBeGreaterThan(59_000);
  });

  it('set replaces value and expiry; del removes the counter', async () => {
    const k = key();
    await store.incr(k, 60_000);
    await store.set(k, 7, 5_000);
    const set = await store.get(k);
    expect(set?.value).toBe(7);
    expect(set?.ttlMs).toBeLessThanOrEqual(5_000);
    expect((await store.incr(k, 60_000)).value).toBe(8);
    await store.del(k);
    expect(await store.get(k)).toBeNull();
    expect((await store.incr(k, 60_000)).value).toBe(1);
  });

  it('a counter expires after its ttl and starts again at 1', async () => {
    const k = key();
    await store.incr(k, 120);
    await store.set(`${k}:set`, 3, 120);
    await sleep(250);
    expect(await store.get(k)).toBeNull();
    expect(await store.get(`${k}:set`)).toBeNull();
    expect((await store.incr(k, 60_000)).value).toBe(1);
  });
}

describe('InMemoryCounterStore', () => behavesAsCounterStore(() => new InMemoryCounterStore()));

describeWithRedis('RedisCounterStore', () => {
  const prefix = testPrefix();
  const connections: RedisConnections[] = [];
  const connect = async () => {
    const c = new RedisConnections({ url: TEST_REDIS_URL!, prefix, commandTimeoutMs: 2000 });
    connections.push(c);
    await waitFor(() => c.ready(), 'the Redis connection');
    return c;
  };
  let shared: RedisConnections;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    shared = await connect();
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.onApplicationShutdown()));
    await dropPrefix(TEST_REDIS_URL!, prefix);
  });

  // The fallback throws: these cases must be answered by Redis, not by the local memory.
  const noFallback = new Proxy({} as CounterStore, { get: () => () => Promise.reject(new Error('fallback used')) });

  describe('contract', () => behavesAsCounterStore(() => new RedisCounterStore(shared, noFallback)));

  it('answers as InMemoryCounterStore on random operations', async () => {
    const memory = new InMemoryCounterStore();
    const redis = new RedisCounterStore(shared, noFallback);
    let seed = 1302;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const run = `random:${Math.random()}:`;
    for (let i = 0; i < 400; i++) {
      const k = `${run}${Math.floor(rnd() * 4)}`;
      const op = Math.floor(rnd() * 4);
      const ttl = 60_000 + Math.floor(rnd() * 60_000);
      const value = Math.floor(rnd() * 10);
      const [a, b] =
        op === 0
          ? [await memory.incr(k, ttl), await redis.incr(k, ttl)]
          : op === 1
            ? [await memory.get(k), await redis.get(k)]
            : op === 2
              ? [await memory.set(k, value, ttl), await redis.set(k, value, ttl)]
              : [await memory.del(k), await redis.del(k)];
      expect([i, a?.value ?? null]).toEqual([i, b?.value ?? null]);
      if (a && b) expect(Math.abs(a.ttlMs - b.ttlMs)).toBeLessThan(1000);
    }
  });

  it('counts the operations of two instances on one counter', async () => {
    const a = new RedisCounterStore(shared, noFallback);
    const b = new RedisCounterStore(await connect(), noFallback);
    const k = `two:${Math.random()}`;
    const values = [];
    for (let i = 0; i < 6; i++) values.push((await (i % 2 ? b : a).incr(k, 60_000)).value);
    expect(values).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await b.get(k))?.value).toBe(6);
  });
});
