import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The appraisal maths' answer (GET /api/v3/trade-ins/{id}/appraisal; see appraisal.ts). */
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
