import { Body, Get, HttpCode, Param, Post, Put, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiParam, ApiProduces, ApiQuery } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../common/principal';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { ShipmentView, ShippingSettingsInput, ShippingSettingsView, TrackingInput } from './shipping.dto';
import { ShippingService } from './shipping.service';

const SETTINGS_EXAMPLE = {
  facility: { name: 'Proign Trade-in Centre', line1: 'Peterburi tee 2', postcode: '11415', city: 'Tallinn', country: 'EE' },
  default_method: 'shipping_kit',
  default_carrier: 'DHL',
  provider: 'integration',
};

/** The tenant's shipping configuration and the fulfilment system's tracking updates (staff). */
@ProgramController('Customer programme — admin', '/admin')
export class ShippingAdminController {
  constructor(private readonly shipping: ShippingService) {}

  @Get('shipping')
  @ProgramRoute('staff')
  @Doc(
    'Shipping configuration',
    'The facility items are sent to, the method acceptance orders, the default carrier and the provider. Until configured: provider manual, default_method shipping_kit, no carrier, no facility (configured: false; kit orders wait for the facility).',
    { status: 200, type: ShippingSettingsView, description: 'The configuration.' },
  )
  shippingSettings(@ProgramCaller() c: Caller) {
    return this.shipping.getSettings(c);
  }

  @Put('shipping')
  @Roles('admin')
  @ProgramRoute('staff')
  @Doc(
    'Change the shipping configuration (admin)',
    'Replaces it whole. Kit orders waiting for the facility address are ordered now, with the provider given here.',
    { status: 200, type: ShippingSettingsView, description: 'The configuration.' },
    [[422, 'Invalid or missing fields (every violation listed).']],
  )
  @ApiBody({ type: ShippingSettingsInput, examples: { integration: { summary: 'A fulfilment partner ships the kits', value: SETTINGS_EXAMPLE } } })
  putShippingSettings(@ProgramCaller() c: Caller, @Body() input: ShippingSettingsInput) {
    return this.shipping.putSettings(c, input);
  }

  @Post('shipments/:id/tracking')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ProgramRoute('staff')
  @ApiParam({ name: 'id', description: 'Shipment id (shp_7 or 7), from the kit order webhook or the submission.', example: 'shp_7' })
  @Doc(
    'Report a carrier update (fulfilment system)',
    "A carrier or fulfilment update of a shipment, sent with a staff key (admin or manager) — the fulfilment system's. Idempotent by event_id: an id already recorded changes nothing. shipped (or delivered) of a kit order ships the submission (history and submission.shipped); every new update records submission.tracking_updated. A status the shipment is past is recorded but does not move it back.",
    { status: 200, type: ShipmentView, description: 'The shipment as it is now.' },
    [
      [409, 'The shipment is still waiting for an address, or was cancelled.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: TrackingInput })
  track(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() input: TrackingInput) {
    return this.shipping.track(c, id, input);
  }
}

/** The printable label of a submission's shipment. */
@ProgramController('Customer programme — submissions and offers')
export class ShippingController {
  constructor(private readonly shipping: ShippingService) {}

  @Get('submissions/:id/label')
  @ProgramRoute('customer', 'staff')
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @ApiQuery({
    name: 'direction',
    required: false,
    enum: ['outbound', 'return'],
    description: 'outbound (default): the kit order’s label, from the customer to the facility; return: from the facility to the customer.',
  })
  @ApiProduces('application/pdf')
  @Doc(
    'Printable shipping label (PDF)',
    "An A6 PDF with the sender's and the recipient's address and a Code 128 barcode of the submission id. For the submission's customer (others: 404) and the tenant's staff.",
    { status: 200, description: 'The label (application/pdf).' },
    [
      [400, 'direction is not outbound or return.'],
      [409, 'The shipment waits for an address, or was cancelled.'],
    ],
  )
  async label(@ProgramCaller() c: Caller, @Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { pdf, filename } = await this.shipping.label(c, id, req);
    res.setHeader('Cache-Control', 'private, no-cache');
    return new StreamableFile(pdf, { type: 'application/pdf', length: pdf.length, disposition: `inline; filename="${filename}"` });
  }
}
