import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { EntityManager } from 'typeorm';
import { readQuery } from '../../common/collection';
import { badRequest, conflict, notFound } from '../../common/errors';
import { ItemResult } from '../../common/responses';
import { recordEvent } from '../../database/outbox';
import { TxService } from '../../database/tx.service';
import type { Caller } from '../program.guard';
import { parsePrefixed, PROGRAM_STATUS, submissionId } from '../program.mapping';
import { LogisticsService } from '../submissions/logistics.service';
import { ShipInput } from '../submissions/submissions.dto';
import { SubmissionsService } from '../submissions/submissions.service';
import { ShippingMethod } from '../submissions/trade-in-program.entity';
import { KitOrdersService, TenantRef } from './kit-orders.service';
import { LabelRenderer } from './label.renderer';
import { customerAddressOf, facilityAddressOf, missingOf, renderSettings, shipmentId, ShippingSettingsInput, TrackingInput } from './shipping.dto';
import { ShippingRepository } from './shipping.repository';
import { ProgramShipment, SHIPMENT_DIRECTIONS, ShipmentDirection, ShipmentStatus, ShippingProviderName, ShippingSettings, TrackingStatus } from './shipment.entity';

/** How far a shipment has come; an update never moves it back (carriers report out of order). */
const RANK: Record<ShipmentStatus, number> = { awaiting_address: 0, ordered: 1, kit_sent: 2, shipped: 3, delivered: 4, cancelled: -1 };
const STAMP: Record<TrackingStatus, 'kitSentAt' | 'shippedAt' | 'deliveredAt'> = { kit_sent: 'kitSentAt', shipped: 'shippedAt', delivered: 'deliveredAt' };

/**
 * Shipping kits and labels of the programme (issue 17): the tenant's configuration, the kit order
 * at acceptance and the return of an item (KitOrdersService), carrier/fulfilment updates, the
 * manual `ship`, and the printable label.
 */
@Injectable()
export class ShippingService {
  constructor(
    private readonly tx: TxService,
    private readonly repo: ShippingRepository,
    private readonly kits: KitOrdersService,
    private readonly submissions: SubmissionsService,
    private readonly logistics: LogisticsService,
    private readonly labels: LabelRenderer,
  ) {}

  async getSettings(caller: Caller): Promise<ItemResult> {
    const { settings, configured } = await this.kits.settings(this.repo.manager, caller.tenant.id);
    return new ItemResult(renderSettings(settings, configured));
  }

  /** Replaces the configuration; kit orders that waited for the facility's address are ordered now (with the provider configured now). */
  async putSettings(caller: Caller, input: ShippingSettingsInput): Promise<ItemResult> {
    return this.tx.run(async (em) => {
      const f = input.facility;
      const settings = Object.assign(new ShippingSettings(), {
        tenantId: caller.tenant.id,
        provider: input.provider as ShippingProviderName,
        defaultMethod: input.default_method as ShippingMethod,
        defaultCarrier: input.default_carrier || null,
        facilityName: f.name,
        facilityLine1: f.line1,
        facilityLine2: f.line2 || null,
        facilityPostcode: f.postcode,
        facilityCity: f.city,
        facilityCountry: f.country,
        updatedAt: new Date(),
        updatedById: caller.staff?.userId ?? null,
      } satisfies ShippingSettings);
      await this.repo.saveSettings(em, settings);
      await this.kits.facilityChanged(em, caller.tenant, settings);
      return new ItemResult(renderSettings(settings, true));
    });
  }

  /** The kit order of a submission the customer has just accepted, in the acceptance's transaction (OffersService). */
  orderKit(em: EntityManager, caller: Caller, tradeInId: number, accountId: number): Promise<ProgramShipment | null> {
    return this.kits.orderKit(em, caller.tenant, tradeInId, accountId);
  }

