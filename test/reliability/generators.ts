/**
 * fast-check arbitraries driven by the OpenAPI document: for every operation, a request with path
 * parameters, query string, headers and body drawn from valid, boundary and hostile values.
 * Requests are abstract (ids are "own #k" / "foreign #k") and resolved against live pools when sent.
 */
import fc from 'fast-check';
import { openapi } from '../contract';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Op {
  template: string;
  method: string;
  op: Json;
}

export const OPERATIONS: Op[] = Object.entries(openapi.paths).flatMap(([template, ops]) => Object.entries(ops).map(([method, op]) => ({ template, method, op: op })));

/** A reference to an id resolved at send time: own tenant, the other tenant, or a literal. */
export type Ref = { kind: 'own' | 'foreign'; pool: string; n: number } | { kind: 'literal'; value: string };

export interface FuzzRequest {
  op: number;
  pathParams: Record<string, Ref>;
  query: [string, string | Ref][];
  /** JSON value, raw string body, or undefined (no body). */
  body: { json: unknown } | { raw: string } | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  /** Staff keys of tenant A (manager/admin/readonly) or B (foreign); programme customers of A or B (Bearer tokens). */
  key: 'manager' | 'admin' | 'readonly' | 'foreign' | 'none' | 'garbage' | 'customer' | 'foreignCustomer';
  ifMatch: string | undefined;
  idempotencyKey: string | undefined;
  /** Content-Encoding of the body: compressed correctly, corrupt (the header with bytes that are not that encoding), or unknown. */
  encoding: { name: string; corrupt: boolean } | undefined;
  /** Drawn by the well-formed generator (own ids, valid body, right credentials): meant to reach the business rules. */
  wellFormed?: boolean;
}

