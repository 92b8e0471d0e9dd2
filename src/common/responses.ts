import type { Request, Response } from 'express';
import { IStringifyOptions, stringify } from 'qs';
import { Pagination, Query } from './collection';
import { hydra, JsonLdDocument } from './hydra';
import { contextIri, ldTypeOf, toJsonLd } from './jsonld';
import { Format, MEDIA } from './negotiation';
import type { CompiledView, Raw } from './row-view';

/**
 * Database rows with the renderers compiled for their query shape (see row-view.ts): turned
 * into JSON or JSON-LD objects only once the format is known, in one pass.
 */
export class RenderedRows {
  constructor(
    readonly rows: Raw[],
    readonly view: Pick<CompiledView, 'json' | 'jsonld'>,
  ) {}

  as(ld: boolean): object[] {
    return this.rows.map(ld ? this.view.jsonld : this.view.json);
  }
}

/** A single resource answer; the interceptor renders it in the negotiated format. */
export class ItemResult {
  constructor(
    /** The plain JSON form (nodes marked with ldNode), or one row to render. */
    readonly item: object | RenderedRows,
    readonly opts: { status?: number; etag?: string; location?: string; headers?: Record<string, string> } = {},
  ) {}
}

/** A paginated collection answer. `total` is null under partial pagination. */
export class CollectionResult {
  constructor(
    readonly type: string,
    readonly members: object[] | RenderedRows,
    readonly total: number | null,
    readonly pagination: Pagination | null,
    readonly hasNext: boolean,
    readonly query: Query,
  ) {}
}

/** A non-paginated list (sub-resources such as pictures, comments, history). */
export class ListResult {
  constructor(
    readonly type: string,
    readonly members: object[],
    /** The list's version (listTagOf), for lists written as a whole. */
    readonly etag?: string,
  ) {}
}

const MAX_LINK_HEADER = 8192;
/**
 * Values are percent-encoded; names too (they end up in the Link header, where only ASCII is
 * allowed), except their brackets, which stay readable: `status[]=done&order[updatedAt]=DESC`.
 */
const QS: IStringifyOptions = {
  arrayFormat: 'brackets',
  encoder: (str, encode, charset, kind) => (kind === 'key' ? encode(str, encode, charset).replace(/%5B/gi, '[').replace(/%5D/gi, ']') : encode(str, encode, charset)),
};

/**
 * The collection's page links: the query with `page` set. Without a `page` in the query, `page`
 * goes last, so the rest of the query is encoded once for all links.
 */
function pageLinks(path: string, query: Query): (page: number) => string {
  if (Object.prototype.hasOwnProperty.call(query, 'page')) return (page) => `${path}?${stringify({ ...query, page }, QS)}`;
  const rest = stringify(query, QS);
  const prefix = rest ? `${path}?${rest}&page=` : `${path}?page=`;
  return (page) => `${prefix}${page}`;
}

/** Cursor links: the query without `page` and `cursor`, then `cursor=` (base64url, nothing to encode). */
function cursorLinks(path: string, query: Query): (cursor: string) => string {
  const rest = { ...query };
  delete rest.page;
  delete rest.cursor;
  const encoded = stringify(rest, QS);
  return (cursor) => `${path}?${encoded ? `${encoded}&` : ''}cursor=${cursor}`;
}

/**
 * first/last/previous/next/self of a collection page. Page numbers, except under partial
 * pagination (partial=true or a cursor): there the links are cursors (see common/cursor.ts),
 * stable under inserts and as fast at any depth, and there is no first or last (API Platform's
 * partial pagination gives neither).
 */
function collectionLinks(path: string, query: Query, p: Pagination, total: number | null, hasNext: boolean): Record<string, string> {
  const links: Record<string, string> = {};
  const pageUrl = pageLinks(path, query);
  if (!p.partial) {
    links.first = pageUrl(1);
    if (total !== null) links.last = pageUrl(Math.max(1, Math.ceil(total / p.itemsPerPage)));
    if (p.page > 1) links.previous = pageUrl(p.page - 1);
    if (hasNext) links.next = pageUrl(p.page + 1);
    links.self = pageUrl(p.page);
    return links;
  }
  const cursorUrl = cursorLinks(path, query);
  if (p.links?.previous) links.previous = cursorUrl(p.links.previous);
  else if (!p.cursor && p.page > 1) links.previous = pageUrl(p.page - 1);
  if (p.links?.next) links.next = cursorUrl(p.links.next);
  else if (!p.cursor && hasNext) links.next = pageUrl(p.page + 1);
  links.self = typeof query.cursor === 'string' ? cursorUrl(query.cursor) : pageUrl(p.page);
  return links;
}

