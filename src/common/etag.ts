import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { ApiError } from './errors';

export const etagOf = (version: number) => `"${version}"`;

/**
 * The version of a list that has no row version of its own (a trade-in's pictures or comments):
 * a hash of its members as rendered, so any change to the list changes it.
 */
export const listTagOf = (members: object[]) => `"${createHash('sha256').update(JSON.stringify(members)).digest('base64url').slice(0, 27)}"`;

/** `If-Match` on PATCH/DELETE: 412 when none of the given tags is the current version. */
export function checkIfMatch(req: Request, version: number): void {
  checkIfMatchTag(req, etagOf(version));
}

/** Whether the request makes its write conditional (then the current tag must be worked out). */
export const hasIfMatch = (req: Request) => Boolean(req.headers['if-match']);

export function checkIfMatchTag(req: Request, current: string): void {
  const header = req.headers['if-match'];
  if (!header) return;
  if (header.trim() === '*') return;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(current)) {
    throw new ApiError(412, `The resource has changed since you read it (current ETag ${current}). GET it again and retry.`);
  }
}
