import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Auth, Principal, Roles } from '../common/principal';
import { ApiCommonErrors, ApiItemDocs, ApiListDocs, ApiWriteDocs, itemContent, problem } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { OptionalBody } from '../common/validation.pipe';
import { RotateInput, WebhookDeliveryView, WebhookInput, WebhookPatch, WebhookPingView, WebhookView } from './webhook.dto';
import { WebhooksService } from './webhooks.service';

/** An error answer (problem document) of one route. */
const Problem = problem;

/** A POST action on a webhook answered with a representation (rotation 200, ping and redelivery 202). */
const ApiActionDocs = (model: Type<unknown>, status: 200 | 202, description: string) =>
  applyDecorators(ApiExtraModels(model), ApiCommonErrors(), ApiResponse({ status, description, content: itemContent(model) }), problem(404, 'Not found (or belongs to another tenant).'));

@ApiTags('Webhooks')
@Controller('api/v3/webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'List webhook subscriptions (admin)', description: "Your tenant's subscriptions (at most 20). Secrets are never listed." })
  @ApiListDocs(WebhookView)
  list(@Auth() p: Principal) {
    return this.webhooks.list(p);
  }

  @Post()
  @ApiOperation({
    summary: 'Subscribe to events (admin)',
    description:
      'Creates a subscription. The answer carries the signing `secret` once — store it: deliveries are signed with it (Standard Webhooks). The URL must be http(s) and resolve to public addresses only (422 with code `forbidden` otherwise, unless the server allows private targets). See the event catalogue in the API description.',
  })
  @ApiBody({ type: WebhookInput })
  @ApiWriteDocs(WebhookView, 201)
  create(@Auth() p: Principal, @Body() input: WebhookInput) {
    return this.webhooks.create(p, input);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a webhook subscription (admin)', description: 'With `disabledReason` when the server disabled it after failed deliveries.' })
  @ApiItemDocs(WebhookView)
  get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.webhooks.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook subscription (admin)', description: 'URL, event types, note; `enabled: true` re-enables a disabled one (its pending deliveries resume).' })
  @ApiBody({ type: WebhookPatch })
  @ApiWriteDocs(WebhookView, 200)
  patch(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() input: WebhookPatch) {
    return this.webhooks.patch(req, p, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook subscription (admin)', description: 'Deliveries not yet made are dropped with it.' })
  @ApiWriteDocs(null, 204)
  remove(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.webhooks.remove(req, p, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the signing secret (admin)',
    description:
      'A new secret, shown once in the answer. During the overlap (default a day) every delivery carries two signatures in `webhook-signature`, one per secret, so the receiver can switch at any time.',
  })
  @ApiBody({ type: RotateInput, required: false })
  @ApiActionDocs(WebhookView, 200, 'The subscription with its new `secret`.')
  @Problem(422, 'Validation failed; `violations` lists every invalid field.')
  // No body (or none sent) means the defaults: `{}`.
  rotate(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @OptionalBody(RotateInput) input: RotateInput) {
    return this.webhooks.rotate(p, id, input);
  }

  @Post(':id/ping')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a test event (admin)', description: 'Records a `webhook.ping` event for this subscription only; it is delivered (signed, retried, logged) like every event.' })
  @ApiActionDocs(WebhookPingView, 202, 'The ping event was recorded; its delivery follows within a tick.')
  @Problem(409, 'The subscription is disabled.')
  ping(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.webhooks.ping(p, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'The delivery log of a subscription (admin)',
    description: 'The latest 100 deliveries, newest first, each with its attempts: status code, latency, response excerpt or error.',
  })
  @ApiListDocs(WebhookDeliveryView)
  @Problem(404, 'The webhook was not found (or belongs to another tenant).')
  deliveries(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.webhooks.deliveries(p, id);
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery with its attempts (admin)', description: 'Status, attempts, next attempt and every attempt made.' })
  @ApiItemDocs(WebhookDeliveryView)
  delivery(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Param('deliveryId', ParseIdPipe) deliveryId: number) {
    return this.webhooks.delivery(p, id, deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again (admin)',
    description: 'A delivered or failed delivery becomes pending and is sent again with the same `webhook-id` (receivers de-duplicate by it).',
  })
  @ApiActionDocs(WebhookDeliveryView, 202, 'The delivery, pending again.')
  @Problem(409, 'The delivery is still pending.')
  redeliver(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Param('deliveryId', ParseIdPipe) deliveryId: number) {
    return this.webhooks.redeliver(p, id, deliveryId);
  }
}
