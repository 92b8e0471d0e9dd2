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
import { LoginInput, ProfileInput, RegisterInput } from './accounts.dto';
import { ProgramAccount } from './account.entity';
import { AccountsRepository } from './accounts.repository';
import { KitOrdersService } from '../shipping/kit-orders.service';
import type { AddressInput } from '../shipping/shipping.dto';

export interface CustomerSession {
  sessionId: number;
  accountId: number;
  customerId: number;
  tenantId: number;
}

/** Session tokens carry 256 random bits, so SHA-256 (not a KDF) is the right way to store them — as for API keys. */
const hashToken = hashKey;

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kits: KitOrdersService,
  ) {}

  async resolve(token: string): Promise<CustomerSession | null> {
    if (token.length < 20 || token.length > 200) return null;
    const s = await this.accounts.liveSession(hashToken(token));
    if (!s || !s.account) return null;
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
