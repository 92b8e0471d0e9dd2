import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/** Every tag an operation uses, declared with what it groups (Spectral's operation-tag-defined). */
const TAGS: Record<string, string> = {
  Operations: 'Health checks for load balancers and orchestration.',
  'Users and API keys': 'Who calls: users of the tenant with their roles, and their API keys (admin).',
  Customers: 'The sellers of the vehicles, referenced by trade-ins as `customer`.',
  'Locations (dealerships)': "The dealer group's locations, referenced by trade-ins as `dealership`.",
  'Reject reasons': 'The catalogue of codes a no-deal trade-in gives as `rejectReason`.',
  'Trade-ins': 'The trade-in: vehicle, condition, prices, status machine, history and appraisal.',
  Pictures: 'The picture types and the gallery of each trade-in.',
  Comments: 'Comments on a trade-in; they stay writable after done.',
  'Customer programme — accounts': 'Programme customers (/api/{tenant}): register, log in, log out, profile.',
  'Customer programme — submissions and offers': 'Submissions (a submission is a trade-in), offers, acceptance and logistics.',
  'Customer programme — photos': 'Photos uploaded with a submission.',
  'Customer programme — admin': 'Staff side of the programme: offers, valuations, modifiers, customers and stats.',
  'Customer programme — credits': "Store credit: the customer's balance and ledger, and the entries staff record (spend, adjust, refund).",
  'Customer programme — e-mail':
    "Customer e-mail at offer, acceptance (with the return label's link), kit, shipping, receipt, inspection, credit and password reset: sent by the job runner (SMTP_URL, or .eml files in MAIL_DIR), retried with backoff, from per-tenant Mustache templates (admin).",
  Webhooks:
    'Push instead of polling (admin). Every change is recorded as an event in the transaction that makes it and POSTed, at least once, to each subscription that wants its type, signed per the Standard Webhooks specification (`webhook-id` = the event id, stable across retries; `webhook-timestamp`; `webhook-signature`: `v1,<base64 HMAC-SHA256>`, two during a secret rotation). Body: `{"id", "type", "timestamp", "subject" (the IRI), "sequence" (per trade-in: 1, 2, 3, … in commit order), "data"}` with the resource in its plain JSON form. Event types: trade_in.created, trade_in.updated, trade_in.deleted, trade_in.status_changed (data: from, to, actor, tradeIn), trade_in.pictures_changed, trade_in.comments_changed, customer.created/updated/deleted, location.created/updated/deleted, submission.created/updated/submitted/shipped/received/inspected/credit_issued, offer.created/accepted/declined/expired/superseded, webhook.ping, webhook.disabled. Failed deliveries are retried with exponential backoff and jitter for a day; a subscription is disabled after a run of failures (`disabledReason`). Verify with the `standardwebhooks` package: `new Webhook(secret).verify(rawBody, headers)`. Payload examples: README, section Webhooks.',
};

/** Schemas describing errors: one schema serves problem+json and hydra:Error already. */
const ERROR_SCHEMAS = new Set(['ProblemView', 'ViolationView']);

const LD_NODE_KEYS: Record<string, Schema> = {
  '@id': { type: 'string', description: 'JSON-LD: the IRI of the resource.', example: '/api/v3/resources/1' },
  '@type': { type: 'string', description: 'JSON-LD: the resource type.', example: 'Resource' },
};
const LD_CONTEXT: Schema = { type: 'string', description: 'JSON-LD, top-level resources only: the context IRI.', example: '/api/v3/contexts/Resource' };

const REF = '#/components/schemas/';

function mapRefs(node: unknown, fn: (name: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => mapRefs(n, fn));
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(REF) ? REF + fn(v.slice(REF.length)) : mapRefs(v, fn);
  return out;
}

/**
 * The read models (`*View`) in the variants the responses really have, as API Platform names
 * them: `X` is the plain JSON form (no JSON-LD keys), `X.jsonld` the JSON-LD form (resource
 * nodes — views with an `iri` — carry `@id` and `@type`); `.sparse` (no required fields) is what
 * comes back when `properties[]` selects fields. Operations reference the variant of their media
 * type; those taking `properties[]` answer `anyOf` the full and the sparse form.
 */
