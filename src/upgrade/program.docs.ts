import { applyDecorators, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiParam, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { ProblemView, ViolationView } from '../common/openapi.decorators';

const TENANT = ApiParam({ name: 'tenant', description: "The tenant's slug (must be the caller's tenant, otherwise 404). The bootstrap tenant is `default`.", example: 'default' });

const problem = (status: number, description: string) => ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } } } });

/**
 * The operation ids predate the split of the programme into one controller per responsibility
 * (Nest derives them from the controller's name): kept as they were, since generated clients name
 * their methods after them.
 */
const OPERATION_PREFIX: Record<string, string> = {
  AccountsController: 'ProgramAuth',
  SubmissionsController: 'ProgramSubmissions',
  OffersController: 'ProgramSubmissions',
  PhotosController: 'ProgramPhotos',
  ValuationsController: 'ProgramAdmin',
  AdminController: 'ProgramAdmin',
  OfferSettingsController: 'ProgramAdmin',
  CreditsController: 'ProgramCredits',
  NotificationsController: 'ProgramNotifications',
  ShippingController: 'ProgramSubmissions',
  ShippingAdminController: 'ProgramAdmin',
};

function operation(summary: string, description: string): MethodDecorator {
  return (target, key, descriptor) => {
    const prefix = OPERATION_PREFIX[target.constructor.name];
    return ApiOperation({ summary, description, ...(prefix ? { operationId: `${prefix}_${String(key)}` } : {}) })(target, key, descriptor);
  };
}

/** Responses of a programme route: plain JSON (the document's format); errors as problem+json. */
export function Doc(summary: string, description: string, ok: { status: number; type?: Type<unknown> | [Type<unknown>]; description: string }, errors: [number, string][] = []) {
  const isArray = Array.isArray(ok.type);
  const model = isArray ? (ok.type as [Type<unknown>])[0] : (ok.type as Type<unknown> | undefined);
  return applyDecorators(
    operation(summary, description),
    TENANT,
    ApiExtraModels(ProblemView, ViolationView, ...(model ? [model] : [])),
    ApiResponse({
      status: ok.status,
      description: ok.description,
      ...(model ? { content: { 'application/json': { schema: isArray ? { type: 'array', items: { $ref: getSchemaPath(model) } } : { $ref: getSchemaPath(model) } } } } : {}),
    }),
    problem(404, "Unknown tenant slug, a tenant that is not the caller's, or a resource that is not the caller's."),
    ...errors.map(([s, d]) => problem(s, d)),
  );
}

export const CUSTOMER = () =>
  applyDecorators(ApiBearerAuth('CustomerSession'), problem(401, 'Missing, invalid, expired or logged-out session token.'), problem(403, 'A staff X-API-Key was sent to a customer-only route.'));
export const STAFF = () => applyDecorators(ApiSecurity('ApiKey'), problem(401, 'Missing or invalid X-API-Key.'), problem(403, "The key's user may not do this."));
export const EITHER = () =>
  applyDecorators(
    ApiBearerAuth('CustomerSession'),
    ApiSecurity('ApiKey'),
    problem(401, 'Neither a valid session token nor a valid X-API-Key.'),
    problem(403, 'The caller may not do this (e.g. a readonly key writing).'),
  );
export const NO_AUTH = () => ApiSecurity({});
