import { Get, Put } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { Roles } from '../../common/principal';
import { OptionalBody } from '../../common/validation.pipe';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { OfferSettingsInput, OfferSettingsView } from './offers.dto';
import { OfferSettingsService } from './offer-settings.service';

@ProgramController('Customer programme — admin', '/admin')
export class OfferSettingsController {
  constructor(private readonly settings: OfferSettingsService) {}

  @Get('offer-settings')
  @ProgramRoute('staff')
  @Doc(
    'Offer settings',
    'Whether customers see the automatic quote, the default validity of offers, and automatic offers at submit (percent of the quote, validity). Defaults: quote hidden, offers open 14 days, no automatic offers.',
    { status: 200, type: OfferSettingsView, description: 'The settings.' },
  )
  getOfferSettings(@ProgramCaller() c: Caller) {
    return this.settings.get(c);
  }

  @Put('offer-settings')
  @Roles('admin', 'manager')
  @ProgramRoute('staff')
  @Doc('Change offer settings', 'Only the fields sent change. Offers already made keep their expiry.', { status: 200, type: OfferSettingsView, description: 'The settings.' }, [
    [422, 'Invalid values.'],
  ])
  @ApiBody({
    type: OfferSettingsInput,
    examples: { auto: { summary: 'Automatic offers at 90 % of the quote, open 7 days', value: { quote_visible: true, auto_offer_percent: 90, auto_offer_validity_days: 7 } } },
  })
  putOfferSettings(@ProgramCaller() c: Caller, @OptionalBody(OfferSettingsInput) input: OfferSettingsInput) {
    return this.settings.put(c, input);
  }
}
