import { Body, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { Collection, CollectionQuery } from '../../common/collection.decorator';
import { Roles } from '../../common/principal';
import { OptionalBody } from '../../common/validation.pipe';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { CompleteInput, InspectInput, RejectInput, ShipInput, SubmissionInput, SubmissionView, WithdrawInput } from './submissions.dto';
import { LogisticsService } from './logistics.service';
import { SUBMISSION_SPEC, SubmissionsService } from './submissions.service';
import { ShippingService } from '../shipping/shipping.service';

const SUBMISSION_EXAMPLE = { product_id: 'prod_123', serial_number: 'SN-12345678', condition: 'good', description: 'Minor scratches on grip', photos: ['photo_abc', 'photo_def'] };

@ProgramController('Customer programme — submissions and offers')
export class SubmissionsController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly logistics: LogisticsService,
    private readonly shipping: ShippingService,
  ) {}

  @Get('submissions')
  @ProgramRoute('customer', 'staff')
  @Doc(
    'List submissions',
    "Customers see their own; staff (X-API-Key) see all of the tenant's. Newest first; `page`, `itemsPerPage` (≤ 100) and `status` (programme status, repeatable as status[]) as for every collection. Totals in X-Total-Count, page links in Link.",
    { status: 200, type: [SubmissionView], description: 'A page of submissions.' },
    [[400, 'Bad page, itemsPerPage or status.']],
  )
  list(@ProgramCaller() c: Caller, @Collection(SUBMISSION_SPEC, { properties: false }) q: CollectionQuery) {
    return this.submissions.list(c, q);
  }

  @Post('submissions')
  @ProgramRoute('customer')
  @Doc(
    'Create a submission (draft)',
    "A submission is a trade-in (status not_done; the customer is the account's customer record; description → note; serial_number kept as is and, when it is a VIN, also vehicleModel.vinCode; product_id → a valuation whose make/model fill the vehicle). Photos must be the caller's uploads. The automatic quote is computed at once.",
    { status: 201, type: SubmissionView, description: 'Created; Location is its URL.' },
    [[422, 'Invalid fields, unknown photos or location (violations name them).']],
  )
  @ApiBody({ type: SubmissionInput, examples: { document: { summary: "The document's example", value: SUBMISSION_EXAMPLE } } })
  create(@ProgramCaller() c: Caller, @Body() input: SubmissionInput) {
    return this.submissions.create(c, input);
  }

  @Get('submissions/:id')
  @ProgramRoute('customer', 'staff')
  @ApiParam({ name: 'id', description: 'Submission id (sub_123 or 123).', example: 'sub_123' })
  @Doc('Get a submission', 'Also visible, as the same trade-in, at /api/v3/trade-ins/{id} (field `program`).', { status: 200, type: SubmissionView, description: 'The submission.' })
  get(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.submissions.get(c, id);
  }

  @Put('submissions/:id')
  @ProgramRoute('customer')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Update a draft submission',
    'Only the fields sent change (null clears); `photos`, when sent, becomes the list of attached photos. Only drafts can change (409 otherwise).',
    { status: 200, type: SubmissionView, description: 'Updated.' },
    [
      [409, 'Not a draft any more.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: SubmissionInput })
  update(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() input: SubmissionInput) {
    return this.submissions.update(c, id, input);
  }

  @Post('submissions/:id')
  @HttpCode(200)
  @ProgramRoute('customer')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Submit for review',
    "draft → submitted (trade-in not_done → ready_for_appraisal, same requirements: condition, make, model, first_registration_date, mileage, serial_number or reg_nr, location_id when the dealer has several locations; a catalogued product_id stands in for make, model, first_registration_date and mileage) and the tenant's photo requirements (GET photo-requirements: each missing angle as `photos.{angle}`, a shortfall as `photos`), all in one 422. Repeating it is a no-op.",
    { status: 200, type: SubmissionView, description: 'Submitted.' },
    [
      [409, 'Not a draft.'],
      [422, 'Missing information or photos (violations name each).'],
    ],
  )
  submit(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.submissions.submit(c, id);
  }

  @Post('submissions/:id/withdraw')
  @HttpCode(200)
  @ProgramRoute('customer')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Withdraw a submission (customer)',
    'A draft, submitted or offered submission ends: pending offers become withdrawn, the submission declined (trade-in no_deal, rejectReason customer_withdrew), withdrawn_at set. Not after an offer was accepted (409).',
    { status: 200, type: SubmissionView, description: 'Withdrawn.' },
    [
      [409, 'Accepted already (or later), or already withdrawn or declined.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: WithdrawInput, required: false })
  withdraw(@ProgramCaller() c: Caller, @Param('id') id: string, @OptionalBody(WithdrawInput) input: WithdrawInput) {
    return this.submissions.withdraw(c, id, input);
  }

  @Post('submissions/:id/ship')
  @HttpCode(200)
  @ProgramRoute('customer', 'staff')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Ship (kit or return label)',
    'accepted → shipped (trade-in purchase_agreement → shipped), with the carrier and tracking number given; the kit order becomes shipped (cancelled for drop_off). The owner or staff (admin, manager). With the integration provider (admin/shipping) the carrier update ships it and customers may only declare a drop_off.',
    { status: 200, type: SubmissionView, description: 'Shipped.' },
    [
      [409, 'Not accepted yet, already shipped, or the fulfilment partner tracks this shipment.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: ShipInput })
  ship(@ProgramCaller() c: Caller, @Param('id') id: string, @OptionalBody(ShipInput) input: ShipInput) {
    return this.shipping.ship(c, id, input);
  }

  @Post('submissions/:id/receive')
  @HttpCode(200)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc('Mark as received (staff)', 'shipped → received.', { status: 200, type: SubmissionView, description: 'Received.' }, [[409, 'Not shipped, or already received.']])
  receive(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.logistics.receive(c, id);
  }

  @Post('submissions/:id/inspect')
  @HttpCode(200)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Inspect (staff)',
    "received → inspected: records the grade found and the final value, which also becomes the trade-in's purchasePrice. Without final_value: the accepted offer when the grade is the declared one, else offer × modifier(found) ÷ modifier(declared), in exact cents. A final value below the accepted offer sends the customer a revised offer (kind revised, the tenant's validity) to accept or decline.",
    { status: 200, type: SubmissionView, description: 'Inspected.' },
    [
      [409, 'Not received, or already inspected.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: InspectInput })
  inspect(@ProgramCaller() c: Caller, @Param('id') id: string, @OptionalBody(InspectInput) input: InspectInput) {
    return this.logistics.inspect(c, id, input);
  }

  @Post('submissions/:id/complete')
  @HttpCode(200)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Complete and issue the credit (staff)',
    "inspected → completed: issues the final value once and only once (a second call → 409) to the customer's credit ledger (GET /credits): an `issue` entry, and for credit_type refund also a `refund` entry paying it out, with `reference` as its external reference. Refused while a revised offer waits for the customer's answer.",
    { status: 200, type: SubmissionView, description: 'Completed.' },
    [
      [409, 'Not inspected, already completed, or a revised offer pending (or ended unaccepted).'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: CompleteInput })
  complete(@ProgramCaller() c: Caller, @Param('id') id: string, @OptionalBody(CompleteInput) input: CompleteInput) {
    return this.logistics.complete(c, id, input);
  }

  @Post('submissions/:id/reject')
  @HttpCode(200)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Reject (staff)',
    'Ends a submitted, offered, accepted, shipped, received or inspected submission with a reason: pending offers become withdrawn, the submission declined (trade-in no_deal, rejectReason as given, default vehicle_condition). When the item was already sent (shipped, received, inspected) its return to the customer is requested (return_requested_at); the kit order of an accepted submission that has not shipped is cancelled (its label and carrier updates then answer 409).',
    { status: 200, type: SubmissionView, description: 'Rejected.' },
    [
      [409, 'A draft, or already completed or declined.'],
      [422, 'Missing reason or unknown reject_reason.'],
    ],
  )
  @ApiBody({ type: RejectInput })
  reject(@ProgramCaller() c: Caller, @Param('id') id: string, @OptionalBody(RejectInput) input: RejectInput) {
    return this.logistics.reject(c, id, input);
  }
}
