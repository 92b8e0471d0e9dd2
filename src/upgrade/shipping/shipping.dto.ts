import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, Validate, ValidateNested } from 'class-validator';
import { isoTimestamp } from '../../common/serialize';
import { submissionId } from '../program.mapping';
import { Timestamp, trim } from '../program.validators';
import { SHIPPING_METHODS } from '../submissions/trade-in-program.entity';
import { PostalAddress, ProgramShipment, ProgramShipmentEvent, SHIPMENT_DIRECTIONS, SHIPMENT_STATUSES, SHIPPING_PROVIDERS, ShippingSettings, TRACKING_STATUSES } from './shipment.entity';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** A postal address as a customer gives it (the name on the label is the profile's name). */
export class AddressInput {
  @ApiProperty({ description: 'Street and house number.', example: 'Narva mnt 5', maxLength: 120 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  line1: string;

  @ApiPropertyOptional({ description: 'Second line (apartment, c/o, …).', example: 'Apt 12', maxLength: 120, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  line2?: string | null;

  @ApiProperty({ description: 'Postal code.', example: '10117', maxLength: 16 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  postcode: string;

  @ApiProperty({ description: 'City.', example: 'Tallinn', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;

  @ApiProperty({ description: 'Country: ISO 3166-1 alpha-2 code (upper-cased).', example: 'EE', pattern: '^[A-Z]{2}$' })
  @Transform(upper)
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO 3166-1 code, e.g. EE' })
  country: string;
}

/** The facility's address: where items are sent, with the name printed on the label. */
export class FacilityInput extends AddressInput {
  @ApiProperty({ description: 'Name on the label (company, department).', example: 'Proign Trade-in Centre', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

export class ShippingSettingsInput {
  @ApiProperty({ description: 'Where items are sent (the receiving facility).', type: FacilityInput })
  @IsObject({ message: 'facility must be an object' })
  @ValidateNested()
  @Type(() => FacilityInput)
  facility: FacilityInput;

  @ApiProperty({
    description:
      'What acceptance orders: shipping_kit (a kit with the printed label is sent to the customer), return_label (the customer prints the label) or drop_off (no shipment: the customer brings the item to a dealership).',
    enum: SHIPPING_METHODS,
    example: 'shipping_kit',
  })
  @IsIn(SHIPPING_METHODS, { message: `default_method must be one of ${SHIPPING_METHODS.join(', ')}` })
  default_method: string;

  @ApiPropertyOptional({ description: 'Carrier named on new shipments until an update names another.', example: 'DHL', maxLength: 60, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(60)
  default_carrier?: string | null;

  @ApiProperty({
    description:
      'manual: staff send kits and record carrier and tracking (POST submissions/{id}/ship). integration: kit orders go to the fulfilment system as `submission.kit_ordered` webhooks; it reports back through POST admin/shipments/{id}/tracking, and customers cannot declare a kit shipment shipped themselves.',
    enum: SHIPPING_PROVIDERS,
    example: 'integration',
  })
  @IsIn(SHIPPING_PROVIDERS, { message: `provider must be one of ${SHIPPING_PROVIDERS.join(', ')}` })
  provider: string;
}

export class AddressView {
  @ApiPropertyOptional({ description: 'Name on the label.', example: 'Mari Tamm', nullable: true, type: String }) name: string | null;
  @ApiPropertyOptional({ description: 'Street and house number.', example: 'Narva mnt 5', nullable: true, type: String }) line1: string | null;
  @ApiPropertyOptional({ description: 'Second line.', example: null, nullable: true, type: String }) line2: string | null;
  @ApiPropertyOptional({ description: 'Postal code.', example: '10117', nullable: true, type: String }) postcode: string | null;
  @ApiPropertyOptional({ description: 'City.', example: 'Tallinn', nullable: true, type: String }) city: string | null;
  @ApiPropertyOptional({ description: 'Country (ISO 3166-1 alpha-2).', example: 'EE', nullable: true, type: String }) country: string | null;
}

/** The customer's address in a profile (no name: the label prints the profile's name). */
export class ProfileAddressView {
  @ApiProperty({ description: 'Street and house number.', example: 'Narva mnt 5' }) line1: string;
  @ApiPropertyOptional({ description: 'Second line.', example: null, nullable: true, type: String }) line2: string | null;
  @ApiProperty({ description: 'Postal code.', example: '10117' }) postcode: string;
  @ApiProperty({ description: 'City.', example: 'Tallinn' }) city: string;
  @ApiProperty({ description: 'Country (ISO 3166-1 alpha-2).', example: 'EE' }) country: string;
}

export class ShippingSettingsView {
  @ApiProperty({ description: 'false: nothing was configured yet and these are the defaults (no facility: kit orders wait for it).', example: true }) configured: boolean;
  @ApiPropertyOptional({ description: 'Where items are sent; null until configured.', type: AddressView, nullable: true }) facility: AddressView | null;
  @ApiProperty({ description: 'What acceptance orders (default shipping_kit).', enum: SHIPPING_METHODS, example: 'shipping_kit' }) default_method: string;
  @ApiPropertyOptional({ description: 'Carrier named on new shipments (default none).', example: 'DHL', nullable: true, type: String }) default_carrier: string | null;
  @ApiProperty({ description: 'Who fulfils kit orders (default manual).', enum: SHIPPING_PROVIDERS, example: 'integration' }) provider: string;
  @ApiPropertyOptional({ description: 'Last change; null while unconfigured.', example: '2024-01-20T10:00:00.000+00:00', nullable: true, type: String }) updated_at: string | null;
}

export class TrackingEventView {
  @ApiPropertyOptional({ description: "The carrier's event id (null for a manual ship).", example: 'dhl-7781-002', nullable: true, type: String }) event_id: string | null;
  @ApiProperty({ description: 'What it reported.', enum: SHIPMENT_STATUSES, example: 'shipped' }) status: string;
  @ApiPropertyOptional({ description: 'Carrier.', example: 'DHL', nullable: true, type: String }) carrier: string | null;
  @ApiPropertyOptional({ description: 'Tracking number.', example: 'JD014600003828', nullable: true, type: String }) tracking_number: string | null;
  @ApiPropertyOptional({ description: 'Carrier text.', example: 'Picked up at the service point', nullable: true, type: String }) description: string | null;
  @ApiProperty({ description: 'When it happened (as reported).', example: '2024-01-22T09:30:00.000+00:00' }) occurred_at: string;
  @ApiProperty({ description: 'When it was recorded here.', example: '2024-01-22T09:30:02.120+00:00' }) recorded_at: string;
}

export class ShipmentView {
  @ApiProperty({ description: 'Shipment id (`shp_` + number).', example: 'shp_7' }) id: string;
  @ApiProperty({ description: 'Submission id.', example: 'sub_123' }) submission_id: string;
  @ApiProperty({
    description: 'outbound: the kit order (the kit goes to the customer, its label brings the item to the facility); return: the item goes back to the customer.',
    enum: SHIPMENT_DIRECTIONS,
    example: 'outbound',
  })
  direction: string;
  @ApiProperty({
    description:
      'awaiting_address (see `missing`) → ordered → kit_sent → shipped (the item is on its way) → delivered; cancelled when not needed any more (dropped off, or shipped while still waiting for an address).',
    enum: SHIPMENT_STATUSES,
    example: 'ordered',
  })
  status: string;
  @ApiProperty({ description: 'What the shipment still needs before it can be ordered: customer_address (PUT profile), facility_address (PUT admin/shipping).', example: [], type: [String] })
  missing: string[];
  @ApiProperty({ description: 'Who fulfils it (the provider when it was ordered).', enum: SHIPPING_PROVIDERS, example: 'integration' }) provider: string;
  @ApiProperty({ description: 'shipping_kit or return_label.', enum: SHIPPING_METHODS, example: 'shipping_kit' }) method: string;
  @ApiPropertyOptional({ description: 'Carrier.', example: 'DHL', nullable: true, type: String }) carrier: string | null;
  @ApiPropertyOptional({ description: 'Tracking number of the item.', example: 'JD014600003828', nullable: true, type: String }) tracking_number: string | null;
  @ApiPropertyOptional({ description: "The customer's address (a snapshot taken when ordered).", type: AddressView, nullable: true }) customer_address: AddressView | null;
  @ApiPropertyOptional({ description: "The facility's address (a snapshot taken when ordered).", type: AddressView, nullable: true }) facility_address: AddressView | null;
  @ApiPropertyOptional({
    description: 'The printable label (PDF; customer Bearer or staff X-API-Key); null until ordered. Outbound: from the customer to the facility; return: from the facility to the customer.',
    example: 'https://trade.example/api/default/submissions/sub_123/label',
    nullable: true,
    type: String,
  })
  label_url: string | null;
  @ApiProperty({ description: 'Where the fulfilment system reports carrier updates (POST, staff key: admin or manager).', example: 'https://trade.example/api/default/admin/shipments/shp_7/tracking' })
  tracking_url: string;
  @ApiPropertyOptional({ description: 'When it was ordered.', example: '2024-01-21T10:00:00.000+00:00', nullable: true, type: String }) ordered_at: string | null;
  @ApiPropertyOptional({ description: 'When the kit left.', example: null, nullable: true, type: String }) kit_sent_at: string | null;
  @ApiPropertyOptional({ description: 'When the item left.', example: null, nullable: true, type: String }) shipped_at: string | null;
  @ApiPropertyOptional({ description: 'When it was delivered.', example: null, nullable: true, type: String }) delivered_at: string | null;
  @ApiProperty({ description: 'Carrier/fulfilment updates, oldest first.', type: [TrackingEventView] }) tracking: TrackingEventView[];
  @ApiProperty({ description: 'Creation time.', example: '2024-01-21T10:00:00.000+00:00' }) created_at: string;
  @ApiProperty({ description: 'Last change.', example: '2024-01-21T10:00:00.000+00:00' }) updated_at: string;
}

export class TrackingInput {
  @ApiProperty({ description: "The carrier's (or fulfilment system's) id of this update. Sending an id again changes nothing (200, the shipment as it is).", example: 'dhl-7781-002', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Matches(/^[\x21-\x7e]{1,100}$/, { message: 'event_id must be 1–100 printable ASCII characters without spaces' })
  event_id: string;

  @ApiProperty({
    description: 'kit_sent (the kit left for the customer), shipped (the item is on its way to the facility: an outbound shipment ships the submission), delivered.',
    enum: TRACKING_STATUSES,
    example: 'shipped',
  })
  @IsIn(TRACKING_STATUSES, { message: `status must be one of ${TRACKING_STATUSES.join(', ')}` })
  status: string;

  @ApiPropertyOptional({ description: 'Carrier (replaces the one recorded).', example: 'DHL', maxLength: 60 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  carrier?: string;

  @ApiPropertyOptional({ description: 'Tracking number of the item (replaces the one recorded).', example: 'JD014600003828', maxLength: 64 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tracking_number?: string;

  @ApiPropertyOptional({ description: 'When it happened (ISO 8601 with a time zone; default: now).', example: '2024-01-22T09:30:00Z' })
  @IsOptional()
  @Validate(Timestamp)
  occurred_at?: string;

  @ApiPropertyOptional({ description: 'Carrier text.', example: 'Picked up at the service point', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export const shipmentId = (id: number) => `shp_${id}`;

export function renderAddress(a: PostalAddress | null): AddressView | null {
  if (!a || !a.line1) return null;
  return { name: a.name, line1: a.line1, line2: a.line2, postcode: a.postcode, city: a.city, country: a.country };
}

export const customerAddressOf = (s: ProgramShipment): PostalAddress => ({
  name: s.customerName,
  line1: s.customerLine1,
  line2: s.customerLine2,
  postcode: s.customerPostcode,
  city: s.customerCity,
  country: s.customerCountry,
});

export const facilityAddressOf = (s: ProgramShipment | ShippingSettings): PostalAddress => ({
  name: s.facilityName,
  line1: s.facilityLine1,
  line2: s.facilityLine2,
  postcode: s.facilityPostcode,
  city: s.facilityCity,
  country: s.facilityCountry,
});

/** The label's URL: the kit order's at `…/label`, the return's at `…/label?direction=return`. */
export const labelPath = (slug: string, tradeInId: number, direction: string) => `/api/${slug}/submissions/${submissionId(tradeInId)}/label${direction === 'return' ? '?direction=return' : ''}`;

/** What a shipment waiting for addresses still needs. */
export function missingOf(s: ProgramShipment): string[] {
  if (s.status !== 'awaiting_address') return [];
  return [...(s.customerLine1 ? [] : ['customer_address']), ...(s.facilityLine1 ? [] : ['facility_address'])];
}

export function renderShipment(s: ProgramShipment, events: ProgramShipmentEvent[], slug: string, baseUrl: string): ShipmentView {
  const orderedOrLater = s.status !== 'awaiting_address' && s.status !== 'cancelled';
  return {
    id: shipmentId(s.id),
    submission_id: submissionId(s.tradeInId),
    direction: s.direction,
    status: s.status,
    missing: missingOf(s),
    provider: s.provider,
    method: s.method,
    carrier: s.carrier,
    tracking_number: s.trackingNumber,
    customer_address: renderAddress(customerAddressOf(s)),
    facility_address: renderAddress(facilityAddressOf(s)),
    label_url: orderedOrLater ? `${baseUrl}${labelPath(slug, s.tradeInId, s.direction)}` : null,
    tracking_url: `${baseUrl}/api/${slug}/admin/shipments/${shipmentId(s.id)}/tracking`,
    ordered_at: isoTimestamp(s.orderedAt),
    kit_sent_at: isoTimestamp(s.kitSentAt),
    shipped_at: isoTimestamp(s.shippedAt),
    delivered_at: isoTimestamp(s.deliveredAt),
    tracking: events.map((e) => ({
      event_id: e.eventId,
      status: e.status,
      carrier: e.carrier,
      tracking_number: e.trackingNumber,
      description: e.description,
      occurred_at: isoTimestamp(e.occurredAt)!,
      recorded_at: isoTimestamp(e.recordedAt)!,
    })),
    created_at: isoTimestamp(s.createdAt)!,
    updated_at: isoTimestamp(s.updatedAt)!,
  };
}

export function renderSettings(s: ShippingSettings, configured: boolean): ShippingSettingsView {
  return {
    configured,
    facility: renderAddress(facilityAddressOf(s)),
    default_method: s.defaultMethod,
    default_carrier: s.defaultCarrier,
    provider: s.provider,
    updated_at: configured ? isoTimestamp(s.updatedAt) : null,
  };
}
