import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../../config';
import type { Customer } from '../../customers/customer.entity';
import type { ProgramAccount } from '../accounts/account.entity';
import { renderShipment, ShipmentView } from './shipping.dto';
import { SHIPPING_PROVIDERS, ShippingProvider } from './shipping.provider';
import { ShippingRepository } from './shipping.repository';
import { ProgramShipment, ShipmentDirection, ShipmentStatus, ShippingProviderName, ShippingSettings } from './shipment.entity';

/** The tenant, as far as shipments need it (a Tenant or a programme Caller's tenant). */
export interface TenantRef {
  id: number;
  slug: string;
}

/** Waiting orders a facility change releases in one request; the rest are released by the next change or address. */
export const RELEASE_BATCH = 200;
/** Kit orders that can still be called off: nothing has left the customer yet. */
const CANCELLABLE: ReadonlySet<ShipmentStatus> = new Set(['awaiting_address', 'ordered', 'kit_sent']);

/**
 * Placing shipments: the kit order at acceptance, the return of an item, and the orders that waited
 * for an address once it exists. Everything runs in the caller's transaction; the order is handed to
 * the tenant's provider (ShippingProvider.ordered) in it. Takes the tenant, not a programme caller:
 * the accounts (address changes) and other features use it too.
 */
@Injectable()
export class KitOrdersService {
  private readonly providers: Map<ShippingProviderName, ShippingProvider>;

