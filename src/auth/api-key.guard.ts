import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../common/errors';
import { checkAccess } from './access';
import { AuthFailures } from './auth-failures';
import { AuthService } from './auth.service';
import { bearerToken, StaffSessionsService } from './staff-sessions.service';
import { AuthedRequest, IS_PUBLIC, ROLES_KEY } from '../common/principal';
import type { Role } from './user.entity';

/**
 * Global guard: `X-API-Key` → principal. 401 without a valid key; 403 when a `readonly`
 * user writes or when the route is limited to roles the caller does not have (checkAccess, the
 * same check as ProgramGuard's staff routes).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly failures: AuthFailures,
    private readonly sessions: StaffSessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const key = req.headers['x-api-key'];
    const hasKey = typeof key === 'string' && key.trim() !== '';
    // A staff session (the admin) instead of a key: `Authorization: Bearer tss_…`, same roles.
    const session = hasKey ? null : bearerToken(req.headers.authorization);
    if (!hasKey && !session) {
      throw new ApiError(401, 'Missing X-API-Key header. Send your API key in the X-API-Key header (or a staff session token as Authorization: Bearer).');
    }
    const principal = hasKey ? await this.auth.authenticate(key.trim()) : await this.sessions.authenticate(session!);
    if (!principal) {
      await this.failures.failed(req);
      throw new ApiError(401, hasKey ? 'The API key is invalid or has been revoked.' : 'The session has ended or is not valid: sign in again.');
    }
    req.principal = principal;
    checkAccess(principal, req.method, this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets));
    return true;
  }
}
