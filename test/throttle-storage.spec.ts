import { ThrottlerStorageService } from '@nestjs/throttler';
import { InMemoryThrottlerStorage } from '../src/common/throttle.storage';

/**
 * The application's throttler storage answers exactly like @nestjs/throttler's own
 * ThrottlerStorageService (which it replaces for speed): the same random call sequences,
 * on a controlled clock, give the same records.
 */
describe('InMemoryThrottlerStorage', () => {
  let clock = 1_700_000_000_000;
  let now: jest.SpyInstance;
  beforeEach(() => {
    now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
  });
  afterEach(() => now.mockRestore());

  // a small deterministic PRNG (mulberry32) so a failure is reproducible
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  // timeToBlockExpire of an unblocked key is a leftover (negative) value that depends on when idle
  // keys were evicted (a real-time timer in the stock storage); the guard only reads it when blocked.
  const visible = (r: { isBlocked: boolean; timeToBlockExpire: number }) => (r.isBlocked ? r : { ...r, timeToBlockExpire: 0 });

  for (const [name, ttl, limit, blockDuration] of [
    ['blocking (block = ttl, as the app uses it)', 2000, 5, 2000],
    ['blocking with a longer block', 1500, 3, 4000],
    ['non-blocking (blockDuration 0)', 2000, 4, 0],
  ] as const) {
    it(`matches ThrottlerStorageService: ${name}`, async () => {
      const stock = new ThrottlerStorageService();
      const ours = new InMemoryThrottlerStorage();
      const rnd = random(42);
      try {
        for (let i = 0; i < 3000; i++) {
          clock += Math.floor(rnd() * (rnd() < 0.1 ? 3000 : 120));
          const key = `key:${Math.floor(rnd() * 3)}`;
          expect([i, visible(await ours.increment(key, ttl, limit, blockDuration, 'default'))]).toEqual([i, visible(await stock.increment(key, ttl, limit, blockDuration, 'default'))]);
        }
      } finally {
        stock.onApplicationShutdown();
      }
    });
  }
});
