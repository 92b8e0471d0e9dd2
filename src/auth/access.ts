import { ApiError } from '../common/errors';
import type { Role } from './user.entity';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether an authenticated staff user may call a route: a readonly user only reads, and a route
 * limited by `@Roles(...)` needs one of them. Throws the 403 that says which rule refused; the one
 * check behind ApiKeyGuard (/api/v3) and ProgramGuard (the programme's staff routes).
 */
export function checkAccess(principal: { role: Role }, method: string, roles: readonly Role[] | undefined): void {
  if (!READ_METHODS.has(method) && principal.role === 'readonly') throw new ApiError(403, 'Your API key belongs to a read-only user: it can only read (GET).');
  if (roles && !roles.includes(principal.role)) throw new ApiError(403, `This operation needs the ${roles.join(' or ')} role; your key's user is "${principal.role}".`);
}