export const SQLI = ["' OR '1'='1", '1; DROP TABLE trade_ins; --', "1' UNION SELECT key_hash FROM api_keys --", '") OR 1=1 --', "%' OR 1=1 #", '\\', "'", '`id`', 'id DESC, (SELECT 1)', 'SLEEP(5)'];
export const PROTO = ['__proto__', 'constructor', 'prototype', '__proto__.polluted', 'constructor.prototype', 'hasOwnProperty', 'toString', 'valueOf'];
const WEIRD_STRINGS = ['', ' ', '\u0000', 'null', 'undefined', 'NaN', '-0', '1e309', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀', '\u202e', '<script>alert(1)</script>', '../../etc/passwd', '%00', 'a'.repeat(300), '0x10'];

const hostileString = fc.oneof(fc.constantFrom(...SQLI, ...PROTO, ...WEIRD_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileNumber = fc.constantFrom(-1, -0.5, 0, 0.001, 1.005, 1e21, -1e21, 2147483648, Number.MAX_SAFE_INTEGER, 9_999_999_999.99, 10_000_000_000);
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, [null], { __proto__: null }, { $gt: '' }, { '0': 1 }),
  fc.constant('x'.repeat(20_000)),
  fc.array(hostileString, { maxLength: 5 }),
);

function resolveRef(schema: Json): Json {
  let s = schema;
  for (let i = 0; s && s.$ref && i < 10; i++) s = openapi.components.schemas[s.$ref.replace('#/components/schemas/', '')];
  return s;
}

const IRI_POOLS: Record<string, string> = { customer: 'customers', dealership: 'locations', user: 'users' };

/** A JSON value for a schema: mostly valid (example, enum, bounds), sometimes boundary or hostile. */
export function valueFor(schemaIn: Json, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveRef(schemaIn);
  if (!schema || depth > 5) return fc.constant(null);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s: Json) => valueFor(s, name, depth)));
  if (schema.allOf) return valueFor(Object.assign({}, ...schema.allOf.map(resolveRef), { allOf: undefined }), name, depth);
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['object'];
  const choices: fc.Arbitrary<unknown>[] = [];
  if (name in IRI_POOLS) choices.push(refIri(IRI_POOLS[name]));
  if (name === 'pictureType')
    choices.push(fc.constantFrom('/api/v3/picture-types/exterior_front', '/api/v3/picture-types/odometer', '/api/v3/picture-types/engine', '/api/v3/picture-types/nope', '/api/v3/customers/1'));
  if (name === 'url') choices.push(fc.webUrl(), fc.constantFrom('https://placehold.co/1', 'ftp://x', 'javascript:alert(1)', '//evil'));
  if (name === 'rejectReason') choices.push(fc.constantFrom('price_too_low', 'other', '/api/v3/reject-reasons/other', 'nope'));
  if (name === 'vinCode') choices.push(fc.constantFrom('WVWZZZ1KZ6W000001', 'wvwzzz1kz6w000002', 'IOQ00000000000000', 'SHORT'));
  if (schema.example !== undefined) choices.push(fc.constant(schema.example));
  if (schema.enum) choices.push(fc.constantFrom(...schema.enum));
  for (const t of types) {
    if (t === 'null') choices.push(fc.constant(null));
    if (t === 'string') {
      const max = schema.maxLength ?? 255;
      choices.push(fc.string({ maxLength: 30 }), fc.constant('x'.repeat(max)), fc.constant('y'.repeat(max + 1)));
      if (schema.format === 'date' || /date/i.test(name)) choices.push(fc.constantFrom('2020-02-29', '2019-02-29', '1899-12-31', '2999-01-01', '2020-13-01', '2020-1-1'));
    }
    if (t === 'integer' || t === 'number') {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? 1_000_000;
      choices.push(fc.integer({ min, max: Math.min(max, 2 ** 31) }), fc.constantFrom(min, max, min - 1, max + 1));
      if (t === 'number') choices.push(fc.double({ min, max: Math.min(max, 1e9), noNaN: true }), fc.constant(12.345));
    }
    if (t === 'boolean') choices.push(fc.boolean());
    if (t === 'array') choices.push(fc.array(valueFor(schema.items ?? {}, '', depth + 1), { maxLength: 4 }));
    if (t === 'object' && schema.properties) {
      const entries = Object.entries(schema.properties as Json).map(([k, v]) => [k, valueFor(v as Json, k, depth + 1)] as const);
      choices.push(fc.record(Object.fromEntries(entries), { requiredKeys: [] }));
    }
  }
  if (!choices.length) choices.push(fc.constant(null));
  return fc.oneof({ arbitrary: fc.oneof(...choices), weight: 9 }, { arbitrary: hostileValue, weight: 1 });
}

function refIri(pool: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.record({ kind: fc.constantFrom('own' as const, 'own' as const, 'foreign' as const), pool: fc.constant(pool), n: fc.nat(50) }).map((r) => ({ $iri: r })),
    fc.constantFrom(`/api/v3/${pool}/999999`, `/api/v3/${pool}/0`, `/api/v3/${pool}/abc`, '/api/v3/trade-ins/1', `api/v3/${pool}/1`, `/api/v3/${pool}/1?x=1`, 1, `/api/v3/${pool}/1' OR 1=1`),
  );
}

/** Which id pool a path parameter draws from. */
function poolOf(template: string, param: string): string {
  const parts = template.split('/');
  const i = parts.indexOf(`{${param}}`);
  if (param === 'pictureId') return 'pictures';
  if (param === 'commentId') return 'comments';
  return parts[i - 1];
}

const hostilePath = fc.constantFrom('0', '-1', '99999999999', '2147483648', '1.5', 'abc', '1e3', '%2e%2e', "1'%20OR%20'1'%3D'1", '__proto__', 'constructor', '%E0%A4%A', '%00', '1%3BDROP', ' 1');

