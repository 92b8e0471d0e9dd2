import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { own } from '../common/collection';
import { validateObject } from '../common/validation';
import { STATUS_SLUGS } from './status-machine';
import { NoDealInput } from './trade-in.dto';

/**
 * The body of a status route, validated at the edge: the no-deal move's reject reason (NoDealInput;
 * no body reads as `{}`), undefined for the other moves, which take no body and do not read one.
 */
export const StatusMoveBody = createParamDecorator((_data: unknown, ctx: ExecutionContext): NoDealInput | undefined => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const slug = typeof req.params.slug === 'string' ? req.params.slug : '';
  return own(STATUS_SLUGS, slug) === 'no_deal' ? validateObject(NoDealInput, (req.body as unknown) ?? {}) : undefined;
});
