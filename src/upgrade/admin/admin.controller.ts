import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../auth/principal';
import { IgnoresAccept } from '../../common/media-types.guard';
import { Doc, STAFF } from '../program.docs';
import { Audiences, Caller, ProgramCaller, ProgramGuard } from '../program.guard';
import { ProgramCustomerView, StatsView } from './admin.dto';
import { AdminService } from './admin.service';

@ApiTags('Customer programme — admin')
@Public()
@IgnoresAccept()
@UseGuards(ProgramGuard)
@Audiences('staff')
@Controller('api/:tenant/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('customers')
  @STAFF()
  @Doc('List programme customers', 'With their number of submissions; newest first; page, itemsPerPage.', { status: 200, type: [ProgramCustomerView], description: 'A page of customers.' })
  customers(@Req() req: Request, @ProgramCaller() c: Caller) {
    return this.admin.customers(req, c);
  }

  @Get('stats')
  @STAFF()
  @Doc('Dashboard statistics', 'Computed by the database: submissions per status, offers, acceptance rate, offer and credit totals and averages, median time between stages.', {
    status: 200,
    type: StatsView,
    description: 'The figures.',
  })
  stats(@ProgramCaller() c: Caller) {
    return this.admin.stats(c);
  }
}