function pathParam(template: string, p: Json): fc.Arbitrary<Ref> {
  const schema = p.schema ?? {};
  if (p.name === 'tenant') {
    // The programme's tenant slug: mostly the caller's own, sometimes the other tenant's, reserved or hostile.
    return fc.oneof(
      { arbitrary: fc.constant({ kind: 'own' as const, pool: 'tenant', n: 0 }), weight: 12 },
      { arbitrary: fc.constant({ kind: 'foreign' as const, pool: 'tenant', n: 0 }), weight: 2 },
      { arbitrary: fc.oneof(fc.constantFrom('v3', 'docs', 'nope'), hostilePath).map((value) => ({ kind: 'literal' as const, value })), weight: 1 },
    );
  }
  if (schema.enum)
    return fc.oneof(
      { arbitrary: fc.constantFrom(...schema.enum).map((value: string) => ({ kind: 'literal' as const, value })), weight: 8 },
      { arbitrary: hostilePath.map((value) => ({ kind: 'literal' as const, value })), weight: 1 },
    );
  if (p.name === 'code') {
    const pool = template.includes('picture-types') ? ['exterior_front', 'odometer', 'documents', 'nope'] : ['price_too_low', 'other', 'nope', 'PRICE_TOO_LOW'];
    return fc.oneof(fc.constantFrom(...pool), hostilePath).map((value) => ({ kind: 'literal' as const, value }));
  }
  const pool = poolOf(template, p.name);
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('own' as const), pool: fc.constant(pool), n: fc.nat(50) }), weight: 12 },
    { arbitrary: fc.record({ kind: fc.constant('foreign' as const), pool: fc.constant(pool), n: fc.nat(50) }), weight: 2 },
    { arbitrary: hostilePath.map((value) => ({ kind: 'literal' as const, value })), weight: 2 },
  );
}

/** Hostile query parameter names and values: SQL injection and prototype pollution in filters, order and properties. */
const hostileQuery: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constantFrom(...SQLI.map((s) => `order[${s}]`), ...PROTO.map((s) => `order[${s}]`), 'order', 'order[]', 'order[id][x]'),
    fc.constantFrom('ASC', 'desc', 'sideways', 'ASC; DROP TABLE customers', ''),
  ),
  fc.tuple(
    fc.constantFrom(
      ...PROTO.map((s) => `properties[${s}][]`),
      ...PROTO.map((s) => `properties[${s}]`),
      'properties[]',
      'properties',
      'properties[vehicleModel][]',
      'properties[customer][]',
      'properties[a][b][c][]',
    ),
    fc.constantFrom(...PROTO, ...SQLI, 'id', 'status', 'regNr', 'lastName', 'make'),
  ),
  fc.tuple(fc.constantFrom(...PROTO, ...PROTO.map((p) => `${p}[polluted]`), 'constructor[prototype][polluted]', '__proto__[status]', ...SQLI), fc.constantFrom('1', 'yes', ...SQLI)),
  fc.tuple(
    fc.constantFrom('page', 'itemsPerPage', 'partial', 'page[]', 'itemsPerPage[x]'),
    fc.constantFrom('0', '-1', '1', '2', '100', '101', '1e3', '999999999', '1000000', ' 1', 'abc', 'true', '', ...SQLI),
  ),
  fc.tuple(
    fc.constantFrom(
      'status',
      'status[]',
      'status[__proto__]',
      'customer',
      'customer[]',
      'dealership',
      'vehicleModel.make',
      'vehicleModel.regNr',
      'note',
      'lastName',
      'email',
      'role',
      'createdAt[after]',
      'createdAt[__proto__]',
      'createdAt',
      'updatedAt[strictly_before]',
      'purchasePrice[between]',
      'purchasePrice[gte]',
      'purchasePrice',
      'vehicleModel.mileage[lt]',
      'purchasePrice[constructor]',
    ),
    fc.constantFrom(
      'done',
      'not_done',
      '2024-01-01',
      '2024-02-30',
      '2024-01-01T10:00:00+02:00',
      '1..5',
      '5..1',
      '1..',
      'abc',
      '1',
      '/api/v3/customers/1',
      '/api/v3/locations/1',
      '%',
      '_',
      '!',
      ...SQLI,
    ),
  ),
  fc.tuple(fc.constant('a' + '[b]'.repeat(30)), fc.constant('1')),
);

/** Relation filters and the pools their ids come from: aimed at the caller's and at the other tenant's rows. */
const FILTER_POOLS: Record<string, string> = { customer: 'customers', dealership: 'locations' };
const idRef = (pool: string): fc.Arbitrary<Ref> => fc.record({ kind: fc.constantFrom('own' as const, 'foreign' as const), pool: fc.constant(pool), n: fc.nat(50) });

