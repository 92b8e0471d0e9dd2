import { ExpressAdapter } from '@nestjs/platform-express';
import type { Request, RequestHandler, Response } from 'express';
import { negotiate } from '../common/negotiation';
import { ItemResult, render } from '../common/responses';

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
  private unmatched?: RequestHandler;

  /** What answers a request no route handled (405 with Allow, OPTIONS, 404): set before app.init(). */
  handleUnmatched(handler: RequestHandler): void {
    this.unmatched = handler;
  }

  override setNotFoundHandler(handler: RequestHandler, prefix?: string): void {
    super.setNotFoundHandler(this.unmatched ?? handler, prefix);
  }

  override reply(response: Response, body: unknown, statusCode?: number) {
    const req = response.req as Request;
    const format = negotiate(req);
    const rendered = format ? render(req, response, format, body) : undefined;
    if (rendered === undefined) return super.reply(response, body, statusCode) as unknown;
    // A result that names its own status (201 on create) wins over the route's default.
    response.status((body instanceof ItemResult && body.opts.status) || statusCode || 200);
    // What Express's res.send() would do for this string, without copying it into a Buffer first:
    // a conditional GET of an unchanged item (If-None-Match = its ETag) is answered 304.
    if (response.getHeader('ETag') !== undefined && req.fresh) {
      response.status(304);
      response.removeHeader('Content-Type');
      return response.end();
    }
    response.setHeader('Content-Length', Buffer.byteLength(rendered));
    return response.end(rendered);
  }
}
