import { Inject, Injectable } from '@nestjs/common';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { AppConfig, APP_CONFIG } from '../config';
import { WorkGate } from '../common/work-gate';

// Algorithm.Argon2id of @node-rs/argon2 (an ambient const enum, which isolatedModules cannot import).
const ARGON2ID = 2;
const LEGACY_BCRYPT = /^\$2[abxy]\$/;

/**
 * Password hashing: argon2id (@node-rs/argon2: native, its binaries shipped as npm packages, run on
 * libuv's thread pool, so the event loop keeps serving while a hash runs). The `argon2` package
 * was tried first: its prebuilt linux-x64 glibc binary crashes Node 20 on load on these machines
 * (segmentation fault), and building it from source would add node-gyp to every install. Hashes from before (bcrypt) are still verified — by
 * @node-rs/bcrypt, native and off the loop as well — and the caller re-hashes them with argon2id
 * on the next successful login (`needsRehash`).
 *
 * At most PASSWORD_HASH_CONCURRENCY hashes run at once and at most PASSWORD_HASH_QUEUE wait: the
 * thread pool is shared with file and DNS work, and every core a hash takes is one the requests
 * do not get. Past the queue the answer is 503 with Retry-After, before any hashing.
 */
@Injectable()
export class Passwords {
  private readonly gate: WorkGate;
  private dummy: Promise<string> | null = null;
  private readonly options: { algorithm: 2; memoryCost: number; timeCost: number; parallelism: number };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.gate = new WorkGate(config.passwordHashConcurrency, config.passwordHashQueue, 'The server is busy checking passwords; try again in a moment.');
    this.options = { algorithm: ARGON2ID, memoryCost: config.passwordMemoryKib, timeCost: config.passwordTimeCost, parallelism: 1 };
  }

  hash(password: string): Promise<string> {
    return this.gate.run(() => argon2Hash(password, this.options));
  }

  /** Whether `password` matches `stored`; without a stored hash (unknown e-mail) the same work is done against a dummy hash. */
  async verify(stored: string | null, password: string): Promise<boolean> {
    if (stored && LEGACY_BCRYPT.test(stored)) return this.gate.run(() => bcryptVerify(password, stored));
    const hash = stored ?? (await (this.dummy ??= argon2Hash("not anybody's password", this.options)));
    const ok = await this.gate.run(() => argon2Verify(hash, password).catch(() => false));
    return stored !== null && ok;
  }

  /** A stored hash that is bcrypt, or argon2 with other parameters than configured, is replaced at the next successful login. */
  needsRehash(stored: string): boolean {
    if (LEGACY_BCRYPT.test(stored)) return true;
    // The PHC string names its parameters: $argon2id$v=19$m=19456,t=2,p=1$salt$hash.
    const [, algorithm, , params] = stored.split('$');
    const p: Record<string, string> = Object.fromEntries((params ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
    return algorithm !== 'argon2id' || Number(p.m) !== this.options.memoryCost || Number(p.t) !== this.options.timeCost || Number(p.p) !== this.options.parallelism;
  }
}
