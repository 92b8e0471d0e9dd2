import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { ApiExpressAdapter } from './platform/express-adapter';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { bootstrapIfEmpty } from './auth/keys';
import { ApiError } from './common/errors';
import { API_DOCUMENTATION_PATH, HYDRA, HydraApi, requestOrigin, useHydra } from './common/hydra';
import { setPublicBase } from './common/iri';
import { COLLECTION_SPECS } from './common/openapi.decorators';
import { MEDIA } from './common/negotiation';
import { expressProblemHandler } from './common/problem.filter';
import { QuietStart } from './common/quiet-start.logger';
import { corsOptions, requestId, routeTable, unmatched } from './common/transport';
import { securityHeaders } from './platform/static-helmet';
import { APP_CONFIG, AppConfig, loadConfig } from './config';
import { finishDocument } from './common/openapi.document';
import { TxService } from './database/tx.service';
import { programFormat } from './upgrade/program.guard';

export interface CreatedApp {
  app: NestExpressApplication;
  document: OpenAPIObject;
  /** Set on the first start of an empty database: the bootstrap admin key (plaintext, shown once). */
  bootstrapKey: string | null;
}

/** The OpenAPI document, post-processed to OpenAPI 3.1 (nullable → type unions). */
export function buildDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Trade-in API')
    .setDescription(
      'Salesfront-compatible vehicle trade-in API (API Platform conventions: JSON-LD with IRIs, Hydra collections, ' +
        'filters, merge-patch, status routes). Authenticate with the `X-API-Key` header. ' +
        'Send `Accept: application/json` for plain JSON; JSON-LD (`application/ld+json`) is the default. ' +
        'The customer-facing trade-in programme lives under `/api/{tenant}/...` (plain JSON, snake_case bodies): customers authenticate with ' +
        '`Authorization: Bearer <token>` from `/api/{tenant}/auth/login`, staff with their X-API-Key. A submission there is a trade-in here; ' +
        'statuses map draft → not_done, submitted → ready_for_appraisal (and done), offered → sent_to_customer, accepted → purchase_agreement, ' +
        'declined → no_deal, then shipped → received → inspected → completed.',
    )
    .setVersion('3.0.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Your API key (printed at first start, or from `npm run apikey -- create`).' }, 'ApiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque (tis_…)', description: 'Customer programme session token (POST /api/{tenant}/auth/login).' }, 'CustomerSession')
    .addSecurityRequirements('ApiKey')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  const health = doc.paths['/health']?.get;
  if (health) health.security = []; // public: no key needed
  return finishDocument(toOpenApi31(doc), app.get<AppConfig>(APP_CONFIG).documentServer);
}

function toOpenApi31(doc: OpenAPIObject): OpenAPIObject {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    inferScalarType(out);
    if (out.nullable === true) {
      delete out.nullable;
      if (out.$ref || out.allOf) {
        // A nullable reference: the referenced schema or null (a `type` next to the $ref would forbid null).
        const { description, type: _type, ...rest } = out;
        // @nestjs/swagger wraps a described $ref in a one-element allOf; inside anyOf it is just the $ref.
        const target = Array.isArray(rest.allOf) && rest.allOf.length === 1 && Object.keys(rest).length === 1 ? (rest.allOf as unknown[])[0] : rest;
        return { ...(description ? { description } : {}), anyOf: [target, { type: 'null' }] };
      }
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    }
    if ('example' in out && out.example === null && Array.isArray(out.type) && !out.type.includes('null')) delete out.example;
    return out;
  };
  const converted = walk(doc) as OpenAPIObject;
  converted.openapi = '3.1.0';
  closeViews(converted);
  addTransportErrors(converted);
  return converted;
}

/**
 * TypeScript reflects a `string | null` property as Object, so @nestjs/swagger writes `type: object`
 * for it. A scalar "object" (no properties, items or refs) gets its type from its example instead.
 */
function inferScalarType(schema: Record<string, unknown>): void {
  const t = schema.type;
  if (t !== 'object' && !(Array.isArray(t) && t.includes('object'))) return;
  if (schema.properties || schema.additionalProperties || schema.$ref || schema.allOf || schema.anyOf || schema.items) return;
  const ex = schema.example ?? (Array.isArray(schema.enum) ? (schema.enum as unknown[]).find((v) => v !== null) : undefined);
  if (ex !== undefined && ex !== null && typeof ex === 'object') return;
  const scalar = typeof ex === 'number' ? 'number' : typeof ex === 'boolean' ? 'boolean' : 'string';
  schema.type = Array.isArray(t) ? (t as unknown[]).map((x) => (x === 'object' ? scalar : x)) : scalar;
}

const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } },
  'application/ld+json': { schema: { $ref: '#/components/schemas/ProblemView' } },
};

