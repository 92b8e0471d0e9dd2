import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
  @ApiPropertyOptional({ description: 'Start of the range (inclusive), as asked; null: from the beginning.', example: '2024-01-01T00:00:00.000Z', nullable: true }) from: string | null;
  @ApiPropertyOptional({ description: 'End of the range (exclusive; a `to` date is its next midnight); null: up to now.', example: '2024-02-01T00:00:00.000Z', nullable: true }) to: string | null;
  @ApiProperty({ description: 'Number of submissions.', example: 10 }) submissions: number;
  @ApiProperty({
    description: 'Submissions per programme status (every status listed, 0 included).',
    example: { draft: 1, submitted: 2, offered: 1, accepted: 1, shipped: 0, received: 0, inspected: 0, completed: 3, declined: 2 },
  })
  by_status: Record<string, number>;
  @ApiProperty({
    description:
      'Offers by status, every status listed: pending (still open), accepted, declined, superseded (replaced by a newer offer), expired (past expires_at unanswered, counted so as soon as the time passed), withdrawn (the submission was withdrawn or rejected).',
    example: { pending: 1, accepted: 4, declined: 2, superseded: 1, expired: 0, withdrawn: 0 },
  })
  offers_by_status: Record<string, number>;
  @ApiPropertyOptional({ description: 'Accepted ÷ answered (accepted + declined) offers, 0–1 rounded to 4 places; null when none answered.', example: 0.6667, nullable: true }) acceptance_rate:
    number | null;
  @ApiProperty({ description: 'All offers made (superseded included).', type: MoneyStatsView }) offers: MoneyStatsView;
  @ApiProperty({ description: 'Credits issued.', type: MoneyStatsView }) credits: MoneyStatsView;
  @ApiProperty({ description: 'Median time between stages.', type: [StageStatsView] }) stage_times: StageStatsView[];
}
