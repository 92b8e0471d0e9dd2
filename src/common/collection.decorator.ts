import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ObjectLiteral } from 'typeorm';
import { applyFilters, applyOrder, CollectionSpec, Pagination, parsePagination, parseProperties, PropertyTree, Query, QueryShape, readQuery } from './collection';
import { OrderKey } from './cursor';

/** A collection request, parsed against its resource's CollectionSpec before the handler runs. */
export interface CollectionQuery {
  /** The parameters as read (the query string, plus a GET's form-encoded body): the page links repeat them. */
  query: Query;
  pagination: Pagination;
  /** `properties[]` (sparse fieldsets), or null for every property. */
  properties: PropertyTree | null;
  /** The filters and the order over the spec's columns; the repository puts the tenant's condition first (shapeWithin). */
  shape: QueryShape;
  /** The sort key, which cursors are made of. */
  keys: OrderKey[];
}

export interface CollectionOptions {
  /** false: the resource does not select properties (`properties[]` is not read). */
  properties?: boolean;
}

/** A copy of the request's shape with `where` first (the tenant's condition ahead of the request's, as the compiled SQL's shape has it). */
export function shapeWithin(q: CollectionQuery, where: string, parameters: ObjectLiteral): QueryShape {
  const shape = new QueryShape().andWhere(where, parameters);
  q.shape.where(shape);
  q.shape.orderBy(shape);
  shape.searchIndexes.push(...q.shape.searchIndexes);
  return shape;
}

/** readQuery + parsePagination + parseProperties + applyFilters/applyOrder: a bad value of any of them is a 400 naming it. */
export function parseCollection(req: Request, spec: CollectionSpec, options: CollectionOptions = {}): CollectionQuery {
  const query = readQuery(req);
  const pagination = parsePagination(query);
  const properties = options.properties === false ? null : parseProperties(query.properties);
  const shape = new QueryShape();
  applyFilters(shape, spec, query);
  const keys = applyOrder(shape, spec, query);
  return { query, pagination, properties, shape, keys };
}

const CollectionParam = createParamDecorator((data: { spec: CollectionSpec; options?: CollectionOptions }, ctx: ExecutionContext) =>
  parseCollection(ctx.switchToHttp().getRequest<Request>(), data.spec, data.options),
);

/**
 * The one entry to a collection: `list(@Auth() p: Principal, @Collection(SPEC) q: CollectionQuery)`,
 * then one `paginate` (database/paginate.ts, or a repository's compiled page) turns `q` into the
 * CollectionResult. The same spec goes to ApiCollectionDocs for the OpenAPI document and Hydra.
 */
export const Collection = (spec: CollectionSpec, options?: CollectionOptions): ParameterDecorator => CollectionParam({ spec, options });

/** `properties[]` of an item read (`GET /trade-ins/{id}?properties[]=id`), or null. */
export const Properties = createParamDecorator((_data: unknown, ctx: ExecutionContext) => parseProperties(readQuery(ctx.switchToHttp().getRequest<Request>()).properties));
