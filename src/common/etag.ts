import type { Request } from 'express';
import { ApiError } from './errors';

export const etagOf = (version: number) => `"${version}"`;

/** `If-Match` on PATCH/DELETE: 412 when none of the given tags is the current version. */
export function checkIfMatch(req: Request, version: number): void {
  const header = req.headers['if-match'];
  if (!header) return;
  if (header.trim() === '*') return;
  const current = etagOf(version);
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(current)) {
    throw new ApiError(412, `The resource has changed since you read it (current ETag ${current}). GET it again and retry.`);
  }
}
