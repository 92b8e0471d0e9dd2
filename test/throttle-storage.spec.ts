import { ThrottlerStorageService } from '@nestjs/throttler';
import { InMemoryThrottlerStorage } from '../src/common/throttle.storage';
import { expectSameRecords } from './throttle-sequences';

/**
 * The application's throttler storage answers exactly like @nestjs/throttler's own
 * ThrottlerStorageService (which it replaces for speed): the same random call sequences,
 * on a controlled clock, give the same records.
 */
describe('InMemoryThrottlerStorage', () => {
  for (const [name, ttl, limit, blockDuration] of [
    ['blocking (block = ttl, as the app uses it)', 2000, 5, 2000],
    ['blocking with a longer block', 1500, 3, 4000],
    ['non-blocking (blockDuration 0)', 2000, 4, 0],
  ] as const) {
    it(`matches ThrottlerStorageService: ${name}`, async () => {
      const stock = new ThrottlerStorageService();
      try {
        await expectSameRecords(stock, new InMemoryThrottlerStorage(), { ttl, limit, blockDuration, seed: 42, steps: 3000 });
      } finally {
        stock.onApplicationShutdown();
      }
    });
  }
});
