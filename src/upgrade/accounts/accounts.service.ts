import { Inject, Injectable } from '@nestjs/common';
import { iriOf } from '../../common/iri';
import { randomBytes } from 'node:crypto';
import { AppConfig, APP_CONFIG } from '../../config';
import { ApiError, notFound, ValidationFailed, violation } from '../../common/errors';
import { LoginAttempts } from '../../auth/login-attempts';
import { Passwords } from '../../auth/passwords';
import { isoTimestamp } from '../../common/serialize';
import { Customer } from '../../customers/customer.entity';
import { TxService } from '../../database/tx.service';
import { hashKey } from '../../auth/keys';
import { Tenant } from '../../tenants/tenant.entity';
import { EmailChangeInput, LoginInput, PasswordChangeInput, PasswordResetInput, PasswordResetRequestInput, ProfileInput, RegisterInput } from './accounts.dto';
import { ProgramAccount } from './account.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { AccountsRepository } from './accounts.repository';
import { KitOrdersService } from '../shipping/kit-orders.service';
import type { AddressInput } from '../shipping/shipping.dto';

/** Whoever calls on a tenant (a ProgramGuard Caller; named here without importing the guard, which imports this service). */
export interface TenantCaller {
  tenant: Tenant;
}

export interface CustomerSession {
  sessionId: number;
  accountId: number;
  customerId: number;
  tenantId: number;
}

/** Session tokens carry 256 random bits, so SHA-256 (not a KDF) is the right way to store them — as for API keys. */
const hashToken = hashKey;

/** Reset mails per e-mail per hour: more requests get the same answer and no mail (no mail bombing). */
const RESET_MAILS_PER_HOUR = 3;

