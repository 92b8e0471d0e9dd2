import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError, badRequest } from './errors';
import { MEDIA, negotiate } from './negotiation';

export const CONTENT_TYPES = 'contentTypes';
/** Overrides the accepted request media types of a route (e.g. multipart uploads). */
export const AcceptsContent = (...types: string[]) => SetMetadata(CONTENT_TYPES, types);

export const FIXED_FORMAT = 'fixedFormat';
/**
 * The routes answer in one format whatever `Accept` says (the customer programme speaks plain
 * JSON): no 406, and their own guards decide first (e.g. 404 for a reserved tenant slug).
 */
export const IgnoresAccept = () => SetMetadata(FIXED_FORMAT, true);

export const BODY_OPTIONAL = 'bodyOptional';
/** The JSON route may be called without a body (status routes); other POST/PATCH routes need one. */
export const BodyOptional = () => SetMetadata(BODY_OPTIONAL, true);

const DEFAULTS: Record<string, string[]> = {
  POST: [MEDIA.json, MEDIA.jsonld],
  PUT: [MEDIA.json, MEDIA.jsonld],
  PATCH: [MEDIA.mergePatch, MEDIA.json],
};

function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Media types, before the handler runs: 415 for a request body in a media type the route does
 * not read, 400 for a JSON write without a body (API Platform's answer; it would otherwise read
 * as `{}` and create a blank resource), then 406 for an `Accept` that allows nothing we produce
 * (JSON-LD or JSON) — except on routes marked IgnoresAccept.
 */
@Injectable()
export class MediaTypesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const own = this.reflector.getAllAndOverride<string[]>(CONTENT_TYPES, targets);
    const allowed = own ?? DEFAULTS[req.method];
    const fixedFormat = this.reflector.getAllAndOverride<boolean>(FIXED_FORMAT, targets);
    if (!own && allowed && !fixedFormat && !hasBody(req) && !this.reflector.getAllAndOverride<boolean>(BODY_OPTIONAL, targets)) {
      throw badRequest(`The request body is empty. ${req.method} here needs a JSON body (Content-Type ${allowed.join(' or ')}).`);
    }
    if (allowed && hasBody(req)) {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!allowed.includes(type)) {
        throw new ApiError(415, `Content-Type "${type || '(none)'}" is not supported here. Use ${allowed.join(' or ')}.`);
      }
    }
    if (!negotiate(req) && !fixedFormat) {
      throw new ApiError(406, 'Supported formats: application/ld+json (default) and application/json.');
    }
    return true;
  }
}
