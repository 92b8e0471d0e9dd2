import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { ApiError } from './errors';
import { negotiate } from './negotiation';
import { render } from './responses';

/**
 * Renders ItemResult / CollectionResult / ListResult as JSON-LD or plain JSON according to
 * `Accept`, and rejects unsupported `Accept` values with 406 before the handler runs.
 */
@Injectable()
export class FormatInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const format = negotiate(req);
    if (!format) throw new ApiError(406, 'Supported formats: application/ld+json (default) and application/json.');
    return next.handle().pipe(
      map((result) => {
        const body = render(req, res, format, result);
        return body === undefined ? result : body;
      }),
    );
  }
}
