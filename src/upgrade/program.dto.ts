import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidateIf,
  ValidatorConstraintInterface,
} from 'class-validator';
import { IsOmittable } from '../common/validation';
import { CalendarDate, IsDecimal, MAX_MONEY } from '../trade-ins/trade-in.dto';
import { CREDIT_TYPES, GRADES, OFFER_STATUSES, SHIPPING_METHODS } from './program.entities';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** bcrypt (the hashes from before argon2id) read at most 72 bytes; the limit stays so that every password is checked whole by either. */
@ValidatorConstraint({ name: 'passwordBytes' })
class PasswordBytes implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= 72;
  }
  defaultMessage(_args: ValidationArguments): string {
    return 'password must be at most 72 bytes';
  }
}

/** An ISO 8601 timestamp with a time zone (Z or ±hh:mm). */
@ValidatorConstraint({ name: 'isTimestamp' })
export class Timestamp implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)$/.test(value) && !Number.isNaN(Date.parse(value));
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an ISO 8601 timestamp with a time zone, e.g. 2024-02-01T00:00:00Z`;
  }
}

// ------------------------------------------------------------------ accounts

export class RegisterInput {
  @ApiProperty({ description: 'Login e-mail (case-insensitive, unique within the programme).', example: 'mari.tamm@example.com', maxLength: 190 })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(190)
  email: string;

  @ApiProperty({ description: 'Password: 10 characters to 72 bytes.', example: 'correct horse battery', minLength: 10 })
  @IsString()
  @MinLength(10)
  @Validate(PasswordBytes)
  password: string;

  @ApiPropertyOptional({ description: 'Given name.', example: 'Mari', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  first_name?: string;

  @ApiProperty({ description: 'Family name.', example: 'Tamm', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  last_name: string;

  @ApiPropertyOptional({ description: 'Phone number.', example: '+372 5555 1234', maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ description: 'Postal address (for shipping kits).', example: 'Narva mnt 5, Tallinn', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string;
}

export class LoginInput {
  @ApiProperty({ description: 'Login e-mail.', example: 'mari.tamm@example.com' })
  @IsString()
  @MaxLength(190)
  email: string;

  @ApiProperty({ description: 'Password.', example: 'correct horse battery' })
  @IsString()
  @MaxLength(200)
  password: string;
}

export class ProfileInput {
  @ApiPropertyOptional({ description: 'Given name (null clears).', example: 'Mari', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  first_name?: string | null;

  @ApiPropertyOptional({ description: 'Family name (cannot be cleared).', example: 'Tamm-Kask', maxLength: 100, type: String })
  @ValidateIf((o: { last_name?: unknown }) => o.last_name !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  last_name?: string;

  @ApiPropertyOptional({ description: 'Phone number (null clears).', example: '+372 5555 1234', maxLength: 40, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  @ApiPropertyOptional({ description: 'Postal address (null clears).', example: 'Narva mnt 5, Tallinn', maxLength: 255, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;
}

export class ProfileView {
  @ApiProperty({ description: 'Account id.', example: 12 }) id: number;
  @ApiProperty({ description: 'Login e-mail.', example: 'mari.tamm@example.com' }) email: string;
  @ApiPropertyOptional({ description: 'Given name.', example: 'Mari', nullable: true }) first_name: string | null;
  @ApiPropertyOptional({ description: 'Family name (null only when staff turned the dealer-side customer into a company).', example: 'Tamm', nullable: true, type: String }) last_name: string | null;
  @ApiPropertyOptional({ description: 'Phone.', example: '+372 5555 1234', nullable: true }) phone: string | null;
  @ApiPropertyOptional({ description: 'Postal address.', example: 'Narva mnt 5, Tallinn', nullable: true }) address: string | null;
  @ApiProperty({ description: 'The same person as a dealer-side customer (IRI); trade-ins show it as their customer.', example: '/api/v3/customers/214154' }) customer: string;
  @ApiProperty({ description: 'Registration time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
  @ApiPropertyOptional({ description: 'Last successful login.', example: '2024-01-21T08:00:00+00:00', nullable: true }) last_login_at: string | null;
}

export class RegistrationView {
  @ApiProperty({ description: 'Always accepted: the same answer whether the e-mail is new or already registered.', example: 'accepted' }) status: string;
  @ApiProperty({ description: 'What to do next.', example: 'If mari.tamm@example.com had no account here, it has one now. Log in with POST /api/default/auth/login.' }) detail: string;
  @ApiProperty({ description: 'Where to log in.', example: '/api/default/auth/login' }) login: string;
}

export class SessionView {
  @ApiProperty({ description: 'Bearer token: send it as `Authorization: Bearer <token>`. Shown once; only its hash is stored.', example: 'tis_3q2-7wEhKx0m7b1Jx2aY0a3Cw4VbqvT0fK9Zb8r0H4E' })
  token: string;
  @ApiProperty({ description: 'Always Bearer.', example: 'Bearer' }) token_type: string;
  @ApiProperty({ description: 'When the token stops working.', example: '2024-01-27T10:00:00+00:00' }) expires_at: string;
  @ApiPropertyOptional({ description: 'The new profile (registration only).', type: ProfileView }) customer?: ProfileView;
}

// ------------------------------------------------------------------ submissions

export class SubmissionInput {
  @ApiPropertyOptional({
    description: 'Product id: the `product_id` of a valuation (admin/valuations). Its make and model fill the vehicle when not given; an unknown product id is kept but gives no automatic quote.',
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
    description: "Ids of photos uploaded with POST /photos (your own, not attached elsewhere). Sending the list replaces the attached photos; they become the trade-in's pictures.",
    example: ['photo_abc', 'photo_def'],
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  photos?: string[] | null;

  @ApiPropertyOptional({ description: 'Vehicle make (required to submit unless the product gives it).', example: 'Volkswagen', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  make?: string | null;

  @ApiPropertyOptional({ description: 'Vehicle model (required to submit unless the product gives it).', example: 'Golf', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string | null;

  @ApiPropertyOptional({ description: 'First registration date, YYYY-MM-DD (required to submit).', example: '2019-05-01' })
  @IsOptional()
  @Validate(CalendarDate, [{ past: true }])
  first_registration_date?: string | null;

  @ApiPropertyOptional({ description: 'Odometer in km (required to submit).', example: 84000 })
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

export class PhotoView {
  @ApiProperty({ description: 'Photo id, used in submissions.', example: 'photo_abc' }) id: string;
  @ApiProperty({
    description: 'Absolute URL of the image (owner with Bearer token, staff with X-API-Key). Also the trade-in picture URL.',
    example: 'https://dealer.example/api/default/photos/photo_abc',
  })
  url: string;
  @ApiProperty({ description: 'Detected from the content: image/jpeg, image/png or image/webp.', example: 'image/jpeg' }) content_type: string;
  @ApiProperty({ description: 'Size in bytes.', example: 245112 }) size: number;
  @ApiPropertyOptional({ description: 'Picture type code (angle), if given at upload.', example: 'exterior_front', nullable: true }) picture_type: string | null;
  @ApiPropertyOptional({ description: 'The submission the photo is attached to.', example: 'sub_123', nullable: true }) submission_id: string | null;
  @ApiProperty({ description: 'Upload time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
}

export class PhotoUploadInput {
  @ApiProperty({ description: 'The image: JPEG, PNG or WebP (checked by content), at most PHOTO_MAX_BYTES (10 MB by default).', type: 'string', format: 'binary', example: '(binary)' })
  photo: unknown;
  @ApiPropertyOptional({ description: 'Angle, as a picture type code (see /api/v3/picture-types).', example: 'exterior_front' })
  picture_type?: string;
}

export class OfferSummaryView {
  @ApiProperty({ description: 'Offer id.', example: 'off_7' }) id: string;
  @ApiProperty({ description: 'Offered amount.', example: 350 }) amount: number;
  @ApiPropertyOptional({ description: 'Notes from the appraiser.', example: 'Based on good condition assessment', nullable: true }) notes: string | null;
  @ApiPropertyOptional({ description: 'Expiry; accepting after it → 409.', example: '2024-02-01T00:00:00+00:00', nullable: true }) expires_at: string | null;
  @ApiProperty({ description: 'pending, accepted, declined, superseded (replaced by a newer offer) or expired (its expires_at passed while pending).', enum: OFFER_STATUSES, example: 'pending' }) status: string;
  @ApiProperty({ description: 'Whether expires_at has passed.', example: false }) expired: boolean;
}

export class SubmissionView {
  @ApiProperty({ description: 'Submission id (`sub_` + the trade-in id).', example: 'sub_123' }) id: string;
  @ApiProperty({ description: 'The same trade-in in the dealer API.', example: '/api/v3/trade-ins/123' }) trade_in: string;
  @ApiProperty({ description: 'Programme status (draft, submitted, offered, accepted, shipped, received, inspected, completed, declined).', example: 'submitted' }) status: string;
  @ApiProperty({ description: 'The trade-in status it maps onto.', example: 'ready_for_appraisal' }) trade_in_status: string;
  @ApiPropertyOptional({ description: 'Product id.', example: 'prod_123', nullable: true }) product_id: string | null;
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
  @ApiPropertyOptional({ description: 'Automatic quote: valuation base value × condition modifier (staff only; null for customers).', example: 280, nullable: true }) quoted_value: number | null;
  @ApiPropertyOptional({ description: 'The current (latest) offer.', type: OfferSummaryView, nullable: true }) offer: OfferSummaryView | null;
  @ApiPropertyOptional({ description: 'Shipping: shipping_kit, return_label or drop_off.', example: 'shipping_kit', nullable: true }) shipping_method: string | null;
  @ApiPropertyOptional({ description: 'Carrier.', example: 'DHL', nullable: true }) carrier: string | null;
  @ApiPropertyOptional({ description: 'Tracking number.', example: 'JD014600003828', nullable: true }) tracking_number: string | null;
  @ApiPropertyOptional({ description: 'When it was shipped.', example: '2024-01-22T10:00:00+00:00', nullable: true }) shipped_at: string | null;
  @ApiPropertyOptional({ description: 'When it arrived.', example: '2024-01-24T10:00:00+00:00', nullable: true }) received_at: string | null;
  @ApiPropertyOptional({ description: 'Grade found at inspection.', example: 'fair', nullable: true }) inspected_grade: string | null;
  @ApiPropertyOptional({ description: 'Final value after inspection.', example: 262.5, nullable: true }) final_value: number | null;
  @ApiPropertyOptional({ description: 'Inspection notes.', example: 'Deeper scratch on the left door', nullable: true }) inspection_notes: string | null;
  @ApiPropertyOptional({ description: 'When it was inspected.', example: '2024-01-25T10:00:00+00:00', nullable: true }) inspected_at: string | null;
  @ApiPropertyOptional({ description: 'Credit issued: store_credit or refund.', example: 'store_credit', nullable: true }) credit_type: string | null;
  @ApiPropertyOptional({ description: 'Credit amount (the final value).', example: 262.5, nullable: true }) credit_amount: number | null;
  @ApiPropertyOptional({ description: 'Credit reference (voucher or refund id).', example: 'SC-2024-0001', nullable: true }) credit_reference: string | null;
  @ApiPropertyOptional({ description: 'When the credit was issued.', example: '2024-01-26T10:00:00+00:00', nullable: true }) credit_issued_at: string | null;
  @ApiProperty({ description: 'Creation time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
  @ApiProperty({ description: 'Last change.', example: '2024-01-20T11:00:00+00:00' }) updated_at: string;
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

// ------------------------------------------------------------------ offers

export class OfferInput {
  @ApiProperty({ description: 'The submission: `sub_123` or 123.', example: 'sub_123' })
  @Transform(({ value }) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value))
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

  @ApiPropertyOptional({ description: 'Expiry (ISO 8601 with zone). An offer past it can no longer be accepted (409).', example: '2024-02-01T00:00:00Z' })
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

// ------------------------------------------------------------------ admin

export class ValuationInput {
  @ApiPropertyOptional({ description: 'Product id submissions may refer to (unique within the programme).', example: 'prod_123', maxLength: 64, nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'product_id must be 1–64 letters, digits, _ . or -' })
  product_id?: string | null;

  @ApiProperty({ description: 'Make (matched case-insensitively).', example: 'Volkswagen', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  make: string;

  @ApiProperty({ description: 'Model (matched case-insensitively).', example: 'Golf', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  model: string;

  @ApiProperty({ description: 'First registration year, from (inclusive).', example: 2017 })
  @IsInt()
  @Min(1900)
  @Max(2100)
  year_from: number;

  @ApiProperty({ description: 'First registration year, to (inclusive; ≥ year_from).', example: 2020 })
  @IsInt()
  @Min(1900)
  @Max(2100)
  year_to: number;

  @ApiProperty({ description: 'Base value (excellent condition).', example: 350 })
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  base_value: number;
}

export class ValuationView {
  @ApiProperty({ description: 'Valuation id.', example: 3 }) id: number;
  @ApiPropertyOptional({ description: 'Product id.', example: 'prod_123', nullable: true }) product_id: string | null;
  @ApiProperty({ description: 'Make.', example: 'Volkswagen' }) make: string;
  @ApiProperty({ description: 'Model.', example: 'Golf' }) model: string;
  @ApiProperty({ description: 'Year from.', example: 2017 }) year_from: number;
  @ApiProperty({ description: 'Year to.', example: 2020 }) year_to: number;
  @ApiProperty({ description: 'Base value.', example: 350 }) base_value: number;
  @ApiProperty({ description: 'Creation time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
  @ApiProperty({ description: 'Last change.', example: '2024-01-20T10:00:00+00:00' }) updated_at: string;
}

export class ModifiersInput {
  @ApiPropertyOptional({ description: 'Percent of the base value for excellent (default 100).', example: 100 })
  @IsOmittable()
  @IsDecimal(2)
  @Min(0)
  @Max(200)
  excellent?: number;
  @ApiPropertyOptional({ description: 'Percent for good (default 80).', example: 80 })
  @IsOmittable()
  @IsDecimal(2)
  @Min(0)
  @Max(200)
  good?: number;
  @ApiPropertyOptional({ description: 'Percent for fair (default 60).', example: 60 })
  @IsOmittable()
  @IsDecimal(2)
  @Min(0)
  @Max(200)
  fair?: number;
  @ApiPropertyOptional({ description: 'Percent for poor (default 40).', example: 40 })
  @IsOmittable()
  @IsDecimal(2)
  @Min(0)
  @Max(200)
  poor?: number;
}

export class ModifiersView {
  @ApiProperty({ description: 'Percent of the base value for excellent.', example: 100 }) excellent: number;
  @ApiProperty({ description: 'Percent for good.', example: 80 }) good: number;
  @ApiProperty({ description: 'Percent for fair.', example: 60 }) fair: number;
  @ApiProperty({ description: 'Percent for poor.', example: 40 }) poor: number;
}

export class ProgramCustomerView {
  @ApiProperty({ description: 'Account id.', example: 12 }) id: number;
  @ApiProperty({ description: 'Login e-mail.', example: 'mari.tamm@example.com' }) email: string;
  @ApiPropertyOptional({ description: 'Given name.', example: 'Mari', nullable: true }) first_name: string | null;
  @ApiPropertyOptional({ description: 'Family name.', example: 'Tamm', nullable: true }) last_name: string | null;
  @ApiPropertyOptional({ description: 'Phone.', example: '+372 5555 1234', nullable: true }) phone: string | null;
  @ApiProperty({ description: 'Dealer-side customer IRI.', example: '/api/v3/customers/214154' }) customer: string;
  @ApiProperty({ description: 'Number of submissions (trade-ins) of this customer.', example: 2 }) submissions_count: number;
  @ApiProperty({ description: 'Registration time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
}

export class MoneyStatsView {
  @ApiProperty({ description: 'How many.', example: 4 }) count: number;
  @ApiProperty({ description: 'Sum of the amounts.', example: 1400 }) total: number;
  @ApiPropertyOptional({ description: 'Average amount (rounded to cents), null when count is 0.', example: 350, nullable: true }) average: number | null;
}

export class StageStatsView {
  @ApiProperty({ description: 'From stage (programme status).', example: 'submitted' }) from: string;
  @ApiProperty({ description: 'To stage.', example: 'offered' }) to: string;
  @ApiProperty({ description: 'Submissions that went through both stages.', example: 3 }) count: number;
  @ApiPropertyOptional({ description: 'Median seconds between first entering `from` and first entering `to`; null when count is 0.', example: 86400, nullable: true }) median_seconds: number | null;
}

export class StatsView {
  @ApiProperty({ description: 'Number of submissions.', example: 10 }) submissions: number;
  @ApiProperty({
    description: 'Submissions per programme status (every status listed, 0 included).',
    example: { draft: 1, submitted: 2, offered: 1, accepted: 1, shipped: 0, received: 0, inspected: 0, completed: 3, declined: 2 },
  })
  by_status: Record<string, number>;
  @ApiProperty({ description: 'Offers by status.', example: { pending: 1, accepted: 4, declined: 2, superseded: 1, expired: 0 } }) offers_by_status: Record<string, number>;
  @ApiPropertyOptional({ description: 'Accepted ÷ answered (accepted + declined) offers, 0–1 rounded to 4 places; null when none answered.', example: 0.6667, nullable: true }) acceptance_rate:
    number | null;
  @ApiProperty({ description: 'All offers made (superseded included).', type: MoneyStatsView }) offers: MoneyStatsView;
  @ApiProperty({ description: 'Credits issued.', type: MoneyStatsView }) credits: MoneyStatsView;
  @ApiProperty({ description: 'Median time between stages.', type: [StageStatsView] }) stage_times: StageStatsView[];
}

export class ProgramFactsView {
  @ApiProperty({ description: 'The submission id in the customer programme.', example: 'sub_123' }) submissionId: string;
  @ApiProperty({ description: 'Programme status (draft, submitted, offered, accepted, shipped, received, inspected, completed, declined).', example: 'offered' }) programStatus: string;
  @ApiProperty({ description: 'Programme account id of the owner.', example: 12 }) accountId: number;
  @ApiPropertyOptional({ description: 'Product id.', example: 'prod_123', nullable: true }) productId: string | null;
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

export class AppraisalView {
  @ApiProperty({ description: 'IRI of this appraisal.', example: '/api/v3/trade-ins/123/appraisal' }) iri: string;
  @ApiProperty({ description: 'The trade-in.', example: '/api/v3/trade-ins/123' }) tradeIn: string;
  @ApiPropertyOptional({ description: 'Input: market price today.', example: 20000, nullable: true }) marketPrice: number | null;
  @ApiPropertyOptional({ description: 'Input: days until the vehicle is sold.', example: 30, nullable: true }) daysToSale: number | null;
  @ApiPropertyOptional({ description: 'Input: depreciation, percent per day.', example: 0.1, nullable: true }) dailyDepreciationRate: number | null;
  @ApiPropertyOptional({ description: 'Input: refurbishment cost estimate.', example: 800, nullable: true }) refurbishCostEstimate: number | null;
  @ApiPropertyOptional({ description: 'Input: margin, percent of the sales-day value.', example: 10, nullable: true }) margin: number | null;
  @ApiPropertyOptional({ description: 'marketPrice × dailyDepreciationRate/100 × daysToSale, capped at marketPrice.', example: 600, nullable: true }) depreciation: number | null;
  @ApiPropertyOptional({ description: 'marketPrice − depreciation.', example: 19400, nullable: true }) marketValueOnSalesDay: number | null;
  @ApiPropertyOptional({ description: 'marketValueOnSalesDay × margin/100.', example: 1940, nullable: true }) marginAmount: number | null;
  @ApiPropertyOptional({ description: 'marketValueOnSalesDay − marginAmount − refurbishCostEstimate, not below 0.', example: 16660, nullable: true }) suggestedPurchasePrice: number | null;
  @ApiProperty({ description: 'Inputs that are missing (then the results that need them are null).', example: [], type: [String] }) missing: string[];
  @ApiProperty({
    description: 'The formula, in words.',
    example:
      'marketValueOnSalesDay = marketPrice − marketPrice × dailyDepreciationRate% × daysToSale (≥ 0); suggestedPurchasePrice = marketValueOnSalesDay × (1 − margin%) − refurbishCostEstimate (≥ 0); cents, half up',
  })
  formula: string;
}