export function render(req: Request, res: Response, format: Format, result: unknown): string | undefined {
  if (result instanceof JsonLdDocument) {
    res.type(`${MEDIA.jsonld}; charset=utf-8`);
    return JSON.stringify(result.body);
  }
  // Anything else (e.g. the health check) is sent as plain JSON by Nest, with its own Content-Type.
  if (!(result instanceof ItemResult || result instanceof ListResult || result instanceof CollectionResult)) return undefined;
  const ld = format === 'jsonld';
  res.type(`${ld ? MEDIA.jsonld : MEDIA.json}; charset=utf-8`);
  res.vary('Accept');

  if (result instanceof ItemResult) {
    if (result.opts.status) res.status(result.opts.status);
    if (result.opts.etag) res.setHeader('ETag', result.opts.etag);
    if (result.opts.location) res.setHeader('Location', result.opts.location);
    for (const [name, value] of Object.entries(result.opts.headers ?? {})) res.setHeader(name, value);
    const item = result.item;
    if (item instanceof RenderedRows) {
      const [node] = item.as(ld);
      return JSON.stringify(ld ? { '@context': contextIri((node as { '@type': string })['@type']), ...node } : node);
    }
    if (!ld) return JSON.stringify(item);
    const type = ldTypeOf(item);
    return JSON.stringify({ '@context': contextIri(type ?? 'Entrypoint'), ...(toJsonLd(item) as object) });
  }

  if (result instanceof ListResult) {
    res.setHeader('X-Total-Count', String(result.members.length));
    if (result.etag) res.setHeader('ETag', result.etag);
    if (!ld) return JSON.stringify(result.members);
    return JSON.stringify({
      '@context': contextIri(result.type),
      '@id': req.path,
      '@type': 'hydra:Collection',
      'hydra:totalItems': result.members.length,
      'hydra:member': toJsonLd(result.members),
    });
  }

  if (result instanceof CollectionResult) {
    const { pagination: p, total } = result;
    const path = req.path;
    const links = p ? collectionLinks(path, result.query, p, total, result.hasNext) : {};
    if (!ld) {
      if (total !== null) res.setHeader('X-Total-Count', String(total));
      const link = Object.entries(links)
        .filter(([rel]) => rel !== 'self')
        .map(([rel, url]) => `<${url}>; rel="${rel === 'previous' ? 'prev' : rel}"`)
        .join(', ');
      // Clients cap response headers (Node: 16 KB in all); links built from huge filter values are left out.
      if (link && link.length <= MAX_LINK_HEADER) res.append('Link', link);
      return JSON.stringify(result.members instanceof RenderedRows ? result.members.as(false) : result.members);
    }
    const body: Record<string, unknown> = {
      '@context': contextIri(result.type),
      '@id': path,
      '@type': 'hydra:Collection',
    };
    if (total !== null) body['hydra:totalItems'] = total;
    body['hydra:member'] = result.members instanceof RenderedRows ? result.members.as(true) : toJsonLd(result.members);
    if (p) {
      const view: Record<string, unknown> = { '@id': links.self, '@type': 'hydra:PartialCollectionView' };
      if (links.first) view['hydra:first'] = links.first;
      if (links.last) view['hydra:last'] = links.last;
      if (links.previous) view['hydra:previous'] = links.previous;
      if (links.next) view['hydra:next'] = links.next;
      body['hydra:view'] = view;
    }
    // The filters' IriTemplate, serialized once per type at start-up (~6 KB for trade-ins).
    const search = hydra()?.search(result.type);
    const json = JSON.stringify(body);
    return search ? `${json.slice(0, -1)},"hydra:search":${search}}` : json;
  }
  return undefined;
}
