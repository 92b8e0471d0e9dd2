import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { CollectionSpec, DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE } from './collection';
import { describeFilters } from './filters';

/** The CollectionSpec of each read model's collection, by schema name (recorded by ApiCollectionDocs for Hydra). */
export const COLLECTION_SPECS = new Map<string, CollectionSpec>();

export class ViolationView {
  @ApiProperty({ description: 'Path of the invalid field; array items as [index].', example: 'vehicleModel.vinCode', type: String }) propertyPath: string;
  @ApiProperty({ description: 'What is wrong, for humans.', example: 'vinCode must be 17 characters of the VIN alphabet (no I, O or Q)', type: String }) message: string;
  @ApiProperty({ description: 'Stable machine-readable code.', example: 'invalid_format', type: String }) code: string;
}

export class ProblemView {
  @ApiProperty({ description: 'Error type IRI.', example: '/errors/422', type: String }) type: string;
  @ApiProperty({ description: 'Short summary of the status.', example: 'Unprocessable Entity', type: String }) title: string;
  @ApiProperty({ description: 'HTTP status code.', example: 422, type: Number }) status: number;
  @ApiProperty({ description: 'Explanation for this occurrence.', example: 'vehicleModel.vinCode: vinCode must be 17 characters', type: String }) detail: string;
  @ApiPropertyOptional({ type: [ViolationView], description: 'Every invalid field (422 only).' }) violations?: ViolationView[];
  @ApiPropertyOptional({ description: 'JSON-LD only.', example: '/api/v3/contexts/Error', type: String }) '@context'?: string;
  @ApiPropertyOptional({ description: 'JSON-LD only.', example: '/errors/422', type: String }) '@id'?: string;
  @ApiPropertyOptional({ description: 'JSON-LD only.', example: 'hydra:Error', type: String }) '@type'?: string;
  @ApiPropertyOptional({ description: 'JSON-LD only: same as title.', example: 'Unprocessable Entity', type: String }) 'hydra:title'?: string;
  @ApiPropertyOptional({ description: 'JSON-LD only: same as detail.', example: 'vehicleModel.vinCode: ...', type: String }) 'hydra:description'?: string;
}

export const problem = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: {
      'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } },
      'application/ld+json': { schema: { $ref: getSchemaPath(ProblemView) } },
    },
  });

/** 400, 401, 403, 406, 413, 415 and 429: possible on every authenticated route. */
export const ApiCommonErrors = () =>
  applyDecorators(
    ApiExtraModels(ProblemView, ViolationView),
    problem(400, 'The request cannot be read: malformed JSON body, badly encoded URL, or an invalid query parameter (the message names it).'),
    problem(413, 'The request body is larger than the limit (BODY_LIMIT, 1 MB by default).'),
    problem(415, 'The request body is in a media type, character set or encoding that is not read here.'),
    problem(401, 'Missing, unknown or revoked X-API-Key.'),
    problem(403, "The key's user may not do this (readonly users may only read; some routes are admin-only)."),
    problem(406, 'The Accept header asks for a format other than application/ld+json or application/json.'),
    problem(429, 'Rate limit exceeded, or (collections) too many long reads running at once; see Retry-After.'),
  );

const ldItem = (model: Type<unknown>) => ({
  allOf: [
    {
      type: 'object',
      required: ['@context', '@id', '@type'],
      properties: {
        '@context': { type: 'string', example: '/api/v3/contexts/Resource' },
        '@id': { type: 'string', example: '/api/v3/resources/1' },
        '@type': { type: 'string', example: 'Resource' },
      },
    },
    { $ref: getSchemaPath(model) },
  ],
});

const ldMember = (model: Type<unknown>) => ({
  allOf: [{ type: 'object', required: ['@id', '@type'], properties: { '@id': { type: 'string' }, '@type': { type: 'string' } } }, { $ref: getSchemaPath(model) }],
});

