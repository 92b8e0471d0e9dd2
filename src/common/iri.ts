import { badRequest } from './errors';

export const API_PREFIX = '/api/v3';

export const iriOf = (resource: string, id: string | number) => `${API_PREFIX}/${resource}/${id}`;

const IRI = /^\/api\/v3\/([a-z-]+)\/([^/?#]+)$/;

let publicBase: string | null = null;
/** The API's public base URL (PUBLIC_BASE_URL), set at start-up. */
export function setPublicBase(url: string): void {
  publicBase = url.replace(/\/+$/, '').toLowerCase();
}

/**
 * Splits an IRI into resource and identifier, or returns null when it is not one of ours.
 * An absolute URL on the API's own public origin is read as the path it names, as API Platform
 * accepts its own absolute IRIs; any other origin is not ours.
 */
export function splitIri(value: string): { resource: string; id: string } | null {
  if (publicBase && value.length > publicBase.length && value.slice(0, publicBase.length + 1).toLowerCase() === `${publicBase}/`) value = value.slice(publicBase.length);
  const m = IRI.exec(value);
  return m ? { resource: m[1], id: decodeURIComponent(m[2]) } : null;
}

/**
 * Reads a relation written as an IRI string (`"/api/v3/customers/214154"`).
 * Malformed, of another resource type, or not an IRI at all → 400 naming the field.
 */
export function parseIdIri(value: unknown, resource: string, field: string): number {
  if (typeof value !== 'string') {
    throw badRequest(`The "${field}" field must be an IRI string such as "${iriOf(resource, 1)}", got ${describe(value)}.`);
  }
  const parts = splitIri(value);
  if (!parts) throw badRequest(`The "${field}" field is not a valid IRI: "${truncate(value)}". Expected "${iriOf(resource, '{id}')}".`);
  if (parts.resource !== resource) {
    throw badRequest(`The "${field}" field must reference a resource of type "${resource}", got "${truncate(value)}".`);
  }
  if (!/^[1-9][0-9]{0,9}$/.test(parts.id) || Number(parts.id) > 2147483647) {
    throw badRequest(`The "${field}" field references an invalid identifier: "${truncate(value)}".`);
  }
  return Number(parts.id);
}

/** Same as parseIdIri for catalogue resources identified by a code. */
export function parseCodeIri(value: unknown, resource: string, field: string): string {
  if (typeof value !== 'string') throw badRequest(`The "${field}" field must be an IRI string such as "${iriOf(resource, 'code')}".`);
  const parts = splitIri(value);
  if (!parts || parts.resource !== resource || !/^[a-z0-9_]{1,64}$/.test(parts.id)) {
    throw badRequest(`The "${field}" field must be an IRI of a "${resource}" item, got "${truncate(value)}".`);
  }
  return parts.id;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${truncate(value)}"` : typeof value;
}

export const truncate = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);
