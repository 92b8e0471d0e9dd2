import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../database/columns';
import type { ShippingMethod } from '../submissions/trade-in-program.entity';

/** How a tenant's kits are fulfilled: staff send them and type in the tracking (`manual`), or the tenant's fulfilment system does (`integration`). */
export const SHIPPING_PROVIDERS = ['manual', 'integration'] as const;
export type ShippingProviderName = (typeof SHIPPING_PROVIDERS)[number];

/** `outbound`: the kit order (a kit goes to the customer; its label brings the item to the facility). `return`: the item goes back to the customer. */
export const SHIPMENT_DIRECTIONS = ['outbound', 'return'] as const;
export type ShipmentDirection = (typeof SHIPMENT_DIRECTIONS)[number];

/**
 * A shipment's progress. `awaiting_address`: an address is missing (the customer's, or the
 * facility's while the tenant has none configured); it is ordered as soon as both exist.
 * `ordered` → `kit_sent` (the kit is on its way to the customer) → `shipped` (the item is on its
 * way; for the kit order this ships the submission) → `delivered`. `cancelled`: not needed any more
 * (the item was dropped off, or shipped while the order still waited for an address).
 */
export const SHIPMENT_STATUSES = ['awaiting_address', 'ordered', 'kit_sent', 'shipped', 'delivered', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** The statuses a carrier/fulfilment update may report, in the order a shipment goes through them. */
export const TRACKING_STATUSES = ['kit_sent', 'shipped', 'delivered'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** A postal address in parts (what a label prints). */
export interface PostalAddress {
  name: string | null;
  line1: string | null;
  line2: string | null;
  postcode: string | null;
  city: string | null;
  country: string | null;
}

/** A tenant's shipping configuration (one row per tenant; none = the defaults, see ShippingService). */
@Entity('program_shipping_settings')
export class ShippingSettings {
  @PrimaryColumn() tenantId: number;
  @Column({ type: 'varchar', length: 16 }) provider: ShippingProviderName;
  @Column({ type: 'varchar', length: 16 }) defaultMethod: ShippingMethod;
  @Column({ type: 'varchar', length: 60, nullable: true }) defaultCarrier: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) facilityName: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) facilityLine1: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) facilityLine2: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) facilityPostcode: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) facilityCity: string | null;
  @Column({ type: 'varchar', length: 2, nullable: true }) facilityCountry: string | null;
  @Column(timestamp()) updatedAt: Date;
  @Column({ type: 'int', nullable: true }) updatedById: number | null;
}

/** A shipment of a submission, with both addresses as they were when it was ordered. */
@Entity('program_shipments')
export class ProgramShipment {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() tradeInId: number;
  @Column() accountId: number;
  @Column({ type: 'varchar', length: 16 }) direction: ShipmentDirection;
  @Column({ type: 'varchar', length: 20 }) status: ShipmentStatus;
  @Column({ type: 'varchar', length: 16 }) provider: ShippingProviderName;
  @Column({ type: 'varchar', length: 16 }) method: ShippingMethod;
  @Column({ type: 'varchar', length: 60, nullable: true }) carrier: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) trackingNumber: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) customerName: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) customerLine1: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) customerLine2: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) customerPostcode: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) customerCity: string | null;
  @Column({ type: 'varchar', length: 2, nullable: true }) customerCountry: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) facilityName: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) facilityLine1: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) facilityLine2: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) facilityPostcode: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) facilityCity: string | null;
  @Column({ type: 'varchar', length: 2, nullable: true }) facilityCountry: string | null;
  @Column(timestamp({ nullable: true })) orderedAt: Date | null;
  @Column(timestamp({ nullable: true })) kitSentAt: Date | null;
  @Column(timestamp({ nullable: true })) shippedAt: Date | null;
  @Column(timestamp({ nullable: true })) deliveredAt: Date | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
}

/** One carrier/fulfilment update of a shipment (or a manual `ship`, without event id). */
@Entity('program_shipment_events')
export class ProgramShipmentEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() shipmentId: number;
  /** The carrier's (or fulfilment system's) id of the update: a second update with the same id changes nothing. */
  @Column({ type: 'varchar', length: 100, nullable: true }) eventId: string | null;
  @Column({ type: 'varchar', length: 20 }) status: ShipmentStatus;
  @Column({ type: 'varchar', length: 60, nullable: true }) carrier: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) trackingNumber: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;
  @Column(timestamp()) occurredAt: Date;
  @Column(timestamp()) recordedAt: Date;
  @Column({ type: 'int', nullable: true }) recordedById: number | null;
}

export const SHIPPING_ENTITIES = [ShippingSettings, ProgramShipment, ProgramShipmentEvent];