  /**
   * The return of an item to its customer (a direction=return shipment, label from the facility to
   * the customer's profile address), for another feature's transaction: e.g. a declined revised
   * offer. Call it after the submission's rows are locked. Once per submission; 404 when the
   * trade-in is not a programme submission of the tenant.
   */
  async createReturnShipment(em: EntityManager, caller: { tenant: TenantRef }, tradeInId: number): Promise<ProgramShipment> {
    const accountId = await this.repo.accountOf(em, caller.tenant.id, tradeInId);
    if (accountId === null) throw notFound(`Submission ${submissionId(tradeInId)} was not found.`);
    return this.kits.createReturnShipment(em, caller.tenant, tradeInId, accountId);
  }

  /**
   * `POST submissions/{id}/ship`: the customer or staff say it is on its way (or dropped off), with
   * the carrier and tracking number they type — as before issue 17, unless the tenant's provider
   * refuses it (ShippingProvider.manualShipRefusal). The kit order follows: shipped, or cancelled
   * when the item is dropped off or the order still waited for an address.
   */
  async ship(caller: Caller, rawId: string, input: ShipInput): Promise<ItemResult> {
    const method = input.method as ShippingMethod;
    return this.tx.run(async (em) => {
      const loaded = await this.submissions.load(em, caller, rawId, true);
      const kit = await this.repo.byTradeIn(em, caller.tenant.id, loaded.t.id, 'outbound', true);
      const provider = kit?.provider ?? (await this.kits.settings(em, caller.tenant.id)).settings.provider;
      const refusal = this.kits.provider(provider).manualShipRefusal(caller.staff ? 'staff' : 'customer', method);
      if (refusal) throw conflict(refusal);
      const carrier = input.carrier ?? (method === 'drop_off' ? null : (kit?.carrier ?? null));
      if (kit && loaded.t.status === 'purchase_agreement' && RANK[kit.status] >= 0 && RANK[kit.status] < RANK.shipped) {
        const now = new Date();
        const status: ShipmentStatus = method === 'drop_off' || kit.status === 'awaiting_address' ? 'cancelled' : 'shipped';
        Object.assign(kit, { status, carrier, trackingNumber: input.tracking_number ?? kit.trackingNumber, updatedAt: now }, status === 'shipped' ? { shippedAt: now } : {});
        await this.repo.saveShipment(em, kit);
        await this.repo.insertEvent(em, {
          tenantId: caller.tenant.id,
          shipmentId: kit.id,
          eventId: null,
          status,
          carrier,
          trackingNumber: input.tracking_number ?? null,
          description: method === 'drop_off' ? 'Dropped off at a dealership' : 'Shipped (recorded by hand)',
          occurredAt: now,
          recordedAt: now,
          recordedById: caller.staff?.userId ?? null,
        });
      }
      return this.logistics.markShipped(em, caller, loaded, { method, carrier, trackingNumber: input.tracking_number ?? null });
    });
  }

