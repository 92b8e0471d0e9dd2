import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { EVENT_TYPES } from '../database/outbox';

const TYPE_LIST = `one of ${EVENT_TYPES.join(', ')}`;

export class WebhookInput {
  @ApiProperty({
    description: 'Where events are POSTed: an http(s) URL on the public internet (private, loopback and link-local targets are refused unless the server allows them).',
    example: 'https://dms.dealer.example/hooks/trade-ins',
    maxLength: 2048,
    type: String,
  })
  @IsString({ message: 'url must be an http(s) URL' })
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ description: 'The event types to receive; empty or absent: every type.', example: ['trade_in.status_changed', 'offer.accepted'], enum: EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray({ message: 'eventTypes must be an array of event types' })
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `each of eventTypes must be ${TYPE_LIST}` })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'false: nothing is delivered (events meanwhile are not kept for it). Default true.', example: true, type: Boolean })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'A note to recognise the subscription by.', example: 'DMS production', maxLength: 500, type: String, nullable: true })
  @ValidateIf((o: WebhookInput) => o.description !== undefined && o.description !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class WebhookPatch {
  @ApiPropertyOptional({ description: 'New target URL (checked as on creation).', example: 'https://dms.dealer.example/hooks/v2', maxLength: 2048, type: String })
  @ValidateIf((o: WebhookPatch) => o.url !== undefined)
  @IsString({ message: 'url must be an http(s) URL' })
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ description: 'The event types to receive; empty: every type.', example: ['trade_in.created'], enum: EVENT_TYPES, isArray: true })
  @ValidateIf((o: WebhookPatch) => o.eventTypes !== undefined)
  @IsArray({ message: 'eventTypes must be an array of event types' })
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `each of eventTypes must be ${TYPE_LIST}` })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'true re-enables a disabled subscription (its failure count starts again; deliveries still pending resume).', example: true, type: Boolean })
  @ValidateIf((o: WebhookPatch) => o.enabled !== undefined)
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'A note to recognise the subscription by.', example: 'DMS staging', maxLength: 500, type: String, nullable: true })
  @ValidateIf((o: WebhookPatch) => o.description !== undefined && o.description !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class RotateInput {
  @ApiPropertyOptional({
    description: 'Seconds the previous secret keeps signing (both signatures are sent meanwhile); default WEBHOOK_ROTATION_OVERLAP_SECONDS (a day). 0 ends it at once.',
    example: 3600,
    minimum: 0,
    maximum: 604800,
    type: Number,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(604_800)
  overlapSeconds?: number;
}

export class WebhookView {
  @ApiProperty({ description: 'Numeric identifier.', example: 4, type: Number }) id: number;
  @ApiProperty({ description: 'IRI.', example: '/api/v3/webhooks/4', type: String }) iri: string;
  @ApiProperty({ description: 'Target URL.', example: 'https://dms.dealer.example/hooks/trade-ins', type: String }) url: string;
  @ApiProperty({ description: 'Event types delivered; empty: all.', example: ['trade_in.status_changed'], enum: EVENT_TYPES, isArray: true }) eventTypes: string[];
  @ApiProperty({ description: 'Whether events are delivered.', example: true, type: Boolean }) enabled: boolean;
  @ApiProperty({ description: 'Why the server disabled it (after too many failed deliveries in a row); null otherwise.', example: null, nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty({ description: 'Failed attempts in a row (0 after any success).', example: 0, type: Number }) consecutiveFailures: number;
  @ApiProperty({ description: 'Until when the previous secret still signs (after a rotation); null when only one secret signs.', example: null, nullable: true, type: String }) previousSecretUntil:
    string | null;
  @ApiProperty({ description: 'Note.', example: 'DMS production', nullable: true, type: String }) description: string | null;
  @ApiProperty({ description: 'Creation timestamp.', example: '2024-02-22T11:55:22.000+00:00', type: String }) createdAt: string;
  @ApiProperty({ description: 'Last change.', example: '2024-02-22T11:55:22.000+00:00', type: String }) updatedAt: string;
  @ApiPropertyOptional({
    description: 'The signing secret (Standard Webhooks `whsec_…`) — only in the answer to the creation and to a rotation. Store it now: it cannot be shown again.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    type: String,
  })
  secret?: string;
}

export class WebhookAttemptView {
  @ApiProperty({ description: 'When the attempt started.', example: '2024-02-22T11:55:23.120+00:00', type: String }) attemptedAt: string;
  @ApiProperty({ description: "The receiver's HTTP status; null when there was no answer.", example: 200, nullable: true, type: Number }) statusCode: number | null;
  @ApiProperty({ description: 'Milliseconds from the start of the attempt to the end of the response (or the failure).', example: 42, type: Number }) latencyMs: number;
  @ApiProperty({ description: 'Why it failed without a status (timeout, refused target, connection error).', example: null, nullable: true, type: String }) error: string | null;
  @ApiProperty({ description: 'The first 1,000 characters of the response body.', example: 'ok', nullable: true, type: String }) responseExcerpt: string | null;
}

export class WebhookDeliveryView {
  @ApiProperty({ description: 'Numeric identifier.', example: 120, type: Number }) id: number;
  @ApiProperty({ description: 'IRI.', example: '/api/v3/webhooks/4/deliveries/120', type: String }) iri: string;
  @ApiProperty({ description: 'The subscription.', example: '/api/v3/webhooks/4', type: String }) webhook: string;
  @ApiProperty({ description: 'The event id: the `webhook-id` header of every attempt.', example: 'evt_5f0c1e2d3c4b5a69788796a5b4c3d2e1', type: String }) eventId: string;
  @ApiProperty({ description: 'Event type.', example: 'trade_in.status_changed', type: String }) eventType: string;
  @ApiProperty({ description: 'pending (waiting or being retried), delivered, or failed (given up after the retry horizon).', example: 'delivered', enum: ['pending', 'delivered', 'failed'] })
  status: string;
  @ApiProperty({ description: 'Attempts so far.', example: 1, type: Number }) attempts: number;
  @ApiProperty({ description: 'When the next attempt is due (pending only).', example: null, nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ description: 'When the delivery was created (the event was dispatched).', example: '2024-02-22T11:55:22.900+00:00', type: String }) createdAt: string;
  @ApiProperty({ description: 'When a 2xx answer arrived.', example: '2024-02-22T11:55:23.162+00:00', nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ description: 'Every attempt, oldest first (the last 50).', type: [WebhookAttemptView] }) attemptLog: WebhookAttemptView[];
}

export class WebhookPingView {
  @ApiProperty({ description: "The webhook's delivery log, where the ping's delivery shows up.", example: '/api/v3/webhooks/4/deliveries', type: String }) iri: string;
  @ApiProperty({ description: 'The id of the `webhook.ping` event; it is delivered like any other event (see the delivery log).', example: 'evt_5f0c1e2d3c4b5a69788796a5b4c3d2e1', type: String })
  eventId: string;
}
