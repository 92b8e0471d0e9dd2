import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { appPaths } from './openapi.document';
import type { CorsOptions } from '../platform/nest-types';
import { sendProblem } from './problem';

/** Headers a browser client on another origin needs to read (pagination, versions, created IRIs, limits). */
export const EXPOSED_HEADERS = [
  'Link',
  'X-Total-Count',
  'ETag',
  'Location',
  'Content-Location',
  'Retry-After',
  'X-Request-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Allow',
];
const ALLOWED_HEADERS = ['X-API-Key', 'Authorization', 'Content-Type', 'Accept', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'];

/** CORS for the configured origins (`*` for any), for Nest's enableCors (the `cors` package). */
export function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    // Keys travel in a header, never in cookies: no credentials mode.
    credentials: false,
    maxAge: 600,
    // The preflight goes on to the unmatched-route handler, which answers 204 with `Allow`.
    preflightContinue: true,
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * `X-Request-Id`: the caller's (when it is a plain token of at most 128 characters) or a new
 * UUID; echoed on the response and used by the request log (pino-http reads `req.id`).
 */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as Request & { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
  next();
}

/**
 * The methods each path answers, from the OpenAPI document (every route but the undocumented
 * ones, listed in `extra`). Literal segments win over parameters, as in routing.
 */
export function routeTable(doc: OpenAPIObject, extra: Record<string, string[]>): (path: string) => string[] | null {
  const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;
  const entries = [...Object.entries(appPaths(doc)).map(([template, item]) => [template, methods.filter((m) => item[m]).map((m) => m.toUpperCase())] as const), ...Object.entries(extra)].map(
    ([template, list]) => ({
      params: (template.match(/\{/g) ?? []).length,
      re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
      list,
    }),
  );
  entries.sort((a, b) => a.params - b.params);
  return (path) => {
    const hits = entries.filter((e) => e.re.test(path));
    if (!hits.length) return null;
    const best = hits.filter((h) => h.params === hits[0].params);
    const set = new Set(best.flatMap((h) => h.list));
    if (set.has('GET')) set.add('HEAD');
    set.add('OPTIONS');
    return [...set];
  };
}

/**
 * What no route handled: an OPTIONS request gets the path's `Allow` (204), a known path asked
 * with another method 405 with `Allow` (as API Platform answers), anything else 404.
 */
export function unmatched(allowedFor: (path: string) => string[] | null): RequestHandler {
  return (req, res) => {
    const allowed = allowedFor(req.path);
    if (allowed) {
      res.setHeader('Allow', allowed.join(', '));
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      sendProblem(req, res, { status: 405, detail: `${req.path} does not answer ${req.method}; it answers ${allowed.join(', ')}.` });
      return;
    }
    sendProblem(req, res, { status: 404, detail: `No route matches ${req.method} ${req.path}.` });
  };
}
