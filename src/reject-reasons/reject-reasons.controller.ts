import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { knownOr404 } from '../common/not-found';
import { ApiItemDocs, ApiListDocs } from '../common/openapi.decorators';
import { ItemResult, ListResult } from '../common/responses';
import { RejectReason } from './reject-reason.entity';
import { RejectReasonsRepository } from './reject-reasons.repository';

export class RejectReasonView {
  @ApiProperty({ description: "Code to send as a trade-in's rejectReason.", example: 'price_too_low', type: String }) code: string;
  @ApiProperty({ description: 'IRI.', example: '/api/v3/reject-reasons/price_too_low', type: String }) iri: string;
  @ApiProperty({ description: 'Human label.', example: 'Customer found the offered price too low', type: String }) label: string;
  @ApiProperty({ description: 'Display order.', example: 1, type: Number }) position: number;
}

export const serializeRejectReason = (r: RejectReason) => ldNode('RejectReason', { code: r.code, iri: iriOf('reject-reasons', r.code), label: r.label, position: r.position });

@ApiTags('Reject reasons')
@Controller('api/v3/reject-reasons')
export class RejectReasonsController {
  constructor(private readonly reasons: RejectReasonsRepository) {}

  @Get()
  @ApiOperation({ summary: 'List reject reasons', description: "Read-only catalogue of the codes accepted as a trade-in's `rejectReason` (shared by all tenants)." })
  @ApiListDocs(RejectReasonView)
  async list() {
    return new ListResult('RejectReason', (await this.reasons.all()).map(serializeRejectReason));
  }

  @Get(':code')
  @ApiOperation({ summary: 'Get a reject reason', description: 'One reason of the catalogue by its code.' })
  @ApiItemDocs(RejectReasonView)
  async get(@Param('code') code: string) {
    const row = /^[a-z0-9_]{1,64}$/.test(code) ? await this.reasons.byCode(code) : null;
    return new ItemResult(serializeRejectReason(knownOr404(row, 'Reject reason', code)));
  }
}