export function hydraCollectionSchema(model: Type<unknown>) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['@context', '@id', '@type', 'hydra:member'],
    properties: {
      '@context': { type: 'string', example: '/api/v3/contexts/Resource' },
      '@id': { type: 'string', example: '/api/v3/resources' },
      '@type': { type: 'string', example: 'hydra:Collection' },
      'hydra:totalItems': {
        type: 'integer',
        example: 42,
        description: 'Absent under partial pagination (partial=true, cursors), and when the total could not be counted within COUNT_WAIT_MS.',
      },
      'hydra:member': { type: 'array', items: ldMember(model) },
      'hydra:search': {
        type: 'object',
        description: 'The filters of the collection as a hydra:IriTemplate (filterable collections only).',
        properties: {
          '@type': { type: 'string', example: 'hydra:IriTemplate' },
          'hydra:template': { type: 'string', example: '/api/v3/resources{?order[id],name}' },
          'hydra:variableRepresentation': { type: 'string', example: 'BasicRepresentation' },
          'hydra:mapping': {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                '@type': { type: 'string', example: 'IriTemplateMapping' },
                variable: { type: 'string', example: 'order[id]' },
                property: { type: 'string', example: 'id' },
                required: { type: 'boolean', example: false },
              },
            },
          },
        },
      },
      'hydra:view': {
        type: 'object',
        additionalProperties: false,
        description: 'Page links (paginated collections only).',
        properties: {
          '@id': { type: 'string', example: '/api/v3/resources?page=2' },
          '@type': { type: 'string', example: 'hydra:PartialCollectionView' },
          'hydra:first': { type: 'string', example: '/api/v3/resources?page=1', description: 'Not under partial pagination.' },
          'hydra:last': { type: 'string', example: '/api/v3/resources?page=3' },
          'hydra:previous': { type: 'string', example: '/api/v3/resources?page=1' },
          'hydra:next': { type: 'string', example: '/api/v3/resources?page=3', description: 'Under partial pagination a cursor URL (…&cursor=…).' },
        },
      },
    },
  };
}

/** `properties[]` (sparse fieldsets); its responses are documented as full or sparse (see openapi.document.ts). */
export const ApiPropertiesQuery = (example?: string[]) =>
  ApiQuery({
    name: 'properties[]',
    required: false,
    style: 'form',
    explode: true,
    schema: { type: 'array', items: { type: 'string' } },
    description: 'Return only these properties; nested ones as properties[relation][]=field. The response then carries only those fields (JSON-LD nodes keep @id and @type).',
    example,
  });

/** Documents the collection parameters a CollectionSpec declares, plus page/itemsPerPage/properties. */
export function ApiCollectionDocs(model: Type<unknown>, spec: CollectionSpec, extra: { propertiesExample?: string[] } = {}) {
  COLLECTION_SPECS.set(model.name, spec);
  const decorators = [
    ApiExtraModels(model),
    ApiCommonErrors(),
    ApiQuery({ name: 'page', required: false, schema: { type: 'integer', minimum: 1, default: 1 }, description: 'Page number, 1-based.' }),
    ApiQuery({
      name: 'itemsPerPage',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: MAX_ITEMS_PER_PAGE, default: DEFAULT_ITEMS_PER_PAGE },
      description: `Page size (default ${DEFAULT_ITEMS_PER_PAGE}, at most ${MAX_ITEMS_PER_PAGE}; larger → 400).`,
    }),
    ApiQuery({
      name: 'partial',
      required: false,
      schema: { type: 'boolean', default: false },
      description:
        'Partial pagination: no total count, and the next/previous links are cursors (no first/last), which stay fast at any depth and ' +
        'stable while items are added. Use it for polling and for walking large collections.',
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
      description:
        'A position from a hydra:next / hydra:previous (or Link) URL of a partial=true page; follow those URLs as they are. ' +
        'Not combinable with page; a cursor of another order, or one that was altered, is a 400.',
    }),
    ApiPropertiesQuery(extra.propertiesExample),
    ...describeFilters(spec).map((f) => ApiQuery({ name: f.variable, required: false, schema: f.schema, description: f.description, ...(f.array ? { style: 'form' as const, explode: true } : {}) })),
    ApiResponse({
      status: 200,
      description: 'The page. JSON-LD: a hydra:Collection. Plain JSON: a bare array with X-Total-Count and Link headers.',
      headers: {
        'X-Total-Count': {
          description: 'Total items (plain JSON only). Absent under partial pagination, and when the total could not be counted within COUNT_WAIT_MS (it is then usually there on the next request).',
          schema: { type: 'integer' },
        },
        Link: { description: 'first/last/prev/next page links (plain JSON only); under partial pagination only prev/next, as cursors.', schema: { type: 'string' } },
      },
      content: {
        'application/ld+json': { schema: hydraCollectionSchema(model) },
        'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(model) } } },
      },
    }),
    problem(400, 'A bad value for a known filter, order, page, itemsPerPage or cursor.'),
    problem(
      422,
      'The query needs more database time than the budget (DB_STATEMENT_TIMEOUT_MS) and was cancelled; the message says how to narrow it ' +
        '(an exact filter or range, partial=true with cursor links instead of deep pages, a more specific text).',
    ),
  ];
  return applyDecorators(...decorators);
}

