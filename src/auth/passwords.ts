import { Inject, Injectable } from '@nestjs/common';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import * as argon2 from 'argon2';
import { ApiError } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config';

const LEGACY_BCRYPT = /^\$2[abxy]\$/;

/**
 * Password hashing: argon2id (the `argon2` binding: native, on libuv's thread pool, so the event
 * loop keeps serving while a hash runs). Hashes from before (bcrypt) are still verified — by
 * @node-rs/bcrypt, native and off the loop as well — and the caller re-hashes them with argon2id
 * on the next successful login (`needsRehash`).
 *
 * At most PASSWORD_HASH_CONCURRENCY hashes run at once and at most PASSWORD_HASH_QUEUE wait: the
 * thread pool is shared with file and DNS work, and every core a hash takes is one the requests
 * do not get. Past the queue the answer is 503 with Retry-After, before any hashing.
 */
@Injectable()
export class Passwords {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummy: Promise<string> | null = null;
  private readonly options: argon2.HashOptions & { raw?: false };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.options = { type: argon2.argon2id, memoryCost: config.passwordMemoryKib, timeCost: config.passwordTimeCost, parallelism: 1, raw: false };
  }

  hash(password: string): Promise<string> {
    return this.gated(() => argon2.hash(password, this.options));
  }

  /** Whether `password` matches `stored`; without a stored hash (unknown e-mail) the same work is done against a dummy hash. */
  async verify(stored: string | null, password: string): Promise<boolean> {
    if (stored && LEGACY_BCRYPT.test(stored)) return this.gated(() => bcryptVerify(password, stored));
    const hash = stored ?? (await (this.dummy ??= argon2.hash('not anybody\'s password', this.options)));
    const ok = await this.gated(() => argon2.verify(hash, password).catch(() => false));
    return stored !== null && ok;
  }

  /** A stored hash that is bcrypt, or argon2 with other parameters than configured, is replaced at the next successful login. */
  needsRehash(stored: string): boolean {
    return LEGACY_BCRYPT.test(stored) || argon2.needsRehash(stored, this.options);
  }

  private async gated<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.config.passwordHashConcurrency) {
      if (this.waiting.length >= this.config.passwordHashQueue) {
        throw new ApiError(503, 'The server is busy checking passwords; try again in a moment.', undefined, { 'Retry-After': '1' });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
