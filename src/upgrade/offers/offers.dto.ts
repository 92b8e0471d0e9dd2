import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, Validate } from 'class-validator';
import { IsOmittable } from '../../common/validation';
import { isoTimestamp } from '../../common/serialize';
import { offerId, submissionId } from '../program.mapping';
import { IsDecimal, MAX_MONEY } from '../../trade-ins/trade-in.dto';
import { Timestamp } from '../program.validators';
import { OFFER_KINDS, OFFER_STATUSES, ProgramOffer, ProgramOfferSettings } from './offer.entity';

export class OfferSummaryView {
  @ApiProperty({ description: 'Offer id.', example: 'off_7' }) id: string;
  @ApiProperty({ description: 'Offered amount.', example: 350 }) amount: number;
  @ApiPropertyOptional({ description: 'Notes from the appraiser.', example: 'Based on good condition assessment', nullable: true }) notes: string | null;
  @ApiPropertyOptional({
    description: "Expiry; accepting after it → 409. Every offer made since issue 17 has one (the tenant's offer_validity_days when none is given).",
    example: '2024-02-01T00:00:00+00:00',
    nullable: true,
  })
  expires_at: string | null;
  @ApiProperty({
    description: 'pending, accepted, declined, superseded (replaced by a newer offer), expired (its expires_at passed while pending) or withdrawn (the submission was withdrawn or rejected).',
    enum: OFFER_STATUSES,
    example: 'pending',
  })
  status: string;
  @ApiProperty({ description: 'Whether expires_at has passed.', example: false }) expired: boolean;
  @ApiProperty({
    description:
      'manual (made by staff), automatic (made from the quote at submit, where the tenant switched it on) or revised (the lower value found at inspection, for the customer to accept or decline).',
    enum: OFFER_KINDS,
    example: 'manual',
  })
  kind: string;
}

export class OfferInput {
  @ApiProperty({ description: 'The submission: `sub_123` or 123.', example: 'sub_123' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value))
  @IsString({ message: 'submission_id must be a submission id such as sub_123' })
  @Matches(/^(sub_)?[1-9][0-9]{0,9}$/, { message: 'submission_id must be a submission id such as sub_123' })
  submission_id: string | number;

  @ApiProperty({ description: 'Offered amount (≥ 0, two decimals). Becomes the trade-in purchasePrice.', example: 350.0 })
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  amount: number;

  @ApiPropertyOptional({ description: 'Notes for the customer.', example: 'Based on good condition assessment', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;

  @ApiPropertyOptional({
    description: "Expiry (ISO 8601 with zone). An offer past it can no longer be accepted (409). Omitted: now + the tenant's offer_validity_days (admin/offer-settings).",
    example: '2024-02-01T00:00:00Z',
  })
  @IsOptional()
  @Validate(Timestamp)
  expires_at?: string;
}

export class OfferResponseInput {
  @ApiProperty({ description: 'accept or decline.', enum: ['accept', 'decline'], example: 'accept' })
  @IsIn(['accept', 'decline'], { message: 'action must be accept or decline' })
  action: string;

  @ApiPropertyOptional({ description: 'Why the offer is declined (recorded on the offer and as the trade-in rejectReasonMetaText).', example: 'Expected at least 400', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class OfferView extends OfferSummaryView {
  @ApiProperty({ description: 'The submission.', example: 'sub_123' }) submission_id: string;
  @ApiPropertyOptional({ description: 'Why it was declined.', example: 'Expected at least 400', nullable: true }) decline_reason: string | null;
  @ApiPropertyOptional({ description: 'When the customer answered.', example: '2024-01-21T10:00:00+00:00', nullable: true }) responded_at: string | null;
  @ApiPropertyOptional({ description: 'The automatic quote when the offer was made (staff only; null for customers).', example: 280, nullable: true }) quoted_value: number | null;
  @ApiProperty({ description: 'Creation time.', example: '2024-01-20T12:00:00+00:00' }) created_at: string;
}

export function renderOfferSummary(o: ProgramOffer) {
  return { id: offerId(o.id), amount: o.amount, notes: o.notes, expires_at: isoTimestamp(o.expiresAt), status: o.status, expired: !!o.expiresAt && o.expiresAt.getTime() <= Date.now(), kind: o.kind };
}

/** An offer; the automatic quote it was made against only for staff. */
export function renderOffer(o: ProgramOffer, staff: boolean) {
  return {
    ...renderOfferSummary(o),
    submission_id: submissionId(o.tradeInId),
    decline_reason: o.declineReason,
    responded_at: isoTimestamp(o.respondedAt),
    quoted_value: staff ? o.quotedValue : null,
    created_at: isoTimestamp(o.createdAt),
  };
}

export class OfferSettingsInput {
  @ApiPropertyOptional({ description: 'Whether customers see the automatic quote (quoted_value) of their submissions.', example: true })
  @IsOmittable()
  @IsBoolean()
  quote_visible?: boolean;

  @ApiPropertyOptional({ description: 'Days an offer stays open when it is made without expires_at (staff offers, revised offers); 1–365.', example: 14 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(365)
  offer_validity_days?: number;

  @ApiPropertyOptional({
    description: 'Automatic offers: percent of the quote offered at submit when the submission has a quote (0.01–200, two decimals); null switches them off.',
    example: 90,
    nullable: true,
  })
  @IsOptional()
  @IsDecimal(2)
  @Min(0.01)
  @Max(200)
  auto_offer_percent?: number | null;

  @ApiPropertyOptional({ description: 'Days an automatic offer stays open (1–365); null: offer_validity_days.', example: 7, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  auto_offer_validity_days?: number | null;
}

export class OfferSettingsView {
  @ApiProperty({ description: 'Whether customers see the automatic quote.', example: false }) quote_visible: boolean;
  @ApiProperty({ description: 'Default validity of an offer, in days.', example: 14 }) offer_validity_days: number;
  @ApiPropertyOptional({ description: 'Percent of the quote offered automatically at submit; null: no automatic offers.', example: null, nullable: true, type: Number }) auto_offer_percent:
    number | null;
  @ApiPropertyOptional({ description: 'Validity of automatic offers in days; null: offer_validity_days.', example: null, nullable: true, type: Number }) auto_offer_validity_days: number | null;
}

export function renderOfferSettings(s: Pick<ProgramOfferSettings, 'quoteVisible' | 'offerValidityDays' | 'autoOfferPercent' | 'autoOfferValidityDays'>) {
  return { quote_visible: s.quoteVisible, offer_validity_days: s.offerValidityDays, auto_offer_percent: s.autoOfferPercent, auto_offer_validity_days: s.autoOfferValidityDays };
}
