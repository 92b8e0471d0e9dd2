import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../common/errors';
import { missing } from '../common/not-found';
import { isoTimestamp } from '../common/serialize';
import { AppConfig, APP_CONFIG } from '../config';
import { TxService } from '../database/tx.service';
import { hashKey } from './keys';
import { LoginAttempts } from './login-attempts';
import { Passwords } from './passwords';
import { Principal } from '../common/principal';
import { StaffLoginInput, StaffPasswordInput } from './staff-sessions.dto';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { serializeUser } from './users.service';
import { User } from './user.entity';

const TOKEN_PREFIX = 'tss_';

/** A session's principal carries the session id as a negative `keyId`: rate limits and logs tell sessions and keys apart. */
export const sessionIdOf = (p: Principal): number | null => (p.keyId < 0 ? -p.keyId : null);

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1] : null;
}

/**
 * Staff sign-in (the admin). Passwords are hashed exactly as the programme's customer passwords
 * (Passwords: argon2id on libuv's thread pool, bounded queue), and a login is budgeted and backs
 * off exactly as a customer login (LoginAttempts, keyed by tenant and e-mail). A session is a
 * bearer token (`tss_` + 256 random bits, only its SHA-256 stored) that the admin keeps in memory;
 * the guard resolves it to the same Principal an API key of the user gets, so roles apply alike.
 * The user row is read with the session on every request: a disabled or demoted user is refused or
 * demoted at once, and a new password ends every session.
 */
@Injectable()
export class StaffSessionsService {
  constructor(
    private readonly repo: StaffSessionsRepository,
    private readonly passwords: Passwords,
    private readonly attempts: LoginAttempts,
    private readonly tx: TxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Unknown tenants and e-mails cost the same hashing work and get the same 401 as a wrong password. */
  async login(input: StaffLoginInput, address: string) {
    const email = input.email.trim().toLowerCase();
    const slug = input.tenant.trim().toLowerCase();
    const ticket = await this.attempts.begin(`staff:${slug}:${email}`, address);
    const tenant = await this.repo.tenantBySlug(slug);
    const user = tenant ? await this.repo.userWithPassword(tenant.id, email) : null;
    let ok = false;
    try {
      ok = await this.passwords.verify(user?.passwordHash ?? null, input.password);
    } finally {
      await this.attempts.end(ticket, ok);
    }
    if (!user || !ok || user.disabledAt) throw new ApiError(401, 'The dealer group, e-mail or password is wrong.');
    if (this.passwords.needsRehash(user.passwordHash!)) {
      const rehashed = await this.passwords.hash(input.password);
      await this.tx.run((em) => this.repo.setPassword(em, user.id, rehashed));
    }
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.staffSessionHours * 3600_000);
    await this.repo.insert({ tenantId: user.tenantId, userId: user.id, tokenHash: hashKey(token), createdAt: now, expiresAt, revokedAt: null });
    return { token, expiresAt: isoTimestamp(expiresAt), user: serializeUser(user) };
  }

  /** `Authorization: Bearer tss_…` → the principal of its user, or null (unknown, expired, revoked, user disabled). */
  async authenticate(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length < 20 || token.length > 200) return null;
    const session = await this.repo.live(hashKey(token));
    if (!session?.user || session.user.disabledAt) return null;
    return { tenantId: session.tenantId, userId: session.userId, role: session.user.role, keyId: -session.id };
  }

  /** Ends the session of `Authorization: Bearer <token>`; nothing to end is no error (sign-out is idempotent). */
  async logout(authorization: string | undefined): Promise<void> {
    const token = bearerToken(authorization);
    if (token?.startsWith(TOKEN_PREFIX)) await this.repo.revokeByHash(hashKey(token));
  }

  /** An admin sets a user's password; every session the user had ends. */
  async setPassword(p: Principal, userId: number, input: StaffPasswordInput): Promise<void> {
    // Hashed before the transaction: no connection is held while argon2 runs.
    const hash = await this.passwords.hash(input.password);
    await this.tx.run(async (em) => {
      if (!(await this.repo.userInTenant(em, p.tenantId, userId))) throw missing('User', userId);
      await this.repo.setPassword(em, userId, hash);
      await this.repo.revokeAll(em, userId);
    });
  }

  /** A random password for a user (the bootstrap admin, the CLI): returned in plaintext once, stored hashed. */
  async generatePassword(user: User): Promise<string> {
    const password = randomBytes(18).toString('base64url');
    const hash = await this.passwords.hash(password);
    await this.tx.run(async (em) => {
      await this.repo.setPassword(em, user.id, hash);
      await this.repo.revokeAll(em, user.id);
    });
    return password;
  }
}
