import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, Validate, ValidateIf, ValidateNested } from 'class-validator';
import { CalendarDate, IsDecimal, MAX_MONEY, notNull } from '../common/validators';

// The nested parts of a trade-in body (TradeInInput): the vehicle, its accidents, its condition flags and its debt.

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

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
