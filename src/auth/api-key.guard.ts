import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../common/errors';
import { checkAccess } from './access';
import { AuthFailures } from './auth-failures';
import { AuthService } from './auth.service';
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key.trim() === '') {
      throw new ApiError(401, 'Missing X-API-Key header. Send your API key in the X-API-Key header.');
    }
    const principal = await this.auth.authenticate(key.trim());
    if (!principal) {
      await this.failures.failed(req);
      throw new ApiError(401, 'The API key is invalid or has been revoked.');
    }
    req.principal = principal;
    checkAccess(principal, req.method, this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets));
    return true;
  }
}
