import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ItemResult } from '../../common/responses';
import { TxService } from '../../database/tx.service';
import type { Caller } from '../program.guard';
import { DEFAULT_OFFER_VALIDITY_DAYS, ProgramOfferSettings } from './offer.entity';
import { OfferSettingsInput, renderOfferSettings } from './offers.dto';
import { OffersRepository } from './offers.repository';

export type OfferSettings = Pick<ProgramOfferSettings, 'quoteVisible' | 'offerValidityDays' | 'autoOfferPercent' | 'autoOfferValidityDays'>;

/** Until a tenant changes them: the quote hidden from customers, no automatic offers, offers open 14 days. */
export const DEFAULT_OFFER_SETTINGS: OfferSettings = { quoteVisible: false, offerValidityDays: DEFAULT_OFFER_VALIDITY_DAYS, autoOfferPercent: null, autoOfferValidityDays: null };

/** The tenant's offer settings (programme admin): quote visibility, automatic offers, default validity. */
@Injectable()
export class OfferSettingsService {
  constructor(
    private readonly tx: TxService,
    private readonly offers: OffersRepository,
  ) {}

  async of(em: EntityManager, tenantId: number): Promise<OfferSettings> {
    const row = await this.offers.settings(em, tenantId);
    return row
      ? { quoteVisible: !!row.quoteVisible, offerValidityDays: row.offerValidityDays, autoOfferPercent: row.autoOfferPercent, autoOfferValidityDays: row.autoOfferValidityDays }
      : DEFAULT_OFFER_SETTINGS;
  }

  async get(caller: Caller): Promise<ItemResult> {
    return new ItemResult(renderOfferSettings(await this.of(this.offers.manager, caller.tenant.id)));
  }

  /** Only the fields sent change. Offers already made keep their expiry. */
  async put(caller: Caller, input: OfferSettingsInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const now = { ...(await this.of(em, caller.tenant.id)) };
      if (input.quote_visible !== undefined) now.quoteVisible = input.quote_visible;
      if (input.offer_validity_days !== undefined) now.offerValidityDays = input.offer_validity_days;
      if (input.auto_offer_percent !== undefined) now.autoOfferPercent = input.auto_offer_percent;
      if (input.auto_offer_validity_days !== undefined) now.autoOfferValidityDays = input.auto_offer_validity_days;
      await this.offers.saveSettings(em, Object.assign(new ProgramOfferSettings(), now, { tenantId: caller.tenant.id, updatedAt: new Date() }));
      return new ItemResult(renderOfferSettings(now));
    });
  }
}
