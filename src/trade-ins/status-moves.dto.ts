import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ViolationView } from '../common/openapi.decorators';
import { STATUS_ROUTE_SLUGS, TRADE_IN_STATUS_VALUES } from './trade-in.statuses';
import { StatusChangeView } from './trade-in.views';

export class StatusMoveView {
  @ApiProperty({ description: 'The status route of the move: `PATCH /api/v3/trade-ins/{id}/status/{slug}`.', enum: STATUS_ROUTE_SLUGS as string[], example: 'ready-for-appraisal' })
  slug: string;

  @ApiProperty({ description: 'The status the move enters.', enum: TRADE_IN_STATUS_VALUES as string[], example: 'ready_for_appraisal' })
  status: string;

  @ApiProperty({
    description: 'Entry requirements the trade-in does not meet now (the 422 violations the move would get); empty when the move would succeed as the trade-in stands.',
    type: [ViolationView],
  })
  unmet: ViolationView[];

  @ApiProperty({ description: 'Fields the move takes in its body (no-deal: the reject reason).', type: [String], example: [] })
  takes: string[];
}

export class StatusMovesView {
  @ApiProperty({ description: 'IRI of this list.', example: '/api/v3/trade-ins/123/status-moves', type: String }) iri: string;
  @ApiProperty({ description: 'The trade-in.', example: '/api/v3/trade-ins/123', type: String }) tradeIn: string;
  @ApiProperty({ description: 'Its current status.', example: 'not_done', type: String }) status: string;
  @ApiProperty({ description: 'Every move the status machine allows from the current status through this API, in the order of the machine.', type: [StatusMoveView] })
  moves: StatusMoveView[];
  @ApiPropertyOptional({ description: 'The move that made the current status, with its actor (the last entry of /history).', type: StatusChangeView, nullable: true })
  lastChange: StatusChangeView | null;
}
