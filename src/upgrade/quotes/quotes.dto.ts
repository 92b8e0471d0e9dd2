import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation';
import { IsDecimal, MAX_MONEY } from '../../trade-ins/trade-in.dto';

export class ValuationInput {
  @ApiPropertyOptional({
    description: 'Product id submissions may refer to (unique within the programme). With it, make, model and the year range are optional: a product-only valuation is a catalogued product.',
    example: 'prod_123',
    maxLength: 64,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'product_id must be 1–64 letters, digits, _ . or -' })
  product_id?: string | null;

  @ApiPropertyOptional({ description: 'Make (matched case-insensitively); required without product_id.', example: 'Volkswagen', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  make?: string | null;

  @ApiPropertyOptional({ description: 'Model (matched case-insensitively); required without product_id.', example: 'Golf', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  model?: string | null;

  @ApiPropertyOptional({ description: 'First registration year, from (inclusive); required without product_id.', example: 2017, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  year_from?: number | null;

  @ApiPropertyOptional({ description: 'First registration year, to (inclusive; ≥ year_from); required without product_id.', example: 2020, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  year_to?: number | null;

  @ApiProperty({ description: 'Base value (excellent condition).', example: 350 })
  @IsDecimal(2)
  @Min(0)
  @Max(MAX_MONEY)
  base_value: number;
}

export class ValuationView {
  @ApiProperty({ description: 'Valuation id.', example: 3 }) id: number;
  @ApiPropertyOptional({ description: 'Product id.', example: 'prod_123', nullable: true }) product_id: string | null;
  @ApiPropertyOptional({ description: 'Make (null for a product-only valuation).', example: 'Volkswagen', nullable: true }) make: string | null;
  @ApiPropertyOptional({ description: 'Model (null for a product-only valuation).', example: 'Golf', nullable: true }) model: string | null;
  @ApiPropertyOptional({ description: 'Year from (null for a product-only valuation).', example: 2017, nullable: true }) year_from: number | null;
  @ApiPropertyOptional({ description: 'Year to (null for a product-only valuation).', example: 2020, nullable: true }) year_to: number | null;
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