/**
 * Programme accounts and sessions. Passwords: argon2id (Passwords). Tokens: `tis_` + 32 random
 * bytes, stored only as SHA-256, valid SESSION_TTL_HOURS, revoked by logout. Password checks are
 * budgeted and failed logins back off per e-mail and address (LoginAttempts).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly tx: TxService,
    private readonly passwords: Passwords,
    private readonly attempts: LoginAttempts,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kits: KitOrdersService,
  ) {}

  async resolve(token: string): Promise<CustomerSession | null> {
    if (token.length < 20 || token.length > 200) return null;
    const s = await this.accounts.liveSession(hashToken(token));
    if (!s || !s.account || s.account.disabledAt) return null;
    return { sessionId: s.id, accountId: s.accountId, customerId: s.account.customerId, tenantId: s.tenantId };
  }

  private async issue(account: ProgramAccount) {
    const token = `tis_${randomBytes(32).toString('base64url')}`;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3600_000);
    await this.accounts.insertSession({ tenantId: account.tenantId, accountId: account.id, tokenHash: hashToken(token), createdAt: now, expiresAt, revokedAt: null });
    return { token, token_type: 'Bearer', expires_at: isoTimestamp(expiresAt) };
  }

  /**
   * Registration answers the same for a new e-mail and a known one (202, same body), so it does not
   * tell which e-mails have accounts: for a known e-mail nothing is created and the password sent is
   * ignored. The password is hashed in both cases, so the work (and the time) is the same too; the
   * customer logs in afterwards. Parallel registrations of one e-mail: the unique index decides.
   */
  async register(tenant: Tenant, input: RegisterInput, address: string) {
    if (!(await this.publicSignup(tenant.id))) throw new ApiError(403, `Registration is closed in this programme: accounts are not open to the public. Contact ${tenant.name} to take part.`);
    const email = input.email.trim().toLowerCase();
    await this.attempts.spend(address);
    const passwordHash = await this.passwords.hash(input.password);
    await this.tx
      .run(async (em) => {
        if (await this.accounts.accountExists(em, tenant.id, email)) return;
        const now = new Date();
        const customer = await this.accounts.insertCustomer(em, {
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
        });
        await this.accounts.insertAccount(em, {
          tenantId: tenant.id,
          customerId: customer.id,
          email,
          passwordHash,
          lastLoginAt: null,
          disabledAt: null,
          ...addressColumns(input.shipping_address),
          createdAt: now,
          updatedAt: now,
        });
      })
      .catch((e: unknown) => {
        if (!isDuplicate(e)) throw e; // a parallel registration of the same e-mail got there first
      });
    return {
      status: 'accepted',
      detail: `If ${email} had no account here, it has one now. Log in with POST /api/${tenant.slug}/auth/login.`,
      login: `/api/${tenant.slug}/auth/login`,
    };
  }

  /**
   * Login. LoginAttempts decides before the password is checked whether it may be checked at all
   * (budgets, backoff; 429 otherwise) and counts the check at once. Unknown e-mails cost the same
   * hashing work and get the same answers. A bcrypt hash from before is replaced by argon2id here.
   */
  async login(tenant: Tenant, input: LoginInput, address: string) {
    const email = input.email.trim().toLowerCase();
    const ticket = await this.attempts.begin(`${tenant.id}:${email}`, address);
    const account = await this.accounts.findByEmail(tenant.id, email);
    let ok = false;
    try {
      ok = await this.passwords.verify(account?.passwordHash ?? null, input.password);
    } finally {
      await this.attempts.end(ticket, ok);
    }
    if (!account || !ok) throw new ApiError(401, 'The e-mail or password is wrong.');
    // Told only to whoever knows the password: a disabled account is not otherwise distinguishable.
    if (account.disabledAt) throw new ApiError(403, 'This account is disabled by the programme. Contact the programme to have it enabled.');
    const now = new Date();
    const rehashed = this.passwords.needsRehash(account.passwordHash) ? { passwordHash: await this.passwords.hash(input.password) } : {};
    await this.accounts.updateAccount(account.id, { ...rehashed, lastLoginAt: now });
    return this.issue(account);
  }

  async logout(session: CustomerSession): Promise<void> {
    await this.accounts.revokeSession(session.sessionId);
  }

  async profile(s: { accountId: number; tenantId: number }) {
    const account = await this.accounts.withCustomer(s.tenantId, s.accountId);
    if (!account || !account.customer) throw notFound('Account not found.');
    const c = account.customer;
    return {
      id: account.id,
      email: account.email,
      first_name: c.firstName,
      last_name: c.lastName,
      phone: c.phone,
      address: c.address,
      shipping_address: account.addressLine1
        ? { line1: account.addressLine1, line2: account.addressLine2 ?? null, postcode: account.addressPostcode!, city: account.addressCity!, country: account.addressCountry! }
        : null,
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
      const c = await this.accounts.lockCustomer(em, s.tenantId, s.customerId);
      if (!c) throw notFound('Account not found.');
      if (Object.keys(changes).length) await this.accounts.updateCustomer(em, s.tenantId, c.id, { ...changes, updatedAt: new Date(), version: c.version + 1 });
      if (input.shipping_address !== undefined) {
        await this.accounts.updateAccountIn(em, s.accountId, { ...addressColumns(input.shipping_address), updatedAt: new Date() });
        // Kit orders that waited for an address are ordered now, in this transaction.
        if (input.shipping_address) await this.kits.addressChanged(em, s.tenantId, s.accountId);
      }
    });
    return this.profile(s);
  }

  // ---------------------------------------------------------------- password reset

  /**
   * Sends a single-use reset code to the account's e-mail, if there is an enabled account (and it
   * had fewer than RESET_MAILS_PER_HOUR this hour). The answer is the same in every case, so it
   * does not tell which e-mails have accounts. Spends one of the address's password checks. Only
   * the code's SHA-256 is stored; the mail is sent by the job runner after the commit.
   */
  async requestReset(tenant: Tenant, input: PasswordResetRequestInput, address: string) {
    const email = input.email.trim().toLowerCase();
    await this.attempts.spend(address);
    const account = await this.accounts.findByEmail(tenant.id, email);
    if (account && !account.disabledAt && (await this.attempts.allowMail(`reset:${tenant.id}:${email}`, RESET_MAILS_PER_HOUR, 3600_000))) {
      const token = `tpr_${randomBytes(32).toString('base64url')}`;
      const now = new Date();
      const minutes = this.config.passwordResetMinutes;
      await this.tx.run(async (em) => {
        const id = await this.accounts.insertReset(em, {
          tenantId: tenant.id,
          accountId: account.id,
          tokenHash: hashToken(token),
          createdAt: now,
          expiresAt: new Date(now.getTime() + minutes * 60_000),
          usedAt: null,
        });
        const url = this.config.passwordResetUrl?.replace('{tenant}', encodeURIComponent(tenant.slug)).replace('{token}', encodeURIComponent(token)) ?? '';
        await this.notifications.enqueue(em, {
          tenantId: tenant.id,
          kind: 'password.reset',
          sourceKey: `reset:${id}`,
          recipient: account.email,
          tradeInId: null,
          vars: { email: account.email, token, reset_url: url, valid_minutes: minutes, tenant: { name: tenant.name, slug: tenant.slug } },
        });
      });
    }
    return { status: 'accepted', detail: `If ${email} has an account here, a reset code was sent to it; it is valid for ${this.config.passwordResetMinutes} minutes and can be used once.` };
  }

  /**
   * Sets a new password with an e-mailed code: the code is spent by a conditional UPDATE (… AND
   * used_at IS NULL), so of two concurrent uses one wins and the other gets 422. The account's
   * sessions end, its other codes stop working, and its login locks are lifted.
   */
  async resetPassword(tenant: Tenant, input: PasswordResetInput, address: string): Promise<void> {
    await this.attempts.spend(address);
    const invalid = () => new ValidationFailed([violation('token', 'token is not a valid reset code, or it has been used already: ask for a new one', 'invalid')]);
    const expired = () => new ApiError(410, 'The reset code has expired: ask for a new one (POST /api/{tenant}/auth/password-reset/request).');
    const reset = input.token.length >= 20 ? await this.accounts.findReset(hashToken(input.token)) : null;
    if (!reset || reset.tenantId !== tenant.id || reset.usedAt) throw invalid();
    if (reset.expiresAt.getTime() <= Date.now()) throw expired();
    const passwordHash = await this.passwords.hash(input.password);
    const email = await this.tx.run(async (em) => {
      const now = new Date();
      const account = await this.accounts.lockAccount(em, tenant.id, reset.accountId);
      if (!account) throw invalid();
      if (!(await this.accounts.useReset(em, reset.id, now))) throw reset.expiresAt.getTime() <= now.getTime() ? expired() : invalid();
      await this.accounts.setAccount(em, account.id, { passwordHash, updatedAt: now });
      await this.accounts.spendResets(em, account.id, now);
      await this.accounts.revokeSessions(em, account.id, now);
      return account.email;
    });
    await this.attempts.unlock(`${tenant.id}:${email}`);
  }

  // ---------------------------------------------------------------- the customer's own account

  /** The current password, checked like a login (budgets, backoff): 422 naming `field` when wrong. */
  private async checkPassword(s: CustomerSession, password: string, field: string, address: string): Promise<ProgramAccount> {
    const account = await this.accounts.withCustomer(s.tenantId, s.accountId);
    if (!account) throw notFound('Account not found.');
    const ticket = await this.attempts.begin(`${s.tenantId}:${account.email}`, address);
    let ok = false;
    try {
      ok = await this.passwords.verify(account.passwordHash, password);
    } finally {
      await this.attempts.end(ticket, ok);
    }
    if (!ok) throw new ValidationFailed([violation(field, `${field} is not the account's password`, 'invalid')]);
    return account;
  }

  /** A new password (the current one required); every other session of the account ends, and unused reset codes stop working. */
  async changePassword(s: CustomerSession, input: PasswordChangeInput, address: string): Promise<void> {
    await this.checkPassword(s, input.current_password, 'current_password', address);
    const passwordHash = await this.passwords.hash(input.new_password);
    await this.tx.run(async (em) => {
      const now = new Date();
      const account = await this.accounts.lockAccount(em, s.tenantId, s.accountId);
      if (!account) throw notFound('Account not found.');
      await this.accounts.setAccount(em, account.id, { passwordHash, updatedAt: now });
      await this.accounts.spendResets(em, account.id, now);
      await this.accounts.revokeSessions(em, account.id, now, s.sessionId);
    });
  }

  /** A new login e-mail (the password required), unique in the tenant (409); the dealer-side customer's e-mail changes with it. */
  async changeEmail(s: CustomerSession, input: EmailChangeInput, address: string) {
    await this.checkPassword(s, input.password, 'password', address);
    const email = input.email.trim().toLowerCase();
    const taken = () => new ApiError(409, `${email} is already the login of another account in this programme.`);
    await this.tx
      .run(async (em) => {
        const now = new Date();
        const account = await this.accounts.lockAccount(em, s.tenantId, s.accountId);
        if (!account) throw notFound('Account not found.');
        if (account.email === email) return;
        if (await this.accounts.emailTaken(em, s.tenantId, email, account.id)) throw taken();
        await this.accounts.setAccount(em, account.id, { email, updatedAt: now });
        const c = await this.accounts.lockCustomer(em, s.tenantId, account.customerId);
        if (c) await this.accounts.updateCustomer(em, s.tenantId, c.id, { email, updatedAt: now, version: c.version + 1 });
        await this.accounts.spendResets(em, account.id, now);
      })
      .catch((e: unknown) => {
        throw isDuplicate(e) ? taken() : e; // a parallel change or registration took the e-mail first
      });
    return this.profile(s);
  }

  private async publicSignup(tenantId: number): Promise<boolean> {
    return (await this.accounts.settings(tenantId))?.publicSignup ?? true;
  }
}

/** The shipping address's columns of an account (all null: none). */
function addressColumns(a: AddressInput | null | undefined) {
  return {
    addressLine1: a?.line1 ?? null,
    addressLine2: a?.line2 || null,
    addressPostcode: a?.postcode ?? null,
    addressCity: a?.city ?? null,
    addressCountry: a?.country ?? null,
  };
}

function isDuplicate(e: unknown): boolean {
  const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code ?? '';
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
