import { Body, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiParam, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../../common/principal';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { CreditEntryInput, CreditEntryView, CreditsView } from './credits.dto';
import { CreditsService } from './credits.service';

const PAGE = ApiQuery({ name: 'page', required: false, description: 'Page of entries (1-based).', example: 1 });
const PER_PAGE = ApiQuery({ name: 'itemsPerPage', required: false, description: 'Entries per page (≤ 100, default 30).', example: 30 });
const ACCOUNT = ApiParam({ name: 'id', description: 'Programme customer (account) id, as in admin/customers.', example: '12' });

@ProgramController('Customer programme — credits')
export class CreditsController {
  constructor(private readonly credits: CreditsService) {}

  @Get('credits')
  @ProgramRoute('customer')
  @PAGE
  @PER_PAGE
  @Doc(
    'My store credit',
    'The balance and the ledger entries (newest first): credit issued by completed submissions, spent, adjusted or refunded. Paged by page and itemsPerPage; the number of entries also in X-Total-Count.',
    { status: 200, type: CreditsView, description: 'Balance and a page of entries.' },
    [[400, 'Bad page or itemsPerPage.']],
  )
  mine(@Req() req: Request, @ProgramCaller() c: Caller) {
    return this.credits.mine(req, c);
  }

  @Get('admin/customers/:id/credits')
  @ProgramRoute('staff')
  @ACCOUNT
  @PAGE
  @PER_PAGE
  @Doc('A customer’s store credit (staff)', 'As the customer sees it, with who recorded each entry.', { status: 200, type: CreditsView, description: 'Balance and a page of entries.' }, [
    [400, 'Bad page or itemsPerPage.'],
  ])
  ofAccount(@Req() req: Request, @ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.credits.ofAccount(req, c, id);
  }

  @Post('admin/customers/:id/credits')
  @HttpCode(201)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ACCOUNT
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes the request safe to retry: the same key and request → 200 with the entry already recorded; the key with another request → 422.',
  })
  @Doc(
    'Record a spend, adjustment or refund (staff)',
    'Appends an entry to the customer’s ledger: spend and refund take a positive amount from the balance, adjust adds or takes (reason required); refunds need the payout’s external_reference. The balance never goes below 0.',
    { status: 201, type: CreditEntryView, description: 'Recorded (200 when an Idempotency-Key retry returns the entry already recorded).' },
    [
      [400, 'Malformed Idempotency-Key.'],
      [422, 'Invalid fields, more than the balance, or an Idempotency-Key already used for another request.'],
    ],
  )
  @ApiResponse({
    status: 200,
    description: 'An Idempotency-Key retry: the entry already recorded, nothing new.',
    content: { 'application/json': { schema: { $ref: getSchemaPath(CreditEntryView) } } },
  })
  @ApiBody({ type: CreditEntryInput, examples: { spend: { summary: 'Credit used in the store', value: { kind: 'spend', amount: 120.5, reference: 'ORD-2024-0042' } } } })
  record(@Req() req: Request, @ProgramCaller() c: Caller, @Param('id') id: string, @Body() input: CreditEntryInput) {
    return this.credits.record(req, c, id, input);
  }
}
