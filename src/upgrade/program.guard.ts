import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { checkAccess } from '../auth/access';
import { AuthFailures } from '../auth/auth-failures';
import { AuthService } from '../auth/auth.service';
import { AuthedRequest, Principal, ROLES_KEY } from '../common/principal';
import type { Role } from '../auth/user.entity';
import { ApiError, notFound } from '../common/errors';
import { Tenant } from '../tenants/tenant.entity';
import { RESERVED_SLUGS } from '../tenants/slug';
import { AccountsService, CustomerSession } from './accounts/accounts.service';
import { markFormat } from '../platform/request-format';

/** Who may call a programme route: an anonymous visitor, a programme customer (Bearer token), staff (X-API-Key). */
export type Audience = 'anonymous' | 'customer' | 'staff';
export const AUDIENCE = 'programAudience';
export const Audiences = (...who: Audience[]) => SetMetadata(AUDIENCE, who);

export interface Caller {
  tenant: Tenant;
  staff?: Principal;
  customer?: CustomerSession;
}

type ProgramRequest = AuthedRequest & { program?: Caller };

/**
 * Authenticates the customer programme (`/api/{tenant}/...`, public for the global ApiKeyGuard).
 * The tenant slug in the path must be the caller's tenant: anything else is 404, like any other
 * tenant's resource. Staff send X-API-Key (readonly keys may only read; `@Roles` applies);
 * customers send `Authorization: Bearer <session token>`.
 */
@Injectable()
export class ProgramGuard implements CanActivate {
  private readonly tenants = new Map<string, { tenant: Tenant; expires: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly ds: DataSource,
    private readonly auth: AuthService,
    private readonly sessions: AccountsService,
    private readonly failures: AuthFailures,
  ) {}

  private async tenantOf(slug: string): Promise<Tenant> {
    const now = Date.now();
    const hit = this.tenants.get(slug);
    if (hit && hit.expires > now) return hit.tenant;
    const tenant = /^[a-z0-9-]{1,64}$/.test(slug) ? await this.ds.getRepository(Tenant).findOneBy({ slug }) : null;
    if (!tenant) throw notFound(`No trade-in programme is published at /api/${slug.slice(0, 64)}.`);
    if (this.tenants.size > 1000) this.tenants.clear();
    this.tenants.set(slug, { tenant, expires: now + 30_000 });
    return tenant;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const audience = this.reflector.getAllAndOverride<Audience[]>(AUDIENCE, targets) ?? ['customer', 'staff'];
    const req = context.switchToHttp().getRequest<ProgramRequest>();
    // Programme routes answer in plain JSON / problem+json, also when the slug is reserved (e.g. /api/v3/auth/login).
    markFormat(req, 'json');
    const tenant = await this.tenantOf(String(req.params.tenant ?? ''));
    if (audience.length === 1 && audience[0] === 'anonymous') {
      // register / login: whatever credentials come along are irrelevant to them.
      req.program = { tenant };
      return true;
    }
    const key = req.headers['x-api-key'];
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

    if (typeof key === 'string' && key.trim() !== '') {
      if (!audience.includes('staff')) throw new ApiError(403, 'This route is for programme customers (Authorization: Bearer <token>), not for staff API keys.');
      const principal = await this.auth.authenticate(key.trim());
      if (!principal) {
        await this.failures.failed(req);
        throw new ApiError(401, 'The API key is invalid or has been revoked.');
      }
      if (principal.tenantId !== tenant.id) throw notFound(`No trade-in programme is published at /api/${tenant.slug}.`);
      checkAccess(principal, req.method, this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets));
      req.principal = principal;
      req.program = { tenant, staff: principal };
      return true;
    }
    if (bearer) {
      if (!audience.includes('customer')) throw new ApiError(403, 'This route is for staff: send an X-API-Key.');
      const session = await this.sessions.resolve(bearer);
      if (!session) {
        await this.failures.failed(req);
        throw new ApiError(401, 'The session token is invalid, expired or logged out. Log in again (POST /api/{tenant}/auth/login).');
      }
      if (session.tenantId !== tenant.id) throw notFound(`No trade-in programme is published at /api/${tenant.slug}.`);
      req.program = { tenant, customer: session };
      return true;
    }
    if (audience.includes('anonymous')) {
      req.program = { tenant };
      return true;
    }
    throw new ApiError(
      401,
      audience.includes('customer')
        ? 'Log in first: send Authorization: Bearer <token> from POST /api/{tenant}/auth/login' + (audience.includes('staff') ? ' (staff: X-API-Key).' : '.')
        : 'Missing X-API-Key header. This route is for staff.',
    );
  }
}

export const ProgramCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<ProgramRequest>().program;
  if (!caller) throw new Error('ProgramCaller used without ProgramGuard');
  return caller;
});

/**
 * The programme speaks plain JSON (its document's format): responses are application/json and
 * errors application/problem+json, whatever `Accept` says. Marks the request before negotiation runs.
 */
export function programFormat(req: Request, _res: Response, next: NextFunction): void {
  const segment = /^\/api\/([^/]+)\//.exec(req.path)?.[1];
  if (segment && segment !== 'v3' && !RESERVED_SLUGS.has(segment)) markFormat(req, 'json');
  next();
}