  /**
   * A carrier/fulfilment update of a shipment (staff key: the fulfilment system's). Idempotent by
   * the carrier's event id: an id already recorded changes nothing. A status the shipment is past is
   * recorded but does not move it back. `shipped` (or `delivered`) of a kit order ships the
   * submission through the logistics path (status history, `submission.shipped`).
   */
  async track(caller: Caller, rawId: string, input: TrackingInput): Promise<ItemResult> {
    const shownAs = rawId.slice(0, 20);
    const id = parsePrefixed(rawId, 'shp');
    if (!id) throw this.repo.missing(shownAs);
    const found = await this.repo.findInTenantOrFail(this.repo.manager, caller.tenant.id, id, { shownAs });
    return this.tx.run(async (em) => {
      // The lock order of every write: the trade-in, its programme row, then the shipment.
      const loaded = await this.submissions.load(em, caller, String(found.tradeInId), true);
      const s = await this.repo.lock(em, found.id);
      if (await this.repo.eventExists(em, s.id, input.event_id)) return new ItemResult(await this.kits.view(em, caller.tenant.slug, s));
      if (s.status === 'awaiting_address') throw conflict(`Shipment ${shipmentId(s.id)} has not been ordered yet: it waits for ${missingOf(s).join(' and ')}.`);
      if (s.status === 'cancelled') throw conflict(`Shipment ${shipmentId(s.id)} was cancelled.`);
      const status = input.status as TrackingStatus;
      const now = new Date();
      const occurredAt = input.occurred_at ? new Date(input.occurred_at) : now;
      await this.repo.insertEvent(em, {
        tenantId: caller.tenant.id,
        shipmentId: s.id,
        eventId: input.event_id,
        status,
        carrier: input.carrier ?? null,
        trackingNumber: input.tracking_number ?? null,
        description: input.description ?? null,
        occurredAt,
        recordedAt: now,
        recordedById: caller.staff?.userId ?? null,
      });
      if (input.carrier) s.carrier = input.carrier;
      if (input.tracking_number) s.trackingNumber = input.tracking_number;
      if (RANK[status] > RANK[s.status]) {
        s.status = status;
        s[STAMP[status]] = occurredAt;
        if (status === 'delivered' && !s.shippedAt) s.shippedAt = occurredAt;
      }
      s.updatedAt = now;
      await this.repo.saveShipment(em, s);
      if (s.direction === 'outbound' && RANK[s.status] >= RANK.shipped && loaded.t.status === 'purchase_agreement') {
        await this.logistics.markShipped(em, caller, loaded, { method: s.method, carrier: s.carrier, trackingNumber: s.trackingNumber });
      }
      const view = await this.kits.view(em, caller.tenant.slug, s);
      await recordEvent(
        em,
        caller.tenant.id,
        'submission.tracking_updated',
        `/api/${caller.tenant.slug}/submissions/${submissionId(s.tradeInId)}`,
        {
          submission_id: submissionId(s.tradeInId),
          update: view.tracking[view.tracking.length - 1],
          shipment: view,
        },
        s.tradeInId,
      );
      return new ItemResult(view);
    });
  }

  /**
   * The printable label of a submission's shipment (the kit order's, or `?direction=return`), for
   * its customer (others: 404, as for the submission) and the tenant's staff.
   */
  async label(caller: Caller, rawId: string, req: Request): Promise<{ pdf: Buffer; filename: string }> {
    const direction = this.direction(readQuery(req).direction);
    const em = this.repo.manager;
    const { t } = await this.submissions.load(em, caller, rawId);
    const s = await this.repo.byTradeIn(em, caller.tenant.id, t.id, direction);
    const what = direction === 'return' ? 'return shipment' : 'kit order';
    if (!s) throw notFound(`Submission ${submissionId(t.id)} has no ${what}${direction === 'outbound' ? ` (it is ${PROGRAM_STATUS[t.status]}; kits are ordered when an offer is accepted)` : ''}.`);
    if (s.status === 'awaiting_address') {
      const missing = missingOf(s);
      throw conflict(
        `The label of submission ${submissionId(t.id)} cannot be printed yet: ${missing.includes('customer_address') ? `add your address (PUT /api/${caller.tenant.slug}/profile, shipping_address)` : ''}${missing.length > 1 ? ' and ' : ''}${missing.includes('facility_address') ? 'the facility address is not configured yet' : ''}.`,
      );
    }
    if (s.status === 'cancelled') throw conflict(`The ${what} of submission ${submissionId(t.id)} was cancelled: it has no label.`);
    const outbound = direction === 'outbound';
    const pdf = await this.labels.render({
      key: `${s.id}:${s.updatedAt.getTime()}`,
      title: outbound ? 'Trade-in shipping label' : 'Return to customer',
      from: outbound ? customerAddressOf(s) : facilityAddressOf(s),
      to: outbound ? facilityAddressOf(s) : customerAddressOf(s),
      code: submissionId(t.id),
      reference: `${caller.tenant.name} · ${shipmentId(s.id)}`,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      date: s.orderedAt ?? s.createdAt,
    });
    return { pdf, filename: `label-${submissionId(t.id)}${outbound ? '' : '-return'}.pdf` };
  }

  private direction(value: unknown): ShipmentDirection {
    if (value === undefined) return 'outbound';
    if (typeof value !== 'string' || !(SHIPMENT_DIRECTIONS as readonly string[]).includes(value)) throw badRequest(`The "direction" parameter must be one of ${SHIPMENT_DIRECTIONS.join(', ')}.`);
    return value as ShipmentDirection;
  }
}