/** Errors any route can produce before its handler runs (body parsing, limits): documented everywhere. */
function addTransportErrors(doc: OpenAPIObject): void {
  // Bodies are parsed before routing, so even a GET carrying one can meet 413/415.
  const common: Record<string, string> = {
    '400': 'The request cannot be read (malformed JSON, bad URL encoding, invalid parameter).',
    '413': 'The request body is larger than the limit (BODY_LIMIT).',
    '415': 'The request body is in a media type, character set or encoding that is not read here.',
    '429': 'Rate limit exceeded; see Retry-After.',
  };
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      for (const [status, description] of Object.entries(common)) {
        // Raised before the route is known, so in either error format whatever the route's own convention.
        const response = (op.responses[status] ??= { description, content: {} }) as { content?: Record<string, unknown> };
        response.content = { ...problemContent, ...(response.content ?? {}) };
      }
    }
  }
}

/**
 * Read models (schemas named `*View`) list every field a response carries: they are closed
 * (`additionalProperties: false`) so that an undocumented field is a contract violation. Their
 * JSON-LD and sparse variants are derived in finishDocument.
 */
function closeViews(doc: OpenAPIObject): void {
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}) as [string, Record<string, unknown>][]) {
    if (/View$/.test(name) && schema.type === 'object' && schema.properties) schema.additionalProperties = false;
  }
}

/** Routes left out of the OpenAPI document, for `Allow` (405 and OPTIONS). */
const UNDOCUMENTED_ROUTES: Record<string, string[]> = {
  '/api/v3': ['GET'],
  '/api/v3/docs.jsonld': ['GET'],
  '/errors/{status}': ['GET'],
  '/api/docs': ['GET'],
  '/api/docs.json': ['GET'],
  '/api/v3/contexts/{type}': ['GET'],
};

/**
 * body-parser passes a decompression failure on as zlib's own error (code Z_DATA_ERROR, no `type`),
 * which the problem mapping cannot tell from a server fault: a corrupt gzip/deflate/br body was a 500.
 */
function undecodableBody(err: unknown, req: express.Request, _res: express.Response, next: express.NextFunction): void {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(Z_|ERR__|ERR_ZLIB|ERR_BROTLI)/.test(code)) {
    const encoding = String(req.headers['content-encoding'] ?? '').slice(0, 20);
    return next(new ApiError(400, `The request body is not valid ${encoding} data (Content-Encoding: ${encoding}); send it compressed correctly, or uncompressed without Content-Encoding.`));
  }
  next(err);
}

export async function createApp(overrides: Partial<AppConfig> = {}): Promise<CreatedApp> {
  const config = { ...loadConfig(), ...overrides };
  setPublicBase(config.publicBaseUrl);
  const adapter = new ApiExpressAdapter();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), adapter, { bodyParser: false, bufferLogs: true });
  app.useLogger(new QuietStart(app.get(Logger)));
  const expressApp = app.getHttpAdapter().getInstance();
  expressApp.set('query parser', 'extended');
  expressApp.set('trust proxy', config.trustProxy);
  expressApp.disable('x-powered-by');
  expressApp.set('etag', false);

  app.use(requestId);
  // Hydra clients discover the API documentation from any response of the API (API Platform's Link header).
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.path.startsWith('/api/v3')) res.setHeader('Link', `<${requestOrigin(req)}${API_DOCUMENTATION_PATH}>; rel="${HYDRA}apiDocumentation"`);
    next();
  });
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
    }),
  );
  // Preflights are answered here, before authentication (a browser sends them without the key).
  if (config.corsOrigins.length) app.enableCors(corsOptions(config.corsOrigins));
  app.use(programFormat); // before the body parsers, so their errors are problem+json on programme routes too
  app.use(express.json({ limit: config.bodyLimit, type: [MEDIA.json, MEDIA.jsonld, MEDIA.mergePatch], strict: true }));
  app.use(express.urlencoded({ extended: true, limit: '100kb', parameterLimit: 1000 }));
  app.use(undecodableBody);
  app.enableShutdownHooks();

  // Migrations run at every start; the first start on an empty database creates the admin key.
  const ds = app.get(DataSource);
  await ds.runMigrations({ transaction: 'each' });
  let bootstrapKey: string | null = null;
  if (config.bootstrap) {
    const created = await app.get(TxService).run((em) => bootstrapIfEmpty(em));
    bootstrapKey = created?.key ?? null;
  }

  const document = buildDocument(app);
  useHydra(new HydraApi(document, COLLECTION_SPECS));
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs.json',
    customSiteTitle: 'Trade-in API — Swagger UI',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
  adapter.handleUnmatched(unmatched(routeTable(document, UNDOCUMENTED_ROUTES)));
  await app.init();
  // After Nest's routes: anything Express raises outside them.
  expressApp.use(expressProblemHandler);
  return { app, document, bootstrapKey };
}
