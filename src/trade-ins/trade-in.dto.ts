import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  buildMessage,
  ValidateBy,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  ValidationArguments,
} from 'class-validator';
import { TRADE_IN_STATUSES, TradeInStatus } from './trade-in.entity';

export const MAX_MONEY = 9_999_999_999.99;
/**
 * A finite JSON number with at most `places` decimals. (class-validator's IsNumber({ maxDecimalPlaces })
 * throws a TypeError — a 500 — on numbers JSON.parse yields in exponent form, such as 7e-323.)
 */
export function IsDecimal(places: number): PropertyDecorator {
  const re = new RegExp(`^-?\\d+(\\.\\d{1,${places}})?$`);
  return ValidateBy({
    name: 'isNumber',
    validator: {
      validate: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && re.test(String(v)),
      defaultMessage: buildMessage((each, args) => (typeof args?.value === 'number' ? `${each}$property must be a number with at most ${places} decimal places` : `${each}$property must be a number`)),
    },
  });
}
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const notNull = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;

/** `YYYY-MM-DD`, a real calendar date, not before 1900 and — when `past` — not in the future. */
@ValidatorConstraint({ name: 'isCalendarDate' })
export class CalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value || value < '1900-01-01') return false;
    const past = (args.constraints?.[0] as { past?: boolean } | undefined)?.past;
    return !past || value <= new Date().toISOString().slice(0, 10);
  }
  defaultMessage(args: ValidationArguments): string {
    const past = (args.constraints?.[0] as { past?: boolean } | undefined)?.past;
    return `${args.property} must be a valid date YYYY-MM-DD from 1900-01-01${past ? ' and not in the future' : ''}`;
  }
}

export class AccidentInput {
  @ApiPropertyOptional({ description: 'Date of the accident (YYYY-MM-DD, not in the future).', example: '2021-06-14', nullable: true, type: String })
  @IsOptional()
  @Validate(CalendarDate, [{ past: true }])
  date?: string | null;

