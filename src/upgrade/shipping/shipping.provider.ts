import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { recordEvent } from '../../database/outbox';
import { submissionId } from '../program.mapping';
import type { ShippingMethod } from '../submissions/trade-in-program.entity';
import type { ShipmentView } from './shipping.dto';
import type { ProgramShipment, ShippingProviderName } from './shipment.entity';

/** The providers of kit fulfilment, by name (the tenant's configuration picks one). */
export const SHIPPING_PROVIDERS = Symbol('SHIPPING_PROVIDERS');

/** A shipment that has just been ordered (both addresses known), inside the ordering transaction. */
export interface PlacedOrder {
  tenant: { id: number; slug: string };
  shipment: ProgramShipment;
  /** Its representation (addresses, label URL, tracking URL). */
  view: ShipmentView;
}

/**
 * How a tenant's shipments are fulfilled. `ordered` runs in the transaction that places the order:
 * a provider hands the order over through the transactional outbox (an event exists exactly when the
 * order committed, and is delivered by the webhooks' job runner), never by calling out from inside
 * the transaction.
 */
export interface ShippingProvider {
  readonly name: ShippingProviderName;
  ordered(em: EntityManager, order: PlacedOrder): Promise<void>;
  /** Why this caller may not record a shipment with this method by hand (`POST submissions/{id}/ship`); null: they may. */
  manualShipRefusal(by: 'customer' | 'staff', method: ShippingMethod): string | null;
}

/** The event of an order: the kit order or the return of an item, with both addresses and the label's URL. */
async function recordOrder(em: EntityManager, order: PlacedOrder, fulfilment: ShippingProviderName): Promise<void> {
  const { tenant, shipment, view } = order;
  const type = shipment.direction === 'return' ? 'submission.return_ordered' : 'submission.kit_ordered';
  await recordEvent(
    em,
    tenant.id,
    type,
    `/api/${tenant.slug}/submissions/${submissionId(shipment.tradeInId)}`,
    { submission_id: submissionId(shipment.tradeInId), fulfilment, shipment: view },
    shipment.tradeInId,
  );
}

/**
 * Staff send the kits: the order is recorded (and sent to the tenant's webhooks like every event,
 * so a dashboard or a mail-room tool may listen), and staff record carrier and tracking with
 * `POST submissions/{id}/ship` — the behaviour from before issue 17 — or through the tracking route.
 */
@Injectable()
export class ManualShipping implements ShippingProvider {
  readonly name = 'manual' as const;

  ordered(em: EntityManager, order: PlacedOrder): Promise<void> {
    return recordOrder(em, order, this.name);
  }

  manualShipRefusal(): string | null {
    return null;
  }
}

/**
 * The tenant's fulfilment system sends the kits: it receives the order as a signed
 * `submission.kit_ordered` webhook (its label URL, both addresses, the tracking URL) and reports the
 * carrier's updates to `POST admin/shipments/{id}/tracking`; a `shipped` update ships the
 * submission. The carrier is the source of truth, so customers cannot declare a kit or label
 * shipment shipped themselves (a drop-off at a dealership still can be); staff can, as an override.
 */
@Injectable()
export class IntegrationShipping implements ShippingProvider {
  readonly name = 'integration' as const;

  ordered(em: EntityManager, order: PlacedOrder): Promise<void> {
    return recordOrder(em, order, this.name);
  }

  manualShipRefusal(by: 'customer' | 'staff', method: ShippingMethod): string | null {
    if (by === 'staff' || method === 'drop_off') return null;
    return 'Shipments of this programme are tracked by its fulfilment partner: the submission becomes shipped when the carrier reports it. Only a drop-off (method drop_off) can be declared here.';
  }
}
