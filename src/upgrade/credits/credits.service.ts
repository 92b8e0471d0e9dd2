import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { EntityManager } from 'typeorm';
import { parsePagination, readQuery } from '../../common/collection';
import { ApiError, badRequest, ValidationFailed, Violation, violation } from '../../common/errors';
import { fromCents, toCents } from '../../common/money';
import { ItemResult } from '../../common/responses';
import { recordEvent } from '../../database/outbox';
import { TxService } from '../../database/tx.service';
import type { Caller } from '../program.guard';
import { parsePrefixed } from '../program.mapping';
import { CreditEntry, CreditKind } from './credit-entry.entity';
import { CreditEntryInput, renderCreditEntry } from './credits.dto';
import { CreditsRepository } from './credits.repository';

const isDuplicate = (e: unknown) => {
  const code = (e as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (e as { code?: string }).code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
};

/** What a completion credits: the final value as store credit, or paid out at once as a refund. */
export interface CompletionCredit {
  accountId: number;
  tradeInId: number;
  amount: number;
  creditType: 'store_credit' | 'refund';
  reference: string | null;
}

/**
 * The store-credit ledger of programme customers: entries that are only ever added, the balance
 * their sum. Every write locks the account row first and checks the balance under that lock, so
 * the balance never goes below 0, whatever runs at the same time.
 */
@Injectable()
export class CreditsService {
  constructor(
    private readonly tx: TxService,
    private readonly credits: CreditsRepository,
  ) {}

  /** The caller's own ledger (customers). */
  mine(req: Request, caller: Caller): Promise<ItemResult> {
    return this.view(req, caller, caller.customer!.accountId, false);
  }

  /** A customer's ledger (staff). */
  async ofAccount(req: Request, caller: Caller, rawId: string): Promise<ItemResult> {
    return this.view(req, caller, this.accountId(rawId), true);
  }

  private accountId(rawId: string): number {
    const id = parsePrefixed(rawId, 'acc');
    if (!id) throw this.credits.accounts.missing(rawId.slice(0, 20));
    return id;
  }

  private async view(req: Request, caller: Caller, accountId: number, staff: boolean): Promise<ItemResult> {
    const pagination = parsePagination(readQuery(req));
    if (pagination.partial) throw badRequest('The credit ledger is paged by page and itemsPerPage only.');
    const em = this.credits.manager;
    await this.credits.accounts.existsInTenantOrFail(em, caller.tenant.id, accountId);
    const [balance, total, entries] = [
      await this.credits.balance(em, accountId),
      await this.credits.count(em, accountId),
      await this.credits.page(em, accountId, (pagination.page - 1) * pagination.itemsPerPage, pagination.itemsPerPage),
    ];
    return new ItemResult(
      { account_id: accountId, balance, entries: entries.map((e) => renderCreditEntry(e, staff)), total_entries: total, page: pagination.page, items_per_page: pagination.itemsPerPage },
      { headers: { 'X-Total-Count': String(total) } },
    );
  }

  /**
   * Staff record a spend, an adjustment or a refund. With an Idempotency-Key, a retry of the same
   * request returns the entry already recorded (200) and records nothing; the key with another
   * request → 422.
   */
  async record(req: Request, caller: Caller, rawId: string, input: CreditEntryInput): Promise<ItemResult> {
    const accountId = this.accountId(rawId);
    const rawKey = req.headers['idempotency-key'];
    const key = rawKey === undefined ? null : String(rawKey).trim();
    if (key !== null && !/^[\x21-\x7e]{1,255}$/.test(key)) throw badRequest('The Idempotency-Key header must be 1–255 visible ASCII characters.');
    const kind = input.kind as CreditKind;
    const violations: Violation[] = [];
    if (kind !== 'adjust' && input.amount <= 0) violations.push(violation('amount', `amount must be positive for ${kind}: it is taken from the balance.`, 'too_small'));
    if (kind === 'adjust' && input.amount === 0) violations.push(violation('amount', 'amount must not be 0 for adjust.', 'invalid'));
    if (kind === 'adjust' && !input.reason?.trim()) violations.push(violation('reason', 'reason is required for adjust.', 'required'));
    if (kind === 'refund' && !input.external_reference?.trim())
      violations.push(violation('external_reference', "external_reference (the payment system's reference of the payout) is required for refund.", 'required'));
    if (violations.length) throw new ValidationFailed(violations);
    const delta = kind === 'adjust' ? input.amount : -input.amount;
    try {
      return await this.tx.run(async (em) => {
        await this.credits.accounts.findInTenantOrFail(em, caller.tenant.id, accountId, { lock: true });
        if (key !== null) {
          const earlier = await this.credits.byClientKey(em, caller.tenant.id, key);
          if (earlier) return this.replay(earlier, accountId, kind, delta, input);
        }
        const entry = await this.add(em, caller, {
          accountId,
          kind,
          amount: delta,
          reference: input.reference ?? null,
          externalReference: input.external_reference ?? null,
          reason: input.reason ?? null,
          tradeInId: null,
          clientKey: key,
          createdById: caller.staff!.userId,
        });
        return new ItemResult(renderCreditEntry(entry, true), { status: 201 });
      });
    } catch (e) {
      // The same key on another customer's ledger, committed meanwhile.
      if (isDuplicate(e)) throw new ApiError(422, 'This Idempotency-Key was already used with a different request. Use a new key for a new request.');
      throw e;
    }
  }

  private replay(earlier: CreditEntry, accountId: number, kind: CreditKind, delta: number, input: CreditEntryInput): ItemResult {
    const same =
      earlier.accountId === accountId &&
      earlier.kind === kind &&
      toCents(earlier.amount) === toCents(delta) &&
      earlier.reference === (input.reference ?? null) &&
      earlier.externalReference === (input.external_reference ?? null);
    if (!same) throw new ApiError(422, 'This Idempotency-Key was already used with a different request. Use a new key for a new request.');
    return new ItemResult(renderCreditEntry(earlier, true));
  }

  /**
   * Completion's credit, in the completion's transaction (the trade-in and programme rows are
   * locked): an `issue` entry of the final value and, when it is paid out as a refund, a `refund`
   * entry of the same amount with the reference given. The unique key (trade_in_id, kind) makes a
   * second issue for the same submission impossible, whatever the caller did before.
   */
  async issueForCompletion(em: EntityManager, caller: Caller, credit: CompletionCredit): Promise<CreditEntry[]> {
    await this.credits.accounts.findInTenantOrFail(em, caller.tenant.id, credit.accountId, { lock: true });
    const common = { accountId: credit.accountId, tradeInId: credit.tradeInId, clientKey: null, createdById: caller.staff?.userId ?? null, reason: null };
    const entries = [await this.add(em, caller, { ...common, kind: 'issue', amount: credit.amount, reference: credit.reference, externalReference: null })];
    if (credit.creditType === 'refund') {
      entries.push(await this.add(em, caller, { ...common, kind: 'refund', amount: -credit.amount, reference: null, externalReference: credit.reference }));
    }
    return entries;
  }

  /** Appends one entry under the account's lock (held by the caller); 422 if the balance would go below 0. */
  private async add(em: EntityManager, caller: Caller, e: Omit<CreditEntry, 'id' | 'tenantId' | 'balanceAfter' | 'createdAt'>): Promise<CreditEntry> {
    const before = toCents(await this.credits.balance(em, e.accountId));
    const after = before + toCents(e.amount);
    if (after < 0n) throw new ValidationFailed([violation('amount', `The balance is ${fromCents(before)}; ${fromCents(-toCents(e.amount))} cannot be taken from it.`, 'too_large')]);
    const entry = await this.credits.insert(em, { ...e, tenantId: caller.tenant.id, balanceAfter: fromCents(after), createdAt: new Date() });
    await recordEvent(em, caller.tenant.id, 'credit.entry', `/api/${caller.tenant.slug}/admin/customers/${e.accountId}/credits`, { entry: renderCreditEntry(entry, true) }, e.tradeInId);
    return entry;
  }
}