function splitViews(doc: OpenAPIObject): void {
  const schemas = doc.components!.schemas as Record<string, Schema>;
  const views = new Set(Object.keys(schemas).filter((n) => /View$/.test(n) && !ERROR_SCHEMAS.has(n)));
  const variantName = (name: string, ld: boolean, sparse: boolean) => `${name}${ld ? '.jsonld' : ''}${sparse ? '.sparse' : ''}`;

  const variant = (name: string, ld: boolean, sparse: boolean): string => {
    const target = variantName(name, ld, sparse);
    if (target === name || schemas[target]) return target;
    const base = schemas[name];
    schemas[target] = {}; // reserved first: views may refer to each other
    const copy = mapRefs(base, (ref) => (views.has(ref) ? variant(ref, ld, sparse) : ref)) as Schema;
    const props = { ...(copy.properties as Record<string, Schema>) };
    let required = sparse ? [] : ((copy.required as string[] | undefined) ?? []);
    if (ld && 'iri' in props) {
      Object.assign(props, LD_NODE_KEYS, { '@context': LD_CONTEXT });
      required = ['@id', '@type', ...required];
    }
    const { required: _r, ...rest } = copy;
    schemas[target] = {
      ...rest,
      ...(sparse ? { description: `${(base.description as string | undefined) ?? name}: only the fields selected by properties[].` } : {}),
      properties: props,
      ...(required.length ? { required } : {}),
    };
    return target;
  };

  /** A view reference in a response → its variant; under properties[], `anyOf` the full and the sparse form. */
  const retarget = (node: unknown, ld: boolean, selects: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => retarget(n, ld, selects));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as Schema).$ref;
    if (typeof ref === 'string' && views.has(ref.slice(REF.length))) {
      const name = ref.slice(REF.length);
      const full = { $ref: REF + variant(name, ld, false) };
      return selects ? { anyOf: [full, { $ref: REF + variant(name, ld, true) }] } : full;
    }
    const out: Schema = {};
    for (const [k, v] of Object.entries(node)) out[k] = retarget(v, ld, selects);
    return out;
  };

  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as { parameters?: { name?: string }[]; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }[]) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const selects = (op.parameters ?? []).some((p) => p.name === 'properties[]');
      for (const response of Object.values(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (media.schema && (type === 'application/json' || type === 'application/ld+json')) media.schema = retarget(media.schema, type === 'application/ld+json', selects);
        }
      }
    }
  }
}

const V3 = '/api/v3';

/**
 * The dealer API's paths relative to its server `PUBLIC_BASE_URL/api/v3` (`/trade-ins/{id}`),
 * as clients that derive resource URLs from `servers` expect (api-doc-parser, generated
 * clients); the other routes (health, the programme) name their own server. Without a
 * PUBLIC_BASE_URL the servers are relative to wherever the document was fetched from.
 */
function serverRelativePaths(doc: OpenAPIObject, publicBaseUrl: string): void {
  doc.servers = [{ url: `${publicBaseUrl}${V3}`, description: 'The dealer API on this server (PUBLIC_BASE_URL).' }];
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.startsWith(`${V3}/`)) paths[path.slice(V3.length)] = item;
    else paths[path] = { servers: [{ url: publicBaseUrl || '/', description: 'This server (PUBLIC_BASE_URL).' }], ...item };
  }
  doc.paths = paths;
}

/** The document's path templates as the app routes them (`/api/v3/trade-ins/{id}`), without path-level servers. */
export function appPaths(doc: Pick<OpenAPIObject, 'paths'>): OpenAPIObject['paths'] {
  const out: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const { servers, ...operations } = item;
    out[servers ? path : `${V3}${path}`] = operations;
  }
  return out;
}

/** What outside tools need besides the operations: the servers, the tags, the licence, the read-model variants. */
export function finishDocument(doc: OpenAPIObject, publicBaseUrl: string): OpenAPIObject {
  doc.info.license = { name: 'Proprietary (UNLICENSED)', identifier: 'LicenseRef-Proprietary' } as never;
  const used: string[] = [];
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as { tags?: string[] }[]) for (const t of op?.tags ?? []) if (!used.includes(t)) used.push(t);
  }
  doc.tags = used.map((name) => {
    const description = TAGS[name];
    if (!description) throw new Error(`OpenAPI tag "${name}" has no description in TAGS (src/common/openapi.document.ts).`);
    return { name, description };
  });
  splitViews(doc);
  serverRelativePaths(doc, publicBaseUrl);
  return doc;
}