  @ApiPropertyOptional({ description: 'What happened and what was damaged.', example: 'Rear bumper replaced', maxLength: 500, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Repair cost (non-negative).', example: 1200, nullable: true, type: Number })
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  repairCost?: number | null;
}

/** The 18 vehicle fields a trade-in stores; any other vehicleModel field is ignored (seed). */
export class VehicleModelInput {
  @ApiPropertyOptional({ description: 'Make (required for ready_for_appraisal).', example: 'Volkswagen', maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  make?: string | null;

  @ApiPropertyOptional({ description: 'Model (required for ready_for_appraisal).', example: 'Golf', maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string | null;

  @ApiPropertyOptional({
    description: 'VIN: 17 characters, digits and capital letters except I, O and Q. The only field that may change after done.',
    example: 'WVWZZZ1KZ6W000001',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Transform(upper)
  @Matches(/^[A-HJ-NPR-Z0-9]{17}$/, { message: 'vinCode must be 17 characters of the VIN alphabet (digits and A–Z except I, O and Q)' })
  vinCode?: string | null;

  @ApiPropertyOptional({ description: 'Colour.', example: 'Black', maxLength: 60, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  color?: string | null;

  @ApiPropertyOptional({ description: 'Odometer reading in km (non-negative integer).', example: 35000, nullable: true, type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5_000_000)
  mileage?: number | null;

  @ApiPropertyOptional({ description: 'Gearbox description.', example: '7-speed DSG', maxLength: 60, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  gearbox?: string | null;

  @ApiPropertyOptional({ description: 'Registration plate; identifies the vehicle in Salesfront.', example: '890ZXC', maxLength: 20, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  regNr?: string | null;

  // No `default` in the schema: generated clients (openapi-typescript) would make the field required in bodies.
  @ApiPropertyOptional({ description: 'Vehicle type code; PC (passenger car) when not given.', example: 'PC', type: String })
  @ValidateIf(notNull('vehicleType'))
  @Transform(upper)
  @Matches(/^[A-Z0-9]{1,10}$/, { message: 'vehicleType must be a code of 1–10 letters or digits, e.g. PC' })
  vehicleType?: string;

  @ApiPropertyOptional({ description: 'Body type.', example: 'Hatchback', maxLength: 60, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  bodyType?: string | null;

  @ApiPropertyOptional({ description: 'Engine displacement in cm³.', example: 1600, nullable: true, type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20000)
  cylinderCapacityCm3?: number | null;

  @ApiPropertyOptional({ description: 'Engine power in kW.', example: 120, nullable: true, type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2000)
  maxPowerKw?: number | null;

  @ApiPropertyOptional({ description: 'First registration date (YYYY-MM-DD, not in the future).', example: '2020-02-20', nullable: true, type: String })
  @IsOptional()
  @Validate(CalendarDate, [{ past: true }])
  firstRegistrationDate?: string | null;

  @ApiPropertyOptional({ description: 'Fuel.', example: 'Petrol', maxLength: 60, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  fuel?: string | null;

  @ApiPropertyOptional({ description: 'Drivetrain.', example: 'AWD', maxLength: 60, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  drivetrainType?: string | null;

  @ApiPropertyOptional({ description: 'Transmission type.', example: 'Automatic', maxLength: 60, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  transmissionType?: string | null;

  @ApiPropertyOptional({ description: 'Transmission code.', example: 'DQ381', maxLength: 60, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  transmissionCode?: string | null;

  @ApiPropertyOptional({ description: 'Equipment list (at most 200 items of 100 characters).', example: ['Heated seats', 'Adaptive cruise control'], type: [String], nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  equipment?: string[] | null;

  @ApiPropertyOptional({ description: 'Known accidents (at most 50).', type: [AccidentInput], nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AccidentInput)
  accidents?: AccidentInput[] | null;
}

const flag = (description: string) => ApiPropertyOptional({ description: `${description} (true, false, or null = unknown).`, example: true, nullable: true, type: Boolean });

export class ConditionInput {
  @flag('Full service history documented') @IsOptional() @IsBoolean() fullService?: boolean | null;
  @flag('Tires deeper than 6 mm') @IsOptional() @IsBoolean() tiresMoreThan6mm?: boolean | null;
  @flag('Air conditioning exists and works') @IsOptional() @IsBoolean() acWorks?: boolean | null;
  @flag('Used to haul pets') @IsOptional() @IsBoolean() animalsInCar?: boolean | null;
  @flag('Took part in a major accident') @IsOptional() @IsBoolean() majorAccident?: boolean | null;
  @flag('Reviewed by a mechanic') @IsOptional() @IsBoolean() mechanicalTested?: boolean | null;
  @flag('Original paint') @IsOptional() @IsBoolean() originalPaint?: boolean | null;
  @flag('Smoked in') @IsOptional() @IsBoolean() smokedInCar?: boolean | null;
}

export class DebtInfoInput {
  @ApiPropertyOptional({ description: 'Outstanding debt on the vehicle (non-negative).', example: 2500, nullable: true, type: Number })
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  amount?: number | null;

  @ApiPropertyOptional({ description: 'Creditor.', example: 'Popular Leasing', maxLength: 150, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(150)
  bank?: string | null;
}

const moneyProp = (description: string, example: number) => ApiPropertyOptional({ description: `${description} (non-negative, 2 decimals).`, example, nullable: true, type: Number });

/** Writable trade-in fields (POST and merge-PATCH). Read-only fields in a body are ignored. */
export class TradeInInput {
  @ApiPropertyOptional({
    description: 'Entity status. Setting it on creation applies the strict entry requirements; prefer the status routes.',
    enum: TRADE_IN_STATUSES,
    example: 'not_done',
  })
  @ValidateIf(notNull('status'))
  @IsIn(TRADE_IN_STATUSES, { message: `status must be one of ${TRADE_IN_STATUSES.join(', ')}` })
  status?: TradeInStatus;

  @ApiPropertyOptional({ description: 'Vehicle specification description.', example: 'Golf 1.6 TSI Comfortline', maxLength: 255, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  specificationTitle?: string | null;

  @ApiPropertyOptional({ description: 'Free text notes about vehicle condition.', example: 'Vehicle is in good condition.', maxLength: 5000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string | null;

  @ApiPropertyOptional({ description: 'IRI of the customer (create the customer first).', example: '/api/v3/customers/214154', nullable: true, type: String })
  @Allow()
  customer?: unknown;

  @ApiPropertyOptional({
    description: 'IRI of the dealership (a location). Required for ready_for_appraisal when the tenant has several locations.',
    example: '/api/v3/locations/4',
    nullable: true,
    type: String,
  })
  @Allow()
  dealership?: unknown;

  @moneyProp('Price asked by the customer', 9500)
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  customerAskingPrice?: number | null;

  @moneyProp('Price offered to the customer; required for done and purchase_agreement', 32000)
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  purchasePrice?: number | null;

  @moneyProp('General market price of the car', 36000)
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  marketPrice?: number | null;

  @moneyProp('Value of the car on the selling day', 34500)
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  marketValueOnSalesDay?: number | null;

  @ApiPropertyOptional({ description: 'Sales margin in percent (0–100).', example: 8, nullable: true, type: Number })
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(100)
  margin?: number | null;

  @moneyProp('Estimated refurbishing cost', 800)
  @IsOptional()
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  refurbishCostEstimate?: number | null;

  @ApiPropertyOptional({ description: 'Last service date (YYYY-MM-DD, not in the future).', example: '2022-02-02', nullable: true, type: String })
  @IsOptional()
  @Validate(CalendarDate, [{ past: true }])
  lastServiceDate?: string | null;

  @ApiPropertyOptional({ description: 'Days expected until the car is sold (0–3650).', example: 60, nullable: true, type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  daysToSale?: number | null;

  @ApiPropertyOptional({ description: 'Daily depreciation in percent per day (0–100).', example: 0.05, nullable: true, type: Number })
  @IsOptional()
  @IsDecimal(4)
  @Min(0)
  @Max(100)
  dailyDepreciationRate?: number | null;

  @ApiPropertyOptional({ description: 'Whether prices exclude VAT.', example: false, type: Boolean })
  @ValidateIf(notNull('priceExVat'))
  @IsBoolean()
  priceExVat?: boolean;

  @ApiPropertyOptional({ description: 'Whether the deal is VAT exempt.', example: false, type: Boolean })
  @ValidateIf(notNull('isVatExempt'))
  @IsBoolean()
  isVatExempt?: boolean;

  @ApiPropertyOptional({ description: 'Outstanding debt on the vehicle.', type: DebtInfoInput, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DebtInfoInput)
  debtInfo?: DebtInfoInput | null;

  @ApiPropertyOptional({ description: 'Reject reason code (see /api/v3/reject-reasons) or its IRI; required for no_deal.', example: 'price_too_low', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  rejectReason?: string | null;

  @ApiPropertyOptional({ description: 'Free text about the rejection.', example: 'Customer expects 12 000', maxLength: 1000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  rejectReasonMetaText?: string | null;

  @ApiPropertyOptional({ description: 'The vehicle. Unsupported fields (e.g. engineType) are ignored.', type: VehicleModelInput })
  @ValidateIf(notNull('vehicleModel'))
  @IsObject({ message: 'vehicleModel must be an object' })
  @ValidateNested()
  @Type(() => VehicleModelInput)
  vehicleModel?: VehicleModelInput;

  @ApiPropertyOptional({ description: 'Condition flags.', type: ConditionInput })
  @ValidateIf(notNull('condition'))
  @IsObject({ message: 'condition must be an object' })
  @ValidateNested()
  @Type(() => ConditionInput)
  condition?: ConditionInput;
}

export class NoDealInput {
  @ApiProperty({ description: 'Reject reason code (see /api/v3/reject-reasons) or its IRI.', example: 'price_too_low', type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  rejectReason?: string | null;

  @ApiPropertyOptional({ description: 'Free text about the rejection.', example: 'Customer expects 12 000', maxLength: 1000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  rejectReasonMetaText?: string | null;
}
