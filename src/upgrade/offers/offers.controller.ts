import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { Roles } from '../../common/principal';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { OfferInput, OfferResponseInput, OfferView } from './offers.dto';
import { OffersService } from './offers.service';

const OFFER_EXAMPLE = { submission_id: 'sub_123', amount: 350.0, notes: 'Based on good condition assessment', expires_at: '2024-02-01T00:00:00Z' };

@ProgramController('Customer programme — submissions and offers')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Post('offers')
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @Doc(
    'Create an offer (admin)',
    'On a submitted or offered submission. The amount becomes the trade-in purchasePrice; the trade-in moves through done to sent_to_customer (a pending earlier offer is superseded). The answer shows the automatic quote (quoted_value). An expires_at in the past is accepted, but such an offer cannot be accepted.',
    { status: 201, type: OfferView, description: 'Created; Location is its URL.' },
    [
      [409, 'The submission is not awaiting an offer.'],
      [422, 'Invalid fields or incomplete vehicle data.'],
    ],
  )
  @ApiBody({ type: OfferInput, examples: { document: { summary: "The document's example", value: OFFER_EXAMPLE } } })
  createOffer(@ProgramCaller() c: Caller, @Body() input: OfferInput) {
    return this.offers.createOffer(c, input);
  }

  @Get('offers')
  @ProgramRoute('customer', 'staff')
  @Doc('List offers', 'Customers see only offers on their own submissions (newest first, at most 500).', { status: 200, type: [OfferView], description: 'The offers.' })
  listOffers(@ProgramCaller() c: Caller) {
    return this.offers.listOffers(c);
  }

  @Get('offers/:id')
  @ProgramRoute('customer', 'staff')
  @ApiParam({ name: 'id', description: 'Offer id (off_7 or 7).', example: 'off_7' })
  @Doc('Get an offer', 'Customers: only their own.', { status: 200, type: OfferView, description: 'The offer.' })
  getOffer(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.offers.getOffer(c, id);
  }

  @Post('offers/:id')
  @HttpCode(200)
  @ProgramRoute('customer')
  @ApiParam({ name: 'id', description: 'Offer id.', example: 'off_7' })
  @Doc(
    'Accept or decline an offer (customer)',
    'accept: offered → accepted (trade-in purchase_agreement); 409 when the offer has expired. decline: → declined (trade-in no_deal, rejectReason price_too_low, the reason in rejectReasonMetaText and on the offer).',
    { status: 200, type: OfferView, description: 'Answered.' },
    [
      [409, 'Expired, already answered or superseded.'],
      [422, 'Invalid action.'],
    ],
  )
  @ApiBody({ type: OfferResponseInput })
  respond(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() input: OfferResponseInput) {
    return this.offers.respond(c, id, input);
  }
}
