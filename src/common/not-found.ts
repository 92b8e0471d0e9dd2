import { ApiError, notFound } from './errors';

/*
 * The one shape of a 404 for a row that is not there (or not the caller's tenant's: the same
 * answer, so ids of other tenants are not revealed): `Trade-in 12 was not found.`,
 * `Comment 3 of trade-in 12 was not found.`; a catalogue entry by its code:
 * `Reject reason "x" does not exist.`. Repositories of tenant rows use it through
 * TenantRepository.findInTenantOrFail (database/tenant.repository.ts).
 */

/** `${label} ${id} was not found.`; `of` names the parent of a sub-resource (`trade-in 12`). */
export function missing(label: string, id: number | string, of?: string): ApiError {
  return notFound(`${label} ${id}${of ? ` of ${of}` : ''} was not found.`);
}

/** The row, or the 404 of `missing`. */
export function foundOr404<T>(row: T | null | undefined, label: string, id: number | string, of?: string): T {
  if (row === null || row === undefined) throw missing(label, id, of);
  return row;
}

/** A catalogue entry (reject reasons, picture types), found by code, or `${label} "${code}" does not exist.` */
export function knownOr404<T>(row: T | null | undefined, label: string, code: string): T {
  if (row === null || row === undefined) throw notFound(`${label} "${code.slice(0, 64)}" does not exist.`);
  return row;
}
