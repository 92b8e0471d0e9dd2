import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiCommonErrors, hydraCollectionSchema } from './openapi.decorators';

/** A whole, unpaginated list (catalogues and trade-in sub-resources). */
export function ApiListDocs(model: Type<unknown>, status = 200, description = 'The whole list.') {
  return applyDecorators(
    ApiExtraModels(model),
    ApiCommonErrors(),
    ApiResponse({
      status,
      description: `${description} JSON-LD: a hydra:Collection; plain JSON: a bare array.`,
      content: {
        'application/ld+json': { schema: hydraCollectionSchema(model) },
        'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(model) } } },
      },
    }),
  );
}
