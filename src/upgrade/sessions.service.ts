import { Inject, Injectable } from '@nestjs/common';
import { iriOf } from '../common/iri';
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../config';
import { ApiError, conflict, notFound, ValidationFailed, violation } from '../common/errors';
import { isoTimestamp } from '../common/serialize';
import { Customer } from '../customers/customer.entity';
import { TxService } from '../database/tx.service';
import { hashKey } from '../auth/keys';
import { Tenant } from '../tenants/tenant.entity';
import { LoginInput, ProfileInput, RegisterInput } from './program.dto';
import { ProgramAccount, ProgramSession } from './program.entities';

export interface CustomerSession {
  sessionId: number;
  accountId: number;
  customerId: number;
  tenantId: number;
}

/** Session tokens carry 256 random bits, so SHA-256 (not a KDF) is the right way to store them — as for API keys. */
const hashToken = hashKey;

/**
 * Programme accounts and sessions. Passwords: bcrypt (cost PASSWORD_COST). Tokens: `tis_` + 32 random
 * bytes, stored only as SHA-256, valid SESSION_TTL_HOURS, revoked by logout. LOGIN_MAX_FAILURES failed
 * logins in a row lock the account for LOGIN_LOCK_SECONDS (429 naming the seconds left).
 */
@Injectable()
export class SessionsService {
  private dummyHash: string | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(token: string): Promise<CustomerSession | null> {
    if (token.length < 20 || token.length > 200) return null;
    const s = await this.ds.getRepository(ProgramSession).findOne({ where: { tokenHash: hashToken(token), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) }, relations: { account: true } });
    if (!s || !s.account) return null;
    return { sessionId: s.id, accountId: s.accountId, customerId: s.account.customerId, tenantId: s.tenantId };
  }

  private async issue(account: ProgramAccount) {
    const token = `tis_${randomBytes(32).toString('base64url')}`;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3600_000);
    await this.ds.getRepository(ProgramSession).insert({ tenantId: account.tenantId, accountId: account.id, tokenHash: hashToken(token), createdAt: now, expiresAt, revokedAt: null });
    return { token, token_type: 'Bearer', expires_at: isoTimestamp(expiresAt) };
  }

  async register(tenant: Tenant, input: RegisterInput) {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await bcrypt.hash(input.password, this.config.passwordCost);
    const account = await this.tx.run(async (em) => {
      if (await em.getRepository(ProgramAccount).existsBy({ tenantId: tenant.id, email })) throw conflict('An account with this e-mail already exists; log in instead.');
      const now = new Date();
      const customer = await em.getRepository(Customer).save(
        em.getRepository(Customer).create({
          tenantId: tenant.id,
          firstName: input.first_name ?? null,
          lastName: input.last_name,
          companyName: null,
          email,
          phone: input.phone ?? null,
          personalCode: null,
          address: input.address ?? null,
          createdAt: now,
          updatedAt: now,
          version: 1,
        }),
      );
      return em.getRepository(ProgramAccount).save(
        em.getRepository(ProgramAccount).create({ tenantId: tenant.id, customerId: customer.id, email, passwordHash, failedLogins: 0, lockedUntil: null, lastLoginAt: null, createdAt: now, updatedAt: now }),
      );
    });
    return { ...(await this.issue(account)), customer: await this.profile({ accountId: account.id, tenantId: tenant.id }) };
  }

  async login(tenant: Tenant, input: LoginInput) {
    const email = input.email.trim().toLowerCase();
    const account = await this.ds.getRepository(ProgramAccount).findOneBy({ tenantId: tenant.id, email });
    const now = new Date();
    if (account?.lockedUntil && account.lockedUntil > now) throw this.locked(account.lockedUntil, now);
    // Unknown e-mails cost a bcrypt comparison too, so timing does not tell which accounts exist.
    this.dummyHash ??= await bcrypt.hash('not a password', this.config.passwordCost);
    const ok = await bcrypt.compare(input.password, account?.passwordHash ?? this.dummyHash);
    if (!account || !ok) {
      if (account) {
        // Counted on the locked row: parallel wrong guesses each count, so the limit holds.
        const lockedUntil = await this.tx.run(async (em) => {
          const repo = em.getRepository(ProgramAccount);
          const current = await repo.findOne({ where: { id: account.id }, lock: this.tx.lockMode() });
          if (!current) return null;
          const failures = current.failedLogins + 1;
          const until = failures >= this.config.loginMaxFailures ? new Date(now.getTime() + this.config.loginLockSeconds * 1000) : null;
          await repo.update({ id: account.id }, { failedLogins: until ? 0 : failures, lockedUntil: until });
          return until;
        });
        if (lockedUntil) throw this.locked(lockedUntil, now);
      }
      throw new ApiError(401, 'The e-mail or password is wrong.');
    }
    await this.ds.getRepository(ProgramAccount).update({ id: account.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
    return this.issue(account);
  }

  private locked(until: Date, now: Date) {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new ApiError(429, `Too many failed logins: the account is locked for ${seconds} more seconds.`, undefined, { 'Retry-After': String(seconds) });
  }

  async logout(session: CustomerSession): Promise<void> {
    await this.ds.getRepository(ProgramSession).update({ id: session.sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async profile(s: { accountId: number; tenantId: number }) {
    const account = await this.ds.getRepository(ProgramAccount).findOne({ where: { id: s.accountId, tenantId: s.tenantId }, relations: { customer: true } });
    if (!account || !account.customer) throw notFound('Account not found.');
    const c = account.customer;
    return {
      id: account.id,
      email: account.email,
      first_name: c.firstName,
      last_name: c.lastName,
      phone: c.phone,
      address: c.address,
      customer: iriOf('customers', c.id),
      created_at: isoTimestamp(account.createdAt),
      last_login_at: isoTimestamp(account.lastLoginAt),
    };
  }

  async updateProfile(s: CustomerSession, input: ProfileInput) {
    const changes: Partial<Customer> = {};
    if (input.first_name !== undefined) changes.firstName = input.first_name;
    if (input.last_name !== undefined) {
      if (input.last_name === null) throw new ValidationFailed([violation('last_name', 'last_name cannot be cleared', 'required')]);
      changes.lastName = input.last_name;
    }
    if (input.phone !== undefined) changes.phone = input.phone;
    if (input.address !== undefined) changes.address = input.address;
    await this.tx.run(async (em) => {
      const c = await em.getRepository(Customer).findOne({ where: { id: s.customerId, tenantId: s.tenantId }, lock: this.tx.lockMode() });
      if (!c) throw notFound('Account not found.');
      if (Object.keys(changes).length) await em.getRepository(Customer).update({ id: c.id, tenantId: s.tenantId }, { ...changes, updatedAt: new Date(), version: c.version + 1 });
    });
    return this.profile(s);
  }
}
