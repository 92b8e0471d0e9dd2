import { createParamDecorator, ExecutionContext, PipeTransform } from '@nestjs/common';
import type { Request } from 'express';
import { validateObject } from '../common/validation';
import { atEdge } from '../common/validation.pipe';
import { NoDealInput } from './trade-in.dto';

interface StatusRequest {
  slug: string;
  body: unknown;
}

const StatusRequestParam = createParamDecorator((_data: unknown, ctx: ExecutionContext): StatusRequest => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return { slug: typeof req.params.slug === 'string' ? req.params.slug : '', body: req.body as unknown };
});

/** The no-deal move's reason, validated at the edge (no body reads as `{}`); undefined for the other moves, which do not read a body. */
class NoDealReason implements PipeTransform<StatusRequest, NoDealInput | undefined | Promise<NoDealInput | undefined>> {
  transform({ slug, body }: StatusRequest) {
    return slug === 'no-deal' ? atEdge(() => validateObject(NoDealInput, body ?? {})) : undefined;
  }
}

/** The body of a status route (`PATCH /trade-ins/{id}/status/{slug}`): NoDealInput for no-deal, else undefined. */
export const StatusMoveBody = (): ParameterDecorator => StatusRequestParam(undefined, new NoDealReason());
