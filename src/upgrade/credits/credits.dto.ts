import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { isoTimestamp } from '../../common/serialize';
import { IsDecimal, MAX_MONEY } from '../../trade-ins/trade-in.dto';
import { submissionId } from '../program.mapping';
import { CREDIT_KINDS, CreditEntry } from './credit-entry.entity';

/** The kinds staff record by hand; `issue` only comes from completing a submission. */
export const STAFF_CREDIT_KINDS = ['spend', 'adjust', 'refund'] as const;

export class CreditEntryInput {
  @ApiProperty({ description: 'spend (credit used in the store), adjust (a correction, ±) or refund (credit paid out to the customer).', enum: STAFF_CREDIT_KINDS, example: 'spend' })
  @IsIn(STAFF_CREDIT_KINDS, { message: `kind must be one of ${STAFF_CREDIT_KINDS.join(', ')}` })
  kind: string;

  @ApiProperty({
    description: 'Amount, two decimals. spend and refund: positive, taken from the balance. adjust: positive adds, negative takes. The balance never goes below 0 (422).',
    example: 120.5,
  })
  @IsDecimal(2)
  @Min(-MAX_MONEY)
  @Max(MAX_MONEY)
  amount: number;

  @ApiPropertyOptional({ description: 'Your reference (order or voucher number).', example: 'ORD-2024-0042', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reference?: string;

  @ApiPropertyOptional({ description: "Refunds: the payment system's reference of the payout (required), for finance to reconcile.", example: 'pi_3OjK2L2eZvKYlo2C', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  external_reference?: string;

  @ApiPropertyOptional({ description: 'Why (required for adjust).', example: 'Goodwill for the late pick-up', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CreditEntryView {
  @ApiProperty({ description: 'Entry id.', example: 'cre_12' }) id: string;
  @ApiProperty({ description: 'issue (from a completed submission), spend, adjust or refund.', enum: CREDIT_KINDS, example: 'issue' }) kind: string;
  @ApiProperty({ description: 'Signed amount: credit in is positive, credit out negative.', example: 262.5 }) amount: number;
  @ApiProperty({ description: 'The balance after this entry.', example: 262.5 }) balance_after: number;
  @ApiPropertyOptional({ description: 'Reference (voucher, order or credit reference).', example: 'SC-2024-0001', nullable: true }) reference: string | null;
  @ApiPropertyOptional({ description: "Refunds: the payment system's reference.", example: null, nullable: true, type: String }) external_reference: string | null;
  @ApiPropertyOptional({ description: 'Why (adjustments).', example: null, nullable: true, type: String }) reason: string | null;
  @ApiPropertyOptional({ description: 'The submission whose completion issued (or refunded) it.', example: 'sub_123', nullable: true }) submission_id: string | null;
  @ApiPropertyOptional({ description: 'The staff user who recorded it (staff only; null for customers and for automatic entries).', example: 3, nullable: true }) created_by: number | null;
  @ApiProperty({ description: 'When.', example: '2024-01-26T10:00:00+00:00' }) created_at: string;
}

export class CreditsView {
  @ApiProperty({ description: 'Programme account the ledger belongs to.', example: 12 }) account_id: number;
  @ApiProperty({ description: 'Store-credit balance: the sum of every entry.', example: 142 }) balance: number;
  @ApiProperty({ description: 'Entries on this page, newest first.', type: [CreditEntryView] }) entries: CreditEntryView[];
  @ApiProperty({ description: 'Number of entries in all (also in X-Total-Count).', example: 2 }) total_entries: number;
  @ApiProperty({ description: 'This page (`page`, 1-based).', example: 1 }) page: number;
  @ApiProperty({ description: 'Entries per page (`itemsPerPage`, ≤ 100).', example: 30 }) items_per_page: number;
}

export const creditEntryId = (id: number) => `cre_${id}`;

export function renderCreditEntry(e: CreditEntry, staff: boolean) {
  return {
    id: creditEntryId(e.id),
    kind: e.kind,
    amount: e.amount,
    balance_after: e.balanceAfter,
    reference: e.reference,
    external_reference: e.externalReference,
    reason: e.reason,
    submission_id: e.tradeInId === null ? null : submissionId(e.tradeInId),
    created_by: staff ? e.createdById : null,
    created_at: isoTimestamp(e.createdAt),
  };
}
