import { iriOf } from './iri';
import { ldNode } from './jsonld';

/**
 * ISO 8601 with offset (UTC) and the milliseconds stored: 2022-02-22T09:55:22.123+00:00. Shown at
 * the precision they are stored and compared, so that a timestamp read from a response, given
 * back to a date filter, selects exactly around that item (polling by updatedAt neither repeats
 * nor skips one).
 */
export function isoTimestamp(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  const date = d instanceof Date ? d : new Date(d);
  // toISOString() is always YYYY-MM-DDTHH:mm:ss.sssZ for years 0–9999.
  return `${date.toISOString().slice(0, 23)}+00:00`;
}

/** The embedded form of a user (createdBy, updatedBy, doneBy, ...). */
export function userRef(user: { id: number; name: string; email: string } | null | undefined) {
  if (!user) return null;
  return ldNode('User', { id: user.id, iri: iriOf('users', user.id), name: user.name, email: user.email });
}
