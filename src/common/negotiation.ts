import type { Request } from 'express';
import { formatOf, markFormat } from '../platform/request-format';

export type Format = 'jsonld' | 'json';

export const MEDIA = {
  jsonld: 'application/ld+json',
  json: 'application/json',
  problem: 'application/problem+json',
  mergePatch: 'application/merge-patch+json',
} as const;

/**
 * `Accept` negotiation: JSON-LD is the default (absent Accept or `*∕*`);
 * `application/json` (or problem+json) selects plain JSON. `null` = nothing we can produce.
 */
export function negotiate(req: Request): Format | null {
  const cached = formatOf<Format>(req);
  if (cached !== undefined) return cached;
  let format: Format | null;
  if (!req.headers.accept) format = 'jsonld';
  else {
    const best = req.accepts([MEDIA.jsonld, MEDIA.json, MEDIA.problem]);
    format = best === MEDIA.jsonld ? 'jsonld' : best ? 'json' : null;
  }
  markFormat(req, format);
  return format;
}
