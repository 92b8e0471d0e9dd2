import { Get, Req } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Request } from 'express';
import { Collection, CollectionQuery } from '../../common/collection.decorator';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { ProgramCustomerView, StatsView } from './admin.dto';
import { AdminService, PROGRAM_CUSTOMER_SPEC } from './admin.service';

@ProgramController('Customer programme — admin', '/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('customers')
  @ProgramRoute('staff')
  @Doc('List programme customers', 'With their number of submissions; newest first; page, itemsPerPage.', { status: 200, type: [ProgramCustomerView], description: 'A page of customers.' })
  customers(@ProgramCaller() c: Caller, @Collection(PROGRAM_CUSTOMER_SPEC, { properties: false }) q: CollectionQuery) {
    return this.admin.customers(c, q);
  }

  @Get('stats')
  @ProgramRoute('staff')
  @ApiQuery({ name: 'from', required: false, description: 'Start (inclusive): a date (YYYY-MM-DD, UTC) or an ISO 8601 timestamp with a zone.', example: '2024-01-01' })
  @ApiQuery({ name: 'to', required: false, description: 'End: a date (the whole day included) or a timestamp (excluded).', example: '2024-01-31' })
  @Doc(
    'Dashboard statistics',
    'Computed by the database: submissions per status, offers per status (pending, accepted, declined, superseded, expired and withdrawn apart; a pending offer past its expiry counts as expired), acceptance rate, offer and credit totals and averages, median time between stages. from/to narrow them: submissions and their stage times by creation, offers by when they were made, credits by when they were issued.',
    { status: 200, type: StatsView, description: 'The figures.' },
    [[422, 'from or to is not a date or timestamp, or to is not after from.']],
  )
  stats(@Req() req: Request, @ProgramCaller() c: Caller) {
    return this.admin.stats(req, c);
  }
}
