import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Auth, Principal, Roles } from '../common/principal';
import { PropertyTree } from '../common/collection';
import { Collection, CollectionQuery, Properties } from '../common/collection.decorator';
import { BodyOptional } from '../common/media-types.guard';
import { ApiCollectionDocs, ApiPropertiesQuery, ApiItemDocs, ApiListDocs, ApiParentNotFound, ApiWriteDocs } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { AppraisalView } from './appraisal.dto';
import { STATUS_ROUTE_SLUGS } from './trade-in.statuses';
import { StatusMoveBody } from './status-move.body';
import { StatusMovesView } from './status-moves.dto';
import { NoDealInput, TradeInInput } from './trade-in.dto';
import { StatusChangeView, TradeInView } from './trade-in.views';
import { TRADE_IN_SPEC } from './trade-in.collection';
import { TradeInQueries } from './trade-in-queries.service';
import { TradeInsService } from './trade-ins.service';

const MINIMAL = { vehicleModel: { make: 'Volkswagen', model: 'Golf', firstRegistrationDate: '2020-02-20' }, customerAskingPrice: 9500 };
const COMPLETE = {
  customer: '/api/v3/customers/214154',
  dealership: '/api/v3/locations/4',
  vehicleModel: {
    make: 'Volkswagen',
    model: 'Golf',
    regNr: '890ZXC',
    mileage: 35000,
    firstRegistrationDate: '2020-02-20',
    vehicleType: 'PC',
    bodyType: 'Hatchback',
    color: 'Black',
    fuel: 'Petrol',
    engineType: 'Hybrid',
    cylinderCapacityCm3: 1600,
    drivetrainType: 'AWD',
    transmissionType: 'Automatic',
    maxPowerKw: 120,
  },
  debtInfo: { amount: 2500, bank: 'Popular Leasing' },
  customerAskingPrice: 9500,
};

@ApiTags('Trade-ins')
@Controller('api/v3/trade-ins')
export class TradeInsController {
  constructor(
    private readonly tradeIns: TradeInsService,
    private readonly queries: TradeInQueries,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List trade-ins',
    description:
      'Most recently added first. Filters may also be sent as a form-encoded GET body (`curl -X GET -d status[]=done ...`). ' +
      'Example: `?order[updatedAt]=DESC&status[]=done&status[]=sent_to_customer&properties[]=id&properties[]=status&properties[vehicleModel][]=regNr`.',
  })
  @ApiCollectionDocs(TradeInView, TRADE_IN_SPEC, { propertiesExample: ['id', 'status', 'purchasePrice'] })
  list(@Auth() p: Principal, @Collection(TRADE_IN_SPEC) q: CollectionQuery) {
    return this.queries.list(p, q);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a trade-in',
    description:
      'Little is required. Relations are IRIs (create the customer first). Avoid setting `status` on creation: it applies the strict entry requirements. ' +
      'Pictures and comments are added through their own routes.',
  })
  @ApiBody({ type: TradeInInput, examples: { minimal: { summary: 'Super minimalistic', value: MINIMAL }, complete: { summary: 'A bit more complete', value: COMPLETE } } })
  @ApiWriteDocs(TradeInView, 201)
  create(@Req() req: Request, @Auth() p: Principal, @Body() body: TradeInInput) {
    return this.tradeIns.create(req, p, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a trade-in', description: 'Supports `properties[]` like the collection.' })
  @ApiPropertiesQuery(['id', 'status', 'purchasePrice'])
  @ApiItemDocs(TradeInView)
  get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Properties() properties: PropertyTree | null) {
    return this.queries.get(p, id, properties);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a trade-in (merge patch)',
    description:
      'Only the fields sent change; null clears a nullable field. A `status` goes through the status machine. ' +
      'In done, sent_to_customer and purchase_agreement only vehicleModel.vinCode may change (422 per locked field).',
  })
  @ApiBody({ type: TradeInInput, examples: { note: { summary: 'Change the note and mileage', value: { note: 'New tires fitted', vehicleModel: { mileage: 36000 } } } } })
  @ApiWriteDocs(TradeInView, 200)
  patch(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() body: TradeInInput) {
    return this.tradeIns.patch(req, p, id, body);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a trade-in (admin)', description: 'Also deletes its history, pictures and comments.' })
  @ApiWriteDocs(null, 204)
  remove(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.tradeIns.remove(req, p, id);
  }

  @Patch(':id/status/:slug')
  @ApiOperation({
    summary: 'Change the status',
    description:
      'Slugs → statuses: draft → not_done, ready-for-appraisal → ready_for_appraisal, done, sent-to-customer → sent_to_customer, ' +
      'purchase-agreement → purchase_agreement, no-deal → no_deal (body: rejectReason, rejectReasonMetaText). ' +
      'Allowed: draft → ready → done → sent → agreement; ready → draft; done → draft; sent → done; any → no_deal; no_deal → draft. ' +
      '409 for other moves; 422 lists unmet requirements; a move to the current status is a no-op 200.',
  })
  @ApiParam({ name: 'slug', enum: STATUS_ROUTE_SLUGS as string[], description: 'Target status route.' })
  @ApiBody({ type: NoDealInput, required: false, description: 'Only for no-deal.' })
  @BodyOptional()
  @ApiWriteDocs(TradeInView, 200)
  status(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Param('slug') slug: string, @StatusMoveBody() reason: NoDealInput | undefined) {
    return this.tradeIns.changeStatus(req, p, id, slug, reason);
  }

  @Get(':id/appraisal')
  @ApiOperation({
    summary: 'Appraisal maths',
    description:
      'From the stored marketPrice, daysToSale, dailyDepreciationRate, margin and refurbishCostEstimate: ' +
      'depreciation = marketPrice × dailyDepreciationRate% × daysToSale (≤ marketPrice); marketValueOnSalesDay = marketPrice − depreciation; ' +
      'marginAmount = marketValueOnSalesDay × margin%; suggestedPurchasePrice = marketValueOnSalesDay − marginAmount − refurbishCostEstimate (≥ 0). ' +
      'Exact decimal arithmetic (integer cents, half up). Results needing a missing input are null and `missing` names it.',
  })
  @ApiItemDocs(AppraisalView)
  appraisal(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.queries.appraisal(p, id);
  }

  @Get(':id/status-moves')
  @ApiOperation({
    summary: 'Allowed status moves',
    description:
      'The status routes this API may take from the current status (the status machine, less the moves only the programme makes), ' +
      'each with the entry requirements the trade-in does not meet now. For clients that offer the moves as buttons; the move itself checks again.',
  })
  @ApiItemDocs(StatusMovesView)
  statusMoves(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.queries.statusMoves(p, id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Status history', description: 'Every status change: from, to, who, when, and the reject reason for no_deal. The first entry (from null) is the creation.' })
  @ApiListDocs(StatusChangeView)
  @ApiParentNotFound('The trade-in')
  history(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.queries.history(p, id);
  }
}
