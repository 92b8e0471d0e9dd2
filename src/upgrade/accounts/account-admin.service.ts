import { Injectable } from '@nestjs/common';
import { LoginAttempts } from '../../auth/login-attempts';
import { notFound } from '../../common/errors';
import { ItemResult } from '../../common/responses';
import { isoTimestamp } from '../../common/serialize';
import { TxService } from '../../database/tx.service';
import { ProgramAccount } from './account.entity';
import { AccountSettingsInput } from './accounts.dto';
import { AccountsRepository } from './accounts.repository';
import type { TenantCaller } from './accounts.service';

/** What programme staff do to customer accounts: unlock, disable or enable them, and open or close public sign-up. */
@Injectable()
export class AccountAdminService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly tx: TxService,
    private readonly attempts: LoginAttempts,
  ) {}

  private async account(caller: TenantCaller, id: number): Promise<ProgramAccount> {
    const account = await this.accounts.withCustomer(caller.tenant.id, id);
    if (!account) throw notFound(`No programme account ${id} in this programme.`);
    return account;
  }

  private status(a: ProgramAccount): ItemResult {
    return new ItemResult({ id: a.id, email: a.email, disabled: !!a.disabledAt, disabled_at: isoTimestamp(a.disabledAt) });
  }

  /** Lifts the login locks of the account's e-mail from every address (see LoginAttempts.unlock). */
  async unlock(caller: TenantCaller, id: number): Promise<ItemResult> {
    const account = await this.account(caller, id);
    await this.attempts.unlock(`${caller.tenant.id}:${account.email}`);
    return this.status(account);
  }

  /** Disables (no login, sessions revoked at once) or enables an account. */
  async setDisabled(caller: TenantCaller, id: number, disabled: boolean): Promise<ItemResult> {
    await this.tx.run(async (em) => {
      const now = new Date();
      const account = await this.accounts.lockAccount(em, caller.tenant.id, id);
      if (!account) throw notFound(`No programme account ${id} in this programme.`);
      if (disabled && !account.disabledAt) await this.accounts.setAccount(em, id, { disabledAt: now, updatedAt: now });
      if (!disabled && account.disabledAt) await this.accounts.setAccount(em, id, { disabledAt: null, updatedAt: now });
      if (disabled) await this.accounts.revokeSessions(em, id, now);
    });
    return this.status(await this.account(caller, id));
  }

  async settings(caller: TenantCaller): Promise<ItemResult> {
    const s = await this.accounts.settings(caller.tenant.id);
    return new ItemResult({ public_signup: s?.publicSignup ?? true, updated_at: isoTimestamp(s?.updatedAt ?? null) });
  }

  async putSettings(caller: TenantCaller, input: AccountSettingsInput): Promise<ItemResult> {
    await this.tx.run((em) => this.accounts.saveSettings(em, { tenantId: caller.tenant.id, publicSignup: input.public_signup, updatedAt: new Date() }));
    return this.settings(caller);
  }
}
