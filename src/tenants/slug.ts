/**
 * Tenant slugs are the first path segment of the customer programme (`/api/{slug}/...`), so they
 * must be URL-safe and must not collide with the API's own segments under `/api/`.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'docs',
  'docs.json',
  'docs-json',
  'swagger',
  'openapi',
  'contexts',
  'errors',
  'health',
  'admin',
  'auth',
  'api',
  'static',
  'assets',
  'public',
  'www',
  'graphql',
  'well-known',
  'login',
  'logout',
  'register',
]);

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** The reason a slug is refused, or null when it is acceptable. */
export function slugProblem(slug: string): string | null {
  if (!SLUG.test(slug)) return 'a tenant slug must be 1–64 characters of a–z, 0–9 and "-", not starting or ending with "-"';
  if (RESERVED_SLUGS.has(slug) || /^v[0-9]+$/.test(slug)) return `"${slug}" is reserved: it collides with an existing path under /api/ (e.g. /api/v3, /api/docs)`;
  return null;
}
