import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { bootstrapIfEmpty } from './auth/keys';
import { MEDIA } from './common/negotiation';
import { expressProblemHandler } from './common/problem.filter';
import { sendProblem } from './common/problem';
import { AppConfig, loadConfig } from './config';
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
  return toOpenApi31(doc);
}

function toOpenApi31(doc: OpenAPIObject): OpenAPIObject {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if (out.nullable === true) {
      delete out.nullable;
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      else if (out.$ref || out.allOf) {
        const { description, ...rest } = out;
        return { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] };
      }
    }
    if ('example' in out && out.example === null && Array.isArray(out.type) && !out.type.includes('null')) delete out.example;
    return out;
  };
  const converted = walk(doc) as OpenAPIObject;
  converted.openapi = '3.1.0';
  return converted;
}

export async function createApp(overrides: Partial<AppConfig> = {}): Promise<CreatedApp> {
  const config = { ...loadConfig(), ...overrides };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  const expressApp = app.getHttpAdapter().getInstance() as express.Express;
  expressApp.set('query parser', 'extended');
  expressApp.set('trust proxy', process.env.TRUST_PROXY === 'true');
  expressApp.disable('x-powered-by');
  expressApp.set('etag', false);

  app.use(
    helmet({
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
  app.use(programFormat); // before the body parsers, so their errors are problem+json on programme routes too
  app.use(express.json({ limit: config.bodyLimit, type: [MEDIA.json, MEDIA.jsonld, MEDIA.mergePatch], strict: true }));
  app.use(express.urlencoded({ extended: true, limit: '100kb', parameterLimit: 1000 }));
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
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs.json',
    customSiteTitle: 'Trade-in API — Swagger UI',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
  await app.init();
  // After Nest's routes: body-parser errors and anything else Express raises.
  expressApp.use((req: express.Request, res: express.Response) => sendProblem(req, res, { status: 404, detail: `No route matches ${req.method} ${req.path}.` }));
  expressApp.use(expressProblemHandler);
  return { app, document, bootstrapKey };
}
