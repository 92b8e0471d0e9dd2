import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/principal';
import { IgnoresAccept } from '../common/media-types.guard';
import { CUSTOMER, EITHER, NO_AUTH, STAFF } from './program.docs';
import { Audience, Audiences, ProgramGuard } from './program.guard';

/**
 * A controller of the programme, under /api/{tenant}{path}: its OpenAPI tag; public for the global
 * ApiKeyGuard, since ProgramGuard authenticates (session token or staff key, tenant of the path);
 * answers in plain JSON whatever Accept says.
 */
export const ProgramController = (tag: string, path = '') => applyDecorators(ApiTags(tag), Public(), IgnoresAccept(), UseGuards(ProgramGuard), Controller(`api/:tenant${path}`));

/**
 * A programme route: who may call it (checked by ProgramGuard) and, in OpenAPI, how they
 * authenticate and the 401/403 they can get. Staff routes limited to roles add `@Roles(...)`.
 */
export function ProgramRoute(...who: Audience[]) {
  const security = who.includes('anonymous') ? NO_AUTH() : who.includes('customer') ? (who.includes('staff') ? EITHER() : CUSTOMER()) : STAFF();
  return applyDecorators(Audiences(...who), security);
}
