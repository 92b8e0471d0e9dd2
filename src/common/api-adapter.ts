import { ExpressAdapter } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { negotiate } from './negotiation';
import { ItemResult, render } from './responses';

/**
 * Nest's Express adapter, rendering ItemResult / CollectionResult / ListResult in the format
 * negotiated from `Accept` (MediaTypesGuard has already refused what we cannot produce) as the
 * response is sent. Anything else (the health check, error bodies) goes out as Nest sends it.
 *
 * This is where an interceptor would usually sit; rendering in the adapter keeps Nest's
 * interceptor chain off every request (it binds an AsyncResource per call, ~6 % of a small
 * request's CPU in the issue 6 profile).
 */
export class ApiExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number) {
    const req = response.req as Request;
    const format = negotiate(req);
    const rendered = format ? render(req, response, format, body) : undefined;
    if (rendered === undefined) return super.reply(response, body, statusCode);
    // A result that names its own status (201 on create) wins over the route's default.
    return super.reply(response, rendered, (body instanceof ItemResult && body.opts.status) || statusCode);
  }
}