function queryFor(op: Json): fc.Arbitrary<[string, string | Ref][]> {
  const params = (op.parameters ?? []).filter((p: Json) => p.in === 'query') as Json[];
  const documented: fc.Arbitrary<[string, string]>[] = params.map((p) => {
    const s = p.schema ?? {};
    const items = s.type === 'array' ? (s.items ?? {}) : s;
    const values: string[] = [];
    if (items.enum) values.push(...items.enum);
    if (s.type === 'integer') values.push('1', '2', String(s.maximum ?? 100), String((s.maximum ?? 100) + 1), '0');
    if (s.type === 'boolean') values.push('true', 'false', '1');
    if (s.format === 'date-time') values.push('2024-01-01', '2024-01-01T00:00:00Z', 'yesterday');
    if (p.name.startsWith('properties')) values.push('id', 'status', 'lastName', 'iri', 'vehicleModel', 'customer', 'nope');
    values.push('1', 'abc', '1000..2000', '/api/v3/customers/1');
    return fc.tuple(fc.constant(p.name as string), fc.oneof(fc.constantFrom(...values), hostileString.map(String)));
  });
  const relations = params.filter((p) => p.name in FILTER_POOLS).map((p) => fc.tuple(fc.constant(p.name as string), idRef(FILTER_POOLS[p.name])));
  const one = documented.length
    ? fc.oneof({ arbitrary: fc.oneof(...documented), weight: 3 }, { arbitrary: hostileQuery, weight: 1 }, ...(relations.length ? [{ arbitrary: fc.oneof(...relations), weight: 2 }] : []))
    : hostileQuery;
  return fc.array(one, { maxLength: 5 });
}

const MALFORMED = [
  '{',
  '{"a":',
  '[1,2',
  'null',
  '"x"',
  '1',
  'true',
  '[]',
  '{}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '['.repeat(200) + ']'.repeat(200),
  '{"a":'.repeat(60) + '1' + '}'.repeat(60),
  '\u0000',
  '{"a":1,"a":2}',
  `[${'{"url":"https://x.example/a"},'.repeat(150)}{"url":"https://x.example/b"}]`,
];

export function requestArb(): fc.Arbitrary<FuzzRequest> {
  return fc.nat(OPERATIONS.length - 1).chain((i) => {
    const { template, method, op } = OPERATIONS[i];
    const pathParams = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path');
    const bodySchema = op.requestBody?.content?.['application/json']?.schema ?? op.requestBody?.content?.['application/merge-patch+json']?.schema;
    const writes = method !== 'get';
    const body: fc.Arbitrary<FuzzRequest['body']> = bodySchema
      ? fc.oneof(
          { arbitrary: valueFor(bodySchema).map((json) => ({ json })), weight: 7 },
          { arbitrary: nullsFor(bodySchema).map((json) => ({ json })), weight: 1 },
          { arbitrary: fc.constantFrom(...MALFORMED).map((raw) => ({ raw })), weight: 1 },
          { arbitrary: hostileValue.map((json) => ({ json })), weight: 1 },
        )
      : fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: fc.constantFrom(...MALFORMED).map((raw) => ({ raw })), weight: 1 });
    const correctType = method === 'patch' ? 'application/merge-patch+json' : 'application/json';
    return fc.record({
      op: fc.constant(i),
      pathParams: fc.record(Object.fromEntries(pathParams.map((p) => [p.name as string, pathParam(template, p)]))),
      query: queryFor(op),
      body,
      contentType: fc.oneof(
        { arbitrary: fc.constant(writes ? correctType : undefined), weight: 10 },
        {
          arbitrary: fc.constantFrom(
            'application/json',
            'application/ld+json',
            'text/plain',
            'application/xml',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'garbage',
            '',
          ),
          weight: 2,
        },
      ),
      accept: fc.oneof(
        { arbitrary: fc.constantFrom(undefined, 'application/json', 'application/ld+json', '*/*', 'application/json;q=0.1, application/ld+json;q=0.9', 'application/*'), weight: 8 },
        { arbitrary: fc.constantFrom('application/problem+json', 'text/html', 'text/csv', '*/*;q=0', ''), weight: 1 },
      ),
      key: template.startsWith('/api/{tenant}/')
        ? fc.oneof(
            { arbitrary: fc.constant('customer' as const), weight: 7 },
            { arbitrary: fc.constantFrom('manager' as const, 'admin' as const), weight: 6 },
            { arbitrary: fc.constantFrom('readonly' as const, 'foreign' as const, 'foreignCustomer' as const, 'none' as const, 'garbage' as const), weight: 2 },
          )
        : fc.oneof(
            { arbitrary: fc.constantFrom('manager' as const, 'admin' as const), weight: 12 },
            { arbitrary: fc.constantFrom('readonly' as const, 'foreign' as const, 'none' as const, 'garbage' as const), weight: 2 },
          ),
      ifMatch: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '"999"', 'garbage', '"1", "2"', ''), weight: 1 }),
      idempotencyKey: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom('k1', 'k2', 'k3', 'x'.repeat(256), 'with space', '\t', ''), weight: 1 }),
      encoding: writes ? ENCODING : fc.constant(undefined),
    });
  });
}

