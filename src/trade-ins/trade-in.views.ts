import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { CustomerView } from '../customers/customer.dto';
import { LocationView } from '../locations/location.dto';
import { ACTOR_KINDS } from './trade-in.entity';
import { TRADE_IN_STATUS_VALUES } from './trade-in.statuses';
import { AccidentInput, ConditionInput, DebtInfoInput, TradeInInput, VehicleModelInput } from './trade-in.dto';

/** Read models of the nested objects: the same fields as the input, documented as closed (see closeViews). */
export class AccidentView extends AccidentInput {}
export class VehicleModelView extends VehicleModelInput {
  @ApiPropertyOptional({ description: 'Known accidents.', type: [AccidentView], nullable: true }) declare accidents: AccidentView[] | null;
}
export class ConditionView extends ConditionInput {}
export class DebtInfoView extends DebtInfoInput {}

export class UserRefView {
  @ApiProperty({ description: 'User id.', example: 7, type: Number }) id: number;
  @ApiProperty({ description: 'User IRI.', example: '/api/v3/users/7', type: String }) iri: string;
  @ApiProperty({ description: 'Display name.', example: 'Sales Manager', type: String }) name: string;
  @ApiProperty({ description: 'E-mail.', example: 'sales.manager@dealer.example', type: String }) email: string;
}

/** The trade-in as read (relations embedded, read-only fields present). */
export class TradeInView extends OmitType(TradeInInput, ['customer', 'dealership', 'status'] as const) {
  @ApiProperty({ description: 'Unique numeric id.', example: 1233, type: Number }) id: number;
  @ApiProperty({ description: 'IRI.', example: '/api/v3/trade-ins/1233', type: String }) iri: string;
  @ApiProperty({ description: 'Entity status.', enum: TRADE_IN_STATUS_VALUES as string[], example: 'not_done' }) status: string;
  @ApiPropertyOptional({ description: 'The attached customer, embedded.', type: CustomerView, nullable: true }) customer: CustomerView | null;
  @ApiPropertyOptional({ description: 'The dealership (location), embedded.', type: LocationView, nullable: true }) dealership: LocationView | null;
  @ApiProperty({ description: 'The vehicle (18 fields).', type: VehicleModelView }) declare vehicleModel: VehicleModelView;
  @ApiProperty({ description: 'Condition flags.', type: ConditionView }) declare condition: ConditionView;
  @ApiProperty({ description: 'Outstanding debt.', type: DebtInfoView }) declare debtInfo: DebtInfoView;
  @ApiProperty({ description: 'Creation timestamp (ISO 8601).', example: '2022-02-22T11:55:22+00:00', type: String }) createdAt: string;
  @ApiPropertyOptional({ description: 'Creator.', type: UserRefView, nullable: true }) createdBy: UserRefView | null;
  @ApiProperty({ description: 'Last update timestamp.', example: '2022-02-23T09:00:00+00:00', type: String }) updatedAt: string;
  @ApiPropertyOptional({ description: 'Last modifier.', type: UserRefView, nullable: true }) updatedBy: UserRefView | null;
  @ApiPropertyOptional({ description: 'When the appraisal report was signed (entering done).', example: '2022-02-24T10:00:00+00:00', nullable: true, type: String }) reportSignedAt: string | null;
  @ApiPropertyOptional({ description: 'Who signed the report.', type: UserRefView, nullable: true }) reportSignedBy: UserRefView | null;
  @ApiPropertyOptional({ description: 'Who marked the trade-in done.', type: UserRefView, nullable: true }) doneBy: UserRefView | null;
  // Fields of the add-ons (TRADE_IN_VIEW_FIELDS, trade-in.extensions.ts) follow, documented on this class by the add-on that fills them (the programme's `program`).
}

export class StatusChangeActorView {
  @ApiProperty({
    description: 'user: a staff user (API key or staff session); customer: a customer through the customer programme (/api/{tenant}/...); system: a scheduled job (e.g. offer expiry).',
    enum: ACTOR_KINDS,
    example: 'customer',
  })
  kind: string;
  @ApiPropertyOptional({ description: 'The staff user (kind user).', example: null, nullable: true, type: String }) user: string | null;
  @ApiPropertyOptional({ description: 'The customer (kind customer): the dealer-side customer record of the programme account.', example: '/api/v3/customers/214154', nullable: true, type: String })
  customer: string | null;
  @ApiPropertyOptional({ description: 'The job (kind system).', example: null, nullable: true, type: String }) job: string | null;
}

export class StatusChangeView {
  @ApiProperty({ description: 'Id of the history entry.', example: 12, type: Number }) id: number;
  @ApiProperty({ description: 'IRI of the history entry.', example: '/api/v3/trade-ins/1233/history/12', type: String }) iri: string;
  @ApiPropertyOptional({ description: 'Previous status (null for the creation entry).', enum: TRADE_IN_STATUS_VALUES as string[], example: 'ready_for_appraisal', nullable: true }) from: string | null;
  @ApiProperty({ description: 'New status.', enum: TRADE_IN_STATUS_VALUES as string[], example: 'done' }) to: string;
  @ApiPropertyOptional({ description: 'The staff user who changed it (null when a customer or a system job did: see actor).', type: UserRefView, nullable: true }) changedBy: UserRefView | null;
  @ApiPropertyOptional({
    description: 'Who made the move, whatever kind: a staff user, a programme customer or a system job. Null only for moves recorded before actors were (none in a fresh installation).',
    type: StatusChangeActorView,
    nullable: true,
  })
  actor: StatusChangeActorView | null;
  @ApiProperty({ description: 'When.', example: '2022-02-24T10:00:00+00:00', type: String }) changedAt: string;
  @ApiPropertyOptional({ description: 'Reject reason (no_deal only).', example: 'price_too_low', nullable: true, type: String }) rejectReason: string | null;
  @ApiPropertyOptional({ description: 'Reject reason text (no_deal only).', example: 'Customer expects 12 000', nullable: true, type: String }) rejectReasonMetaText: string | null;
}
