import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import request from 'supertest';
import { KeyThrottlerGuard } from './throttler.guard';
import { InMemoryThrottlerStorage } from '../common/throttle.storage';

/*
 * Tripwire: src/common/throttle.guard.ts overrides @nestjs/throttler's protected generateKey() to
 * skip the stock sha256 of every key (~8 % of a small request's CPU, issue 6), and getTracker() to
 * count per API key. That works while the stock guard builds its storage key through those two
 * methods of the instance; otherwise the overrides would silently do nothing.
 */
const keys: string[] = [];

class RecordingStorage extends InMemoryThrottlerStorage {
  override increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    keys.push(key);
    return super.increment(key, ttl, limit, blockDuration, throttlerName);
  }
}

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return { ok: true };
  }
}

@Module({
  imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 2 }], storage: new RecordingStorage() })],
  controllers: [ThingsController],
  providers: [{ provide: APP_GUARD, useClass: KeyThrottlerGuard }],
})
class ThingsModule {}

let app: NestExpressApplication;
beforeAll(async () => {
  app = await NestFactory.create<NestExpressApplication>(ThingsModule, { logger: false });
  await app.init();
});
afterAll(() => app.close());

describe('tripwire: the throttler guard’s key and tracker overrides', () => {
  it('the overridden methods exist on @nestjs/throttler’s guard with the same parameters', () => {
    const proto = ThrottlerGuard.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(typeof proto.generateKey).toBe('function');
    expect(proto.generateKey.length).toBe(3); // (context, suffix/tracker, throttlerName)
    expect(typeof proto.getTracker).toBe('function');
  });

  it('the stock guard stores hits under the overridden, unhashed key, with the overridden tracker, and still limits', async () => {
    await request(app.getHttpServer()).get('/things').expect(200);
    await request(app.getHttpServer()).get('/things').expect(200);
    await request(app.getHttpServer()).get('/things').expect(429);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^ThingsController-list-default-ip:.*127\.0\.0\.1$/);
  });
});
