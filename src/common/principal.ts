import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

/** The staff roles (users.role): admin and manager write, readonly only reads. */
export const ROLES = ['admin', 'manager', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from `X-API-Key` by the ApiKeyGuard. */
export interface Principal {
  tenantId: number;
  userId: number;
  role: Role;
  keyId: number;
}

export type AuthedRequest = Request & { principal?: Principal };

export const IS_PUBLIC = 'isPublic';
/** No API key needed (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const ROLES_KEY = 'roles';
/** Restricts a route to the given roles (on top of "readonly may only read"). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('Auth() used on a public route');
  return principal;
});
