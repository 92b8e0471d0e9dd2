import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, Validate } from 'class-validator';
import { iriOf } from '../../common/iri';
import { isoTimestamp } from '../../common/serialize';
import type { TradeIn } from '../../trade-ins/trade-in.entity';
import { PROGRAM_STATUS, submissionId } from '../program.mapping';
import { CalendarDate, IsDecimal, MAX_MONEY } from '../../trade-ins/trade-in.dto';
import { OfferSummaryView, renderOfferSummary } from '../offers/offers.dto';
import { PhotoView, renderPhoto } from '../photos/photos.dto';
import { GRADES } from '../quotes/valuation.entity';
import { ShipmentView } from '../shipping/shipping.dto';
import { CREDIT_TYPES, SHIPPING_METHODS, TradeInProgram } from './trade-in-program.entity';

export class SubmissionInput {
  @ApiPropertyOptional({
    description:
      'Product id: the `product_id` of a valuation (admin/valuations). A catalogued product describes the item: its make and model (if it has them) fill the vehicle when not given, and make, model, first_registration_date and mileage are not required to submit. An unknown product id is kept but gives no automatic quote and waives nothing.',
    example: 'prod_123',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  product_id?: string | null;

  @ApiPropertyOptional({
    description: 'Serial number of the vehicle. Stored as is (up to 64 characters); when it is a valid VIN (17 characters, no I/O/Q) it also becomes vehicleModel.vinCode.',
    example: 'SN-12345678',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  serial_number?: string | null;

  @ApiPropertyOptional({ description: 'Condition grade declared by the customer (required to submit).', enum: GRADES, example: 'good' })
  @IsOptional()
  @IsIn(GRADES, { message: `condition must be one of ${GRADES.join(', ')}` })
  condition?: string | null;

  @ApiPropertyOptional({ description: 'Free description; becomes the trade-in note.', example: 'Minor scratches on grip', maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({
    description:
      "The submission's photo list: ids of photos uploaded with POST /photos (your own, not attached elsewhere), and `picture_{id}` entries already in the list (pictures added on the dealer side) to keep. Sending the list replaces it; photos become the trade-in's pictures, and pictures left out are removed. Submitting checks it against GET photo-requirements.",
    example: ['photo_abc', 'photo_def'],
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  photos?: string[] | null;

  @ApiPropertyOptional({ description: 'Vehicle make (required to submit unless product_id is catalogued).', example: 'Volkswagen', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  make?: string | null;

  @ApiPropertyOptional({ description: 'Vehicle model (required to submit unless product_id is catalogued).', example: 'Golf', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string | null;

  @ApiPropertyOptional({ description: 'First registration date, YYYY-MM-DD (required to submit unless product_id is catalogued).', example: '2019-05-01' })
  @IsOptional()
  @Validate(CalendarDate, [{ past: true }])
  first_registration_date?: string | null;

  @ApiPropertyOptional({ description: 'Odometer in km (required to submit unless product_id is catalogued).', example: 84000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5_000_000)
  mileage?: number | null;

  @ApiPropertyOptional({ description: 'Registration plate (an alternative to serial_number for identifying the vehicle).', example: '123ABC', maxLength: 20 })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  reg_nr?: string | null;

  @ApiPropertyOptional({ description: 'The price the customer hopes for.', example: 9500 })
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  asking_price?: number | null;

  @ApiPropertyOptional({ description: 'Id of the dealership (location) to hand the vehicle to; required to submit when the dealer has several locations.', example: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2147483647)
  location_id?: number | null;
}

export class SubmissionView {
  @ApiProperty({ description: 'Submission id (`sub_` + the trade-in id).', example: 'sub_123' }) id: string;
  @ApiProperty({ description: 'The same trade-in in the dealer API.', example: '/api/v3/trade-ins/123' }) trade_in: string;
  @ApiProperty({ description: 'Programme status (draft, submitted, offered, accepted, shipped, received, inspected, completed, declined).', example: 'submitted' }) status: string;
  @ApiProperty({ description: 'The trade-in status it maps onto.', example: 'ready_for_appraisal' }) trade_in_status: string;
  @ApiPropertyOptional({ description: 'Product id.', example: 'prod_123', nullable: true }) product_id: string | null;
  @ApiProperty({
    description:
      "Whether product_id names a product of the tenant's catalogue (admin/valuations): then the catalogue describes the item, and make, model, first_registration_date and mileage are not required to submit.",
    example: true,
  })
  product_catalogued: boolean;
  @ApiPropertyOptional({ description: 'Serial number.', example: 'SN-12345678', nullable: true }) serial_number: string | null;
  @ApiPropertyOptional({ description: 'Declared condition grade.', example: 'good', nullable: true }) condition: string | null;
  @ApiPropertyOptional({ description: 'Description (the trade-in note).', example: 'Minor scratches on grip', nullable: true }) description: string | null;
  @ApiPropertyOptional({ description: 'Make.', example: 'Volkswagen', nullable: true }) make: string | null;
  @ApiPropertyOptional({ description: 'Model.', example: 'Golf', nullable: true }) model: string | null;
  @ApiPropertyOptional({ description: 'First registration date.', example: '2019-05-01', nullable: true }) first_registration_date: string | null;
  @ApiPropertyOptional({ description: 'Odometer in km.', example: 84000, nullable: true }) mileage: number | null;
  @ApiPropertyOptional({ description: 'Registration plate.', example: '123ABC', nullable: true }) reg_nr: string | null;
  @ApiPropertyOptional({ description: 'VIN (when the serial number is one).', example: null, nullable: true }) vin: string | null;
  @ApiPropertyOptional({ description: 'Asking price.', example: 9500, nullable: true }) asking_price: number | null;
  @ApiProperty({ description: 'Attached photos.', type: [PhotoView] }) photos: PhotoView[];
  @ApiPropertyOptional({
    description: 'Automatic quote: valuation base value × condition modifier. Staff always see it; customers where the tenant shows it (admin/offer-settings quote_visible), else null.',
    example: 280,
    nullable: true,
  })
  quoted_value: number | null;
  @ApiPropertyOptional({ description: 'The current (latest) offer.', type: OfferSummaryView, nullable: true }) offer: OfferSummaryView | null;
  @ApiPropertyOptional({ description: 'Shipping: shipping_kit, return_label or drop_off.', example: 'shipping_kit', nullable: true }) shipping_method: string | null;
  @ApiPropertyOptional({ description: 'Carrier.', example: 'DHL', nullable: true }) carrier: string | null;
  @ApiPropertyOptional({ description: 'Tracking number.', example: 'JD014600003828', nullable: true }) tracking_number: string | null;
  @ApiPropertyOptional({ description: 'When it was shipped.', example: '2024-01-22T10:00:00+00:00', nullable: true }) shipped_at: string | null;
  @ApiProperty({
    description:
      'Its shipments: the kit order made at acceptance (direction outbound; none when the tenant ships by drop-off) and the return of the item (direction return), each with both addresses, its label and its tracking.',
    type: [ShipmentView],
  })
  shipments: ShipmentView[];
  @ApiPropertyOptional({ description: 'When it arrived.', example: '2024-01-24T10:00:00+00:00', nullable: true }) received_at: string | null;
  @ApiPropertyOptional({ description: 'Grade found at inspection.', example: 'fair', nullable: true }) inspected_grade: string | null;
  @ApiPropertyOptional({ description: 'Final value after inspection.', example: 262.5, nullable: true }) final_value: number | null;
  @ApiPropertyOptional({ description: 'Inspection notes.', example: 'Deeper scratch on the left door', nullable: true }) inspection_notes: string | null;
  @ApiPropertyOptional({ description: 'When it was inspected.', example: '2024-01-25T10:00:00+00:00', nullable: true }) inspected_at: string | null;
  @ApiPropertyOptional({ description: 'Credit issued: store_credit or refund.', example: 'store_credit', nullable: true }) credit_type: string | null;
  @ApiPropertyOptional({ description: 'Credit amount (the final value).', example: 262.5, nullable: true }) credit_amount: number | null;
  @ApiPropertyOptional({ description: 'Credit reference (voucher or refund id).', example: 'SC-2024-0001', nullable: true }) credit_reference: string | null;
  @ApiPropertyOptional({ description: 'When the credit was issued.', example: '2024-01-26T10:00:00+00:00', nullable: true }) credit_issued_at: string | null;
  @ApiPropertyOptional({
    description: 'When the return of the item to the customer was requested (revised offer declined, or rejected by staff); null otherwise.',
    example: null,
    nullable: true,
    type: String,
  })
  return_requested_at: string | null;
  @ApiPropertyOptional({ description: 'Why the item goes back.', example: null, nullable: true, type: String }) return_reason: string | null;
  @ApiPropertyOptional({ description: 'When the customer withdrew the submission.', example: null, nullable: true, type: String }) withdrawn_at: string | null;
  @ApiProperty({ description: 'Creation time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
  @ApiProperty({ description: 'Last change.', example: '2024-01-20T11:00:00+00:00' }) updated_at: string;
}

/** The reject-reason codes staff may give when rejecting inside the programme (a subset of /api/v3/reject-reasons). */
export const PROGRAMME_REJECT_REASONS = ['vehicle_condition', 'duplicate', 'other'] as const;

export class RejectInput {
  @ApiProperty({
    description: 'Why the item is rejected (shown to the customer and kept in the trade-in rejectReasonMetaText).',
    example: 'Serial number does not match the declared item',
    maxLength: 500,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ description: 'The trade-in rejectReason code (default vehicle_condition).', enum: PROGRAMME_REJECT_REASONS, example: 'vehicle_condition' })
  @IsOptional()
  @IsIn(PROGRAMME_REJECT_REASONS, { message: `reject_reason must be one of ${PROGRAMME_REJECT_REASONS.join(', ')}` })
  reject_reason?: string;
}

export class WithdrawInput {
  @ApiPropertyOptional({ description: 'Why (optional, kept in the trade-in rejectReasonMetaText).', example: 'Sold it privately', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ShipInput {
  @ApiProperty({ description: 'shipping_kit (kit sent to the customer), return_label, or drop_off at a dealership.', enum: SHIPPING_METHODS, example: 'shipping_kit' })
  @IsIn(SHIPPING_METHODS, { message: `method must be one of ${SHIPPING_METHODS.join(', ')}` })
  method: string;

  @ApiPropertyOptional({ description: 'Carrier name.', example: 'DHL', maxLength: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  carrier?: string;

  @ApiPropertyOptional({ description: 'Tracking number.', example: 'JD014600003828', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tracking_number?: string;
}

export class InspectInput {
  @ApiProperty({ description: 'Grade found by the technician.', enum: GRADES, example: 'fair' })
  @IsIn(GRADES, { message: `grade must be one of ${GRADES.join(', ')}` })
  grade: string;

  @ApiPropertyOptional({
    description: 'Final value. When omitted: the accepted offer if the grade is unchanged, otherwise the offer re-quoted as offer × modifier(new grade) / modifier(declared grade).',
    example: 262.5,
  })
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  final_value?: number;

  @ApiPropertyOptional({ description: 'Inspection notes.', example: 'Deeper scratch on the left door', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

export class CompleteInput {
  @ApiProperty({ description: 'How the credit is issued.', enum: CREDIT_TYPES, example: 'store_credit' })
  @IsIn(CREDIT_TYPES, { message: `credit_type must be one of ${CREDIT_TYPES.join(', ')}` })
  credit_type: string;

  @ApiPropertyOptional({ description: 'Voucher or refund reference.', example: 'SC-2024-0001', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reference?: string;
}

export class ProgramFactsView {
  @ApiProperty({ description: 'The submission id in the customer programme.', example: 'sub_123' }) submissionId: string;
  @ApiProperty({ description: 'Programme status (draft, submitted, offered, accepted, shipped, received, inspected, completed, declined).', example: 'offered' }) programStatus: string;
  @ApiProperty({ description: 'Programme account id of the owner.', example: 12 }) accountId: number;
  @ApiPropertyOptional({ description: 'Product id.', example: 'prod_123', nullable: true }) productId: string | null;
  @ApiProperty({ description: "Whether the product id names a product of the tenant's catalogue (then make, model, first registration and mileage are not required).", example: true })
  productCatalogued: boolean;
  @ApiPropertyOptional({ description: 'Serial number given by the customer.', example: 'SN-12345678', nullable: true }) serialNumber: string | null;
  @ApiPropertyOptional({ description: 'Declared condition grade.', example: 'good', nullable: true }) conditionGrade: string | null;
  @ApiPropertyOptional({ description: 'Automatic quote.', example: 280, nullable: true }) quotedValue: number | null;
  @ApiPropertyOptional({ description: 'Shipping method.', example: 'shipping_kit', nullable: true }) shippingMethod: string | null;
  @ApiPropertyOptional({ description: 'Tracking number.', example: 'JD014600003828', nullable: true }) trackingNumber: string | null;
  @ApiPropertyOptional({ description: 'Shipped at.', example: '2024-01-22T10:00:00+00:00', nullable: true }) shippedAt: string | null;
  @ApiPropertyOptional({ description: 'Received at.', example: '2024-01-24T10:00:00+00:00', nullable: true }) receivedAt: string | null;
  @ApiPropertyOptional({ description: 'Grade found at inspection.', example: 'fair', nullable: true }) inspectedGrade: string | null;
  @ApiPropertyOptional({ description: 'Final value after inspection.', example: 262.5, nullable: true }) finalValue: number | null;
  @ApiPropertyOptional({ description: 'Inspected at.', example: '2024-01-25T10:00:00+00:00', nullable: true }) inspectedAt: string | null;
  @ApiPropertyOptional({ description: 'Credit type.', example: 'store_credit', nullable: true }) creditType: string | null;
  @ApiPropertyOptional({ description: 'Credit amount.', example: 262.5, nullable: true }) creditAmount: number | null;
  @ApiPropertyOptional({ description: 'Credit issued at.', example: '2024-01-26T10:00:00+00:00', nullable: true }) creditIssuedAt: string | null;
}

/** A submission: the trade-in and its programme row; photos, offer summary and shipments already rendered; the automatic quote only when `showQuote` (staff, or customers where the tenant allows it). */
export function renderSubmission(
  t: TradeIn,
  p: TradeInProgram,
  photos: ReturnType<typeof renderPhoto>[],
  offer: ReturnType<typeof renderOfferSummary> | null,
  showQuote: boolean,
  shipments: ShipmentView[] = [],
) {
  return {
    id: submissionId(t.id),
    trade_in: iriOf('trade-ins', t.id),
    status: PROGRAM_STATUS[t.status],
    trade_in_status: t.status,
    product_id: p.productId,
    product_catalogued: p.productCatalogued,
    serial_number: p.serialNumber,
    condition: p.conditionGrade,
    description: t.note,
    make: t.vmMake,
    model: t.vmModel,
    first_registration_date: t.vmFirstRegistrationDate,
    mileage: t.vmMileage,
    reg_nr: t.vmRegNr,
    vin: t.vmVinCode,
    asking_price: t.customerAskingPrice,
    photos,
    quoted_value: showQuote ? p.quotedValue : null,
    offer,
    shipping_method: p.shippingMethod,
    carrier: p.carrier,
    tracking_number: p.trackingNumber,
    shipped_at: isoTimestamp(p.shippedAt),
    shipments,
    received_at: isoTimestamp(p.receivedAt),
    inspected_grade: p.inspectedGrade,
    final_value: p.finalValue,
    inspection_notes: p.inspectionNotes,
    inspected_at: isoTimestamp(p.inspectedAt),
    credit_type: p.creditType,
    credit_amount: p.creditAmount,
    credit_reference: p.creditReference,
    credit_issued_at: isoTimestamp(p.creditIssuedAt),
    return_requested_at: isoTimestamp(p.returnRequestedAt),
    return_reason: p.returnReason,
    withdrawn_at: isoTimestamp(p.withdrawnAt),
    created_at: isoTimestamp(t.createdAt),
    updated_at: isoTimestamp(t.updatedAt),
  };
}