export const itemContent = (model: Type<unknown>) => ({
  'application/ld+json': { schema: ldItem(model) },
  'application/json': { schema: { $ref: getSchemaPath(model) } },
});

/** A list written as a whole: its ETag, conditional GET (304) and If-Match on writes (412). */
export const ApiVersionedList = (write: boolean) =>
  write
    ? applyDecorators(
        ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the list from a previous read; 412 when it changed since.' }),
        problem(412, "If-Match does not match the list's current ETag."),
      )
    : applyDecorators(
        ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag from a previous read; 304 while the list is unchanged.' }),
        ApiResponse({ status: 304, description: 'Not modified: `If-None-Match` names the current `ETag`. No body.' }),
      );

/** 404 for routes under a parent resource (e.g. the pictures of a trade-in that does not exist). */
export const ApiParentNotFound = (what = 'The parent resource') => problem(404, `${what} was not found (or belongs to another tenant).`);

export function ApiItemDocs(model: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiCommonErrors(),
    ApiResponse({
      status: 200,
      description: 'The resource. `ETag` carries its version.',
      headers: { ETag: { description: 'Version tag for If-Match.', schema: { type: 'string' } } },
      content: itemContent(model),
    }),
    ApiResponse({ status: 304, description: 'Not modified: `If-None-Match` names the current `ETag` (resources that carry one). No body.' }),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag from a previous read; 304 while the resource is unchanged.' }),
    problem(404, 'Not found (or belongs to another tenant).'),
  );
}

/** POST (201), PATCH (200) or DELETE (204) with their error responses. */
export function ApiWriteDocs(model: Type<unknown> | null, status: 200 | 201 | 204) {
  const decorators = [ApiCommonErrors(), problem(400, 'Malformed JSON, a body that is not an object, or an invalid/unknown IRI (the message names the field).')];
  if (model) decorators.push(ApiExtraModels(model));
  if (status === 201) {
    decorators.push(
      ApiResponse({
        status: 201,
        description: 'Created. `Location` is the new IRI.',
        headers: { Location: { description: 'IRI of the new resource.', schema: { type: 'string' } }, ETag: { description: 'Version tag.', schema: { type: 'string' } } },
        content: itemContent(model!),
      }),
      ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body returns the first result and creates nothing.' }),
      problem(415, 'Content-Type is not application/json or application/ld+json.'),
      problem(409, 'Conflict (e.g. the Idempotency-Key is still being processed).'),
    );
  } else {
    decorators.push(
      problem(404, 'Not found (or belongs to another tenant).'),
      problem(412, 'If-Match does not match the current ETag.'),
      problem(409, 'The change conflicts with the resource state.'),
      ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous read; 412 when the resource changed since.' }),
    );
    if (status === 200) {
      decorators.push(
        ApiResponse({ status: 200, description: 'Updated.', headers: { ETag: { description: 'New version tag.', schema: { type: 'string' } } }, content: itemContent(model!) }),
        problem(415, 'Content-Type is not application/merge-patch+json or application/json.'),
      );
    } else decorators.push(ApiResponse({ status: 204, description: 'Deleted.' }));
  }
  decorators.push(problem(422, 'Validation failed; `violations` lists every invalid field.'));
  return applyDecorators(...decorators);
}

/** A whole, unpaginated list (catalogues and trade-in sub-resources); `versioned`: it carries an ETag. */
export function ApiListDocs(model: Type<unknown>, status = 200, description = 'The whole list.', versioned = false) {
  const etag = { ETag: { description: 'Version of the whole list, for If-Match on its writes.', schema: { type: 'string' } } };
  return applyDecorators(
    ApiExtraModels(model),
    ApiCommonErrors(),
    ApiResponse({
      status,
      description: `${description} JSON-LD: a hydra:Collection; plain JSON: a bare array.`,
      ...(versioned ? { headers: etag } : {}),
      content: {
        'application/ld+json': { schema: hydraCollectionSchema(model) },
        'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(model) } } },
      },
    }),
  );
}