  constructor(
    private readonly repo: ShippingRepository,
    @Inject(SHIPPING_PROVIDERS) providers: ShippingProvider[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.providers = new Map(providers.map((p) => [p.name, p]));
  }

  provider(name: ShippingProviderName): ShippingProvider {
    const p = this.providers.get(name);
    if (!p) throw new Error(`No shipping provider "${name}" is registered.`);
    return p;
  }

  /** The tenant's configuration, or the defaults (manual provider, shipping kits, no carrier, no facility yet). */
  async settings(em: EntityManager, tenantId: number): Promise<{ settings: ShippingSettings; configured: boolean }> {
    const row = await this.repo.settings(em, tenantId);
    if (row) return { settings: row, configured: true };
    const defaults = Object.assign(new ShippingSettings(), {
      tenantId,
      provider: 'manual',
      defaultMethod: 'shipping_kit',
      defaultCarrier: null,
      facilityName: null,
      facilityLine1: null,
      facilityLine2: null,
      facilityPostcode: null,
      facilityCity: null,
      facilityCountry: null,
      updatedAt: new Date(0),
      updatedById: null,
    } satisfies ShippingSettings);
    return { settings: defaults, configured: false };
  }

  async view(em: EntityManager, slug: string, s: ProgramShipment): Promise<ShipmentView> {
    return renderShipment(s, (await this.repo.eventsOf(em, [s.id])).get(s.id) ?? [], slug, this.config.publicBaseUrl);
  }

  /** The shipments of several submissions (kit order first), rendered; a few queries for the lot. */
  async viewsOf(em: EntityManager, tenant: TenantRef, tradeInIds: number[]): Promise<Map<number, ShipmentView[]>> {
    const { shipments, events } = await this.repo.ofTradeIns(em, tenant.id, tradeInIds);
    const views = new Map<number, ShipmentView[]>();
    for (const s of shipments) views.set(s.tradeInId, [...(views.get(s.tradeInId) ?? []), renderShipment(s, events.get(s.id) ?? [], tenant.slug, this.config.publicBaseUrl)]);
    return views;
  }

  /**
   * The kit order of an accepted submission, from the customer's profile address (outbound: the kit
   * goes to the customer, its label brings the item to the facility). None when the tenant's
   * default method is drop_off. Without the customer's or the facility's address it waits
   * (`awaiting_address`) and is ordered when the address is saved. Once per submission.
   */
  async orderKit(em: EntityManager, tenant: TenantRef, tradeInId: number, accountId: number): Promise<ProgramShipment | null> {
    const { settings } = await this.settings(em, tenant.id);
    if (settings.defaultMethod === 'drop_off') return null;
    return this.place(em, tenant, tradeInId, accountId, 'outbound', settings);
  }

  /**
   * The return of an item to its customer (from the facility to the customer's profile address):
   * for another feature's transaction (a declined revised offer, a rejected item). Once per
   * submission: a second call returns the first shipment.
   */
  async createReturnShipment(em: EntityManager, tenant: TenantRef, tradeInId: number, accountId: number): Promise<ProgramShipment> {
    const { settings } = await this.settings(em, tenant.id);
    return this.place(em, tenant, tradeInId, accountId, 'return', settings);
  }

  /**
   * The submission ended before its item left the customer (staff rejected it after the acceptance):
   * a kit order not yet shipped is cancelled (its label and carrier updates then answer 409). The
   * fulfilment system learns it from the submission's event, whose shipments carry the status. For
   * the caller's transaction, after the trade-in and programme row locks (the lock order of every write).
   */
  async cancelKit(em: EntityManager, tenantId: number, tradeInId: number): Promise<void> {
    const s = await this.repo.byTradeIn(em, tenantId, tradeInId, 'outbound', true);
    if (!s || !CANCELLABLE.has(s.status)) return;
    s.status = 'cancelled';
    s.updatedAt = new Date();
    await this.repo.saveShipment(em, s);
  }

  private async place(em: EntityManager, tenant: TenantRef, tradeInId: number, accountId: number, direction: ShipmentDirection, settings: ShippingSettings): Promise<ProgramShipment> {
    // The account first, as an address change does: the two are serialised, and an order never misses an address saved meanwhile.
    const holder = await this.repo.lockAccount(em, tenant.id, accountId);
    const existing = await this.repo.byTradeIn(em, tenant.id, tradeInId, direction, true);
    if (existing) return existing;
    const now = new Date();
    const s = await this.repo.insertShipment(em, {
      tenantId: tenant.id,
      tradeInId,
      accountId,
      direction,
      status: 'awaiting_address',
      provider: settings.provider,
      method: direction === 'return' ? 'return_label' : settings.defaultMethod,
      carrier: settings.defaultCarrier,
      trackingNumber: null,
      ...customerColumns(holder?.account ?? null, holder?.customer ?? null),
      ...facilityColumns(settings),
      orderedAt: null,
      kitSentAt: null,
      shippedAt: null,
      deliveredAt: null,
      createdAt: now,
      updatedAt: now,
    });
    if (s.customerLine1 && s.facilityLine1) await this.order(em, tenant, s, now);
    return s;
  }

  /** awaiting_address → ordered, handed to the provider of the tenant's configuration. */
  private async order(em: EntityManager, tenant: TenantRef, s: ProgramShipment, now: Date): Promise<void> {
    s.status = 'ordered';
    s.orderedAt = now;
    s.updatedAt = now;
    await this.repo.saveShipment(em, s);
    await this.provider(s.provider).ordered(em, { tenant, shipment: s, view: await this.view(em, tenant.slug, s) });
  }

  /** The customer saved an address: their waiting shipments take it and are ordered (when the facility is known). */
  async addressChanged(em: EntityManager, tenantId: number, accountId: number): Promise<void> {
    const holder = await this.repo.lockAccount(em, tenantId, accountId);
    const waiting = await this.repo.awaiting(em, tenantId, accountId, RELEASE_BATCH);
    if (!holder || !waiting.length) return;
    const tenant = (await this.repo.tenant(em, tenantId))!;
    const { settings } = await this.settings(em, tenantId);
    for (const s of waiting) await this.release(em, tenant, s, settings, customerColumns(holder.account, holder.customer));
  }

  /** The facility was configured: waiting shipments take it (and the provider now configured) and are ordered when the customer's address is known. */
  async facilityChanged(em: EntityManager, tenant: TenantRef, settings: ShippingSettings): Promise<void> {
    for (const s of await this.repo.awaiting(em, tenant.id, null, RELEASE_BATCH)) {
      const holder = await this.repo.lockAccount(em, tenant.id, s.accountId);
      await this.release(em, tenant, s, settings, customerColumns(holder?.account ?? null, holder?.customer ?? null));
    }
  }

  private async release(em: EntityManager, tenant: TenantRef, s: ProgramShipment, settings: ShippingSettings, customer: ReturnType<typeof customerColumns>): Promise<void> {
    // Not ordered yet, so nothing was promised: it takes the addresses and the provider as they are now.
    Object.assign(s, customer, facilityColumns(settings), { provider: settings.provider, updatedAt: new Date() });
    if (s.customerLine1 && s.facilityLine1) await this.order(em, tenant, s, s.updatedAt);
    else await this.repo.saveShipment(em, s);
  }
}

/** The name on the label: the customer's given and family name, or the company. */
function labelName(c: Customer | null): string | null {
  if (!c) return null;
  const person = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return (person || c.companyName || null)?.slice(0, 200) ?? null;
}

/** The customer's address columns of a shipment: all set from a complete profile address, else all null. */
function customerColumns(a: ProgramAccount | null, c: Customer | null) {
  if (!a?.addressLine1 || !a.addressPostcode || !a.addressCity || !a.addressCountry) {
    return { customerName: null, customerLine1: null, customerLine2: null, customerPostcode: null, customerCity: null, customerCountry: null };
  }
  return {
    customerName: labelName(c),
    customerLine1: a.addressLine1,
    customerLine2: a.addressLine2 ?? null,
    customerPostcode: a.addressPostcode,
    customerCity: a.addressCity,
    customerCountry: a.addressCountry,
  };
}

function facilityColumns(s: ShippingSettings) {
  return {
    facilityName: s.facilityName,
    facilityLine1: s.facilityLine1,
    facilityLine2: s.facilityLine2,
    facilityPostcode: s.facilityPostcode,
    facilityCity: s.facilityCity,
    facilityCountry: s.facilityCountry,
  };
}
