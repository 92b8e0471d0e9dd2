import { Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { ProgramCustomerView, StatsView } from './admin.dto';
import { AdminService } from './admin.service';

@ProgramController('Customer programme — admin', '/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('customers')
  @ProgramRoute('staff')
  @Doc('List programme customers', 'With their number of submissions; newest first; page, itemsPerPage.', { status: 200, type: [ProgramCustomerView], description: 'A page of customers.' })
  customers(@Req() req: Request, @ProgramCaller() c: Caller) {
    return this.admin.customers(req, c);
  }

  @Get('stats')
  @ProgramRoute('staff')
  @Doc('Dashboard statistics', 'Computed by the database: submissions per status, offers, acceptance rate, offer and credit totals and averages, median time between stages.', {
    status: 200,
    type: StatsView,
    description: 'The figures.',
  })
  stats(@ProgramCaller() c: Caller) {
    return this.admin.stats(c);
  }
}
