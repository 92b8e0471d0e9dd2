import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, Validate, ValidateIf, ValidateNested } from 'class-validator';
import { CalendarDate, IsDecimal, MAX_MONEY, notNull } from '../common/validators';
import { TradeInStatus } from './trade-in.entity';
import { TRADE_IN_STATUS_VALUES } from './trade-in.statuses';
import { ConditionInput, DebtInfoInput, VehicleModelInput } from './vehicle.dto';

// Also read from here by the programme's DTOs and the class-validator tripwire (src/platform/).
export { CalendarDate, IsDecimal, MAX_MONEY } from '../common/validators';
export { AccidentInput, ConditionInput, DebtInfoInput, VehicleModelInput } from './vehicle.dto';

const moneyProp = (description: string, example: number) => ApiPropertyOptional({ description: `${description} (non-negative, 2 decimals).`, example, nullable: true, type: Number });

/** Writable trade-in fields (POST and merge-PATCH). Read-only fields in a body are ignored. */
export class TradeInInput {
  @ApiPropertyOptional({
    description: 'Entity status. Setting it on creation applies the strict entry requirements; prefer the status routes.',
    enum: TRADE_IN_STATUS_VALUES as string[],
    example: 'not_done',
  })
  @ValidateIf(notNull('status'))
  // The vocabulary with the add-ons' statuses, read when a body is checked (it grows after this decorator ran).
  @IsIn(TRADE_IN_STATUS_VALUES as string[], { message: () => `status must be one of ${TRADE_IN_STATUS_VALUES.join(', ')}` })
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