const ENCODING: fc.Arbitrary<FuzzRequest['encoding']> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.record({ name: fc.constantFrom('gzip', 'deflate', 'br'), corrupt: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ name: fc.constantFrom('zstd', 'compress', 'gzip, br', 'identity', 'x-garbage'), corrupt: fc.constant(false) }), weight: 1 },
);

/** `null` in every field of a body (all of them, or some), nested objects and array items too. */
export function nullsFor(schemaIn: Json, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveRef(schemaIn);
  if (!schema || depth > 4) return fc.constant(null);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.filter((s: Json) => s.type !== 'null').map((s: Json) => nullsFor(s, depth)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object'];
  if (types.includes('array')) return fc.oneof(fc.constant(null), fc.constant([null]), fc.array(nullsFor(schema.items ?? {}, depth + 1), { minLength: 1, maxLength: 2 }));
  if (types.includes('object') && schema.properties) {
    const keys = Object.keys(schema.properties as Json);
    const all = Object.fromEntries(keys.map((k) => [k, null]));
    const nested = Object.fromEntries(keys.map((k) => [k, fc.oneof(fc.constant(null), nullsFor((schema.properties as Json)[k], depth + 1))]));
    return fc.oneof(
      fc.constant(all),
      fc.record(nested, { requiredKeys: [] }),
      fc.constantFrom(...keys).map((k) => ({ [k]: null })),
    );
  }
  return fc.constant(null);
}

/** A valid value for a schema: its example, an enum value, or a plain value of its type; IRIs of the caller's own rows. */
function validFor(schemaIn: Json, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveRef(schemaIn);
  if (!schema || depth > 5) return fc.constant(null);
  if (schema.anyOf) return validFor(schema.anyOf.find((s: Json) => s.type !== 'null') ?? {}, name, depth);
  if (schema.allOf) return validFor(Object.assign({}, ...schema.allOf.map(resolveRef), { allOf: undefined }), name, depth);
  if (name in IRI_POOLS) return fc.record({ kind: fc.constant('own' as const), pool: fc.constant(IRI_POOLS[name]), n: fc.nat(50) }).map((r) => ({ $iri: r }));
  if (name === 'pictureType') return fc.constantFrom('/api/v3/picture-types/exterior_front', '/api/v3/picture-types/odometer', '/api/v3/picture-types/engine', null);
  if (name === 'url') return fc.integer({ min: 1, max: 99 }).map((i) => `https://photos.example/${i}.jpg`);
  if (name === 'rejectReason') return fc.constantFrom('price_too_low', 'other');
  if (name === 'amount' || name === 'purchasePrice' || name === 'base_value') return fc.integer({ min: 1, max: 50_000 });
  if (schema.enum) return fc.constantFrom(...schema.enum.filter((v: unknown) => v !== null));
  const types: string[] = Array.isArray(schema.type) ? schema.type.filter((t: string) => t !== 'null') : [schema.type ?? 'object'];
  const t = types[0];
  if (t === 'object' && schema.properties) {
    const required = new Set<string>(schema.required ?? []);
    const entries = Object.entries(schema.properties as Json).map(([k, v]) => [k, validFor(v as Json, k, depth + 1)] as const);
    return fc.record(Object.fromEntries(entries), { requiredKeys: [...required].filter((k) => k in (schema.properties as Json)) });
  }
  if (t === 'array') return fc.array(validFor(schema.items ?? {}, '', depth + 1), { maxLength: 2 });
  if (schema.example !== undefined && schema.example !== null) return fc.constant(schema.example);
  if (t === 'integer' || t === 'number') return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1000) });
  if (t === 'boolean') return fc.boolean();
  if (t === 'string') return fc.string({ minLength: 1, maxLength: Math.min(schema.maxLength ?? 20, 20) }).map((x) => x.replace(/[^A-Za-z0-9 ]/g, 'a') || 'a');
  return fc.constant(null);
}

