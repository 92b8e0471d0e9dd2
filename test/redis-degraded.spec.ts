import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { InMemoryCounterStore } from '../src/common/throttle.counters';
import { InMemoryThrottlerStorage } from '../src/common/throttle.storage';
import { RedisConnections } from '../src/shared-state/redis.connections';
import { RedisCounterStore } from '../src/shared-state/redis-counter.store';
import { RedisInvalidationBus } from '../src/shared-state/redis-invalidation.bus';
import { RedisThrottlerStorage } from '../src/shared-state/redis-throttler.storage';
import { describeWithRedis, PrivateRedis, testPrefix, waitFor } from './redis';

/**
 * Invalidation messages between instances, and what an instance does while Redis is gone. On a
 * private redis-server that the test stops and starts (the machine's Redis is shared).
 */
describeWithRedis('RedisInvalidationBus and the fallbacks', () => {
  let redis: PrivateRedis;
  const prefix = testPrefix();
  const connections: RedisConnections[] = [];
  const heartbeat = { everyMs: 100, staleAfterMs: 400 };

  const instance = () => {
    const c = new RedisConnections({ url: redis.url, prefix, commandTimeoutMs: 300 });
    connections.push(c);
    const bus = new RedisInvalidationBus(c, heartbeat);
    const heard: string[] = [];
    for (const topic of ['keys', 'counts']) bus.subscribe(topic, () => heard.push(topic));
    return { c, bus, heard };
  };

  beforeAll(async () => {
    Logger.overrideLogger(false); // the connections' warnings are expected here
    redis = await PrivateRedis.start();
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.onApplicationShutdown()));
    await redis.stop();
  });

  it('delivers a message to every instance once, the publisher included', async () => {
    const a = instance();
    const b = instance();
    await waitFor(() => a.bus.listening() && b.bus.listening(), 'both buses listening');
    a.heard.length = b.heard.length = 0;
    await a.bus.publish('keys');
    expect(a.heard).toEqual(['keys']); // at once, before Redis answered anything
    await waitFor(() => b.heard.length > 0, 'B hearing the message');
    await new Promise((r) => setTimeout(r, 150)); // A's own copy comes back too, and must not run again
    expect(a.heard).toEqual(['keys']);
    expect(b.heard).toEqual(['keys']);
  });

  it('is not listening from start until it hears its subscription work', async () => {
    const a = instance();
    expect(a.bus.listening()).toBe(false);
    await waitFor(() => a.bus.listening(), 'listening');
  });

  it('while Redis is down: not listening, publishing and counting go on locally; afterwards every cache is dropped and the missed topic is sent', async () => {
    const a = instance();
    const b = instance();
    const counters = new RedisCounterStore(a.c, new InMemoryCounterStore());
    const throttler = new RedisThrottlerStorage(a.c, new InMemoryThrottlerStorage());
    await waitFor(() => a.bus.listening() && b.bus.listening(), 'both buses listening');
    await counters.incr('budget', 60_000);
    expect((await counters.incr('budget', 60_000)).value).toBe(2);

    await redis.stop();
    await waitFor(() => !a.bus.listening() && !b.bus.listening(), 'both buses deaf');
    a.heard.length = b.heard.length = 0;
    const started = Date.now();
    await a.bus.publish('keys'); // never waits for Redis, never rejects
    expect(a.heard).toEqual(['keys']);
    // The local fallbacks answer: a fresh count, and a throttler that still limits.
    expect((await counters.incr('budget', 60_000)).value).toBe(1);
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await throttler.increment('t', 60_000, 2, 60_000, 'default'));
    expect(hits.map((h) => h.isBlocked)).toEqual([false, false, true]);
    expect(Date.now() - started).toBeLessThan(1000);

    await redis.start();
    await waitFor(() => a.bus.listening() && b.bus.listening(), 'both buses listening again', 15_000);
    // B missed A's 'keys' while deaf: on recovery every listener ran (every cache dropped).
    expect(b.heard).toEqual(expect.arrayContaining(['keys', 'counts']));
    // Shared counting resumes (a restarted Redis kept nothing).
    expect((await counters.incr('budget', 60_000)).value).toBe(1);
    expect((await new RedisCounterStore(b.c, new InMemoryCounterStore()).incr('budget', 60_000)).value).toBe(2);
  });

  it('an instance cut off from Redis alone sends its missed invalidation once it is back', async () => {
    const a = instance();
    const b = instance();
    await waitFor(() => a.bus.listening() && b.bus.listening(), 'both buses listening');
    b.heard.length = 0;
    a.c.commands.disconnect(true); // A's command connection drops and reconnects; B hears Redis all along
    await a.bus.publish('keys');
    await waitFor(() => b.heard.length > 0, 'B hearing the re-sent message');
    expect(b.heard).toEqual(['keys']);
    expect(b.bus.listening()).toBe(true);
  });

  it('a subscription that hangs without its connection closing is noticed by the missing heartbeats', async () => {
    const a = instance();
    await waitFor(() => a.bus.listening(), 'listening');
    const admin = new Redis(redis.url);
    try {
      await admin.client('PAUSE', 1500, 'ALL');
      await waitFor(() => !a.bus.listening(), 'deaf after the heartbeats stop', 1400);
      expect(a.c.subscriber.status).toBe('ready'); // the connection itself looks fine
      a.heard.length = 0;
      await waitFor(() => a.bus.listening(), 'listening after the pause', 5000);
      expect(a.heard).toEqual(expect.arrayContaining(['keys', 'counts']));
    } finally {
      admin.disconnect();
    }
  });

  it('a Redis that hangs costs one command timeout, then the fallback answers without trying Redis for a second', async () => {
    const a = instance();
    await waitFor(() => a.c.ready(), 'connected');
    const counters = new RedisCounterStore(a.c, new InMemoryCounterStore());
    const admin = new Redis(redis.url);
    const sent = jest.spyOn(a.c.commands, 'sendCommand');
    // The counter's scripts, not the bus's heartbeats on the same connection.
    const scripts = () => sent.mock.calls.filter(([command]) => /^eval/.test((command as { name: string }).name)).length;
    try {
      await admin.client('PAUSE', 2000, 'WRITE');
      sent.mockClear();
      expect((await counters.incr('hung', 60_000)).value).toBe(1); // timed out in Redis, counted locally
      expect(scripts()).toBe(1);
      for (let i = 2; i <= 5; i++) expect((await counters.incr('hung', 60_000)).value).toBe(i);
      expect(scripts()).toBe(1); // the next ones did not wait for Redis again
    } finally {
      sent.mockRestore();
      await admin.client('UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
  });
});