/**
 * Well-formed requests: the caller's own ids, a valid body, the right content type and the
 * credentials the operation is documented for. Most of them pass validation and authorization, so
 * the fuzzer reaches the business rules (state machine, locks, programme rules) and not only the
 * edge checks; the share that did is reported.
 */
export function wellFormedArb(): fc.Arbitrary<FuzzRequest> {
  return fc.nat(OPERATIONS.length - 1).chain((i) => {
    const { template, method, op } = OPERATIONS[i];
    const pathParams = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path');
    const bodySchema = op.requestBody?.content?.['application/json']?.schema ?? op.requestBody?.content?.['application/merge-patch+json']?.schema;
    const security = ((op.security ?? [{ ApiKey: [] }]) as Json[]).flatMap((s) => Object.keys(s));
    const customer = template.startsWith('/api/{tenant}/') && security.includes('CustomerSession');
    const staff = security.includes('ApiKey') || !template.startsWith('/api/{tenant}/');
    const keys: FuzzRequest['key'][] = [...(customer ? ['customer' as const] : []), ...(staff ? ['manager' as const, 'admin' as const] : []), ...(!customer && !staff ? ['none' as const] : [])];
    return fc.record({
      op: fc.constant(i),
      pathParams: fc.record(Object.fromEntries(pathParams.map((p) => [p.name as string, ownParam(template, p)]))),
      query: fc.constant([] as [string, string | Ref][]),
      body: bodySchema ? validFor(bodySchema).map((json) => ({ json })) : fc.constant(undefined),
      contentType: fc.constant(method === 'get' ? undefined : method === 'patch' && template.startsWith('/api/v3/') ? 'application/merge-patch+json' : 'application/json'),
      accept: fc.constant('application/json'),
      // Staff routes mostly with the admin key: some programme settings are admin-only, and a manager's 403 stops at the edge.
      key: fc.oneof(...keys.map((k) => ({ arbitrary: fc.constant(k), weight: k === 'admin' ? 3 : 1 }))),
      ifMatch: fc.constant(undefined),
      idempotencyKey: fc.constant(undefined),
      encoding: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.record({ name: fc.constantFrom('gzip', 'deflate', 'br'), corrupt: fc.constant(false) }), weight: 1 }),
      wellFormed: fc.constant(true),
    });
  });
}

function ownParam(template: string, p: Json): fc.Arbitrary<Ref> {
  const schema = p.schema ?? {};
  if (p.name === 'tenant') return fc.constant({ kind: 'own' as const, pool: 'tenant', n: 0 });
  if (schema.enum) return fc.constantFrom(...schema.enum).map((value: string) => ({ kind: 'literal' as const, value }));
  if (p.name === 'code')
    return fc.constantFrom(...(template.includes('picture-types') ? ['exterior_front', 'odometer'] : ['price_too_low', 'other'])).map((value) => ({ kind: 'literal' as const, value }));
  return fc.record({ kind: fc.constant('own' as const), pool: fc.constant(poolOf(template, p.name)), n: fc.nat(50) });
}
