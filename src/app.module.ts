import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { buildDataSourceOptions } from './app.entities';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthFailureGuard } from './auth/auth-failures';
import { AuthModule } from './auth/auth.module';
import { CommentsModule } from './comments/comments.module';
import { CommonModule } from './common/common.module';
import { ExtensionsModule } from './common/extensions';
import { MediaTypesGuard } from './common/media-types.guard';
import type { AuthedRequest } from './common/principal';
import { ProblemFilter } from './common/problem.filter';
import { ApiValidationPipe } from './common/validation.pipe';
import { AppConfig } from './config';
import { ConfigModule } from './config.module';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LocationsModule } from './locations/locations.module';
import { PicturesModule } from './pictures/pictures.module';
import { KeyThrottlerGuard } from './platform/throttler.guard';
import { RejectReasonsModule } from './reject-reasons/reject-reasons.module';
import { SharedStateModule, THROTTLER_STORAGE } from './shared-state/shared-state.module';
import { TenantsModule } from './tenants/tenants.module';
import { TradeInsModule } from './trade-ins/trade-ins.module';
import { UpgradeModule } from './upgrade/upgrade.module';
import { JobsModule } from './jobs/jobs.module';
import { loadWebhookConfig } from './webhooks/webhooks.config';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The composition root: infrastructure modules, then the feature modules (their order is the
 * order of the routes and of the OpenAPI paths), and the cross-cutting guards and filter. No
 * feature's controllers or providers are listed here.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    const webhooks = loadWebhookConfig(process.env, config.webhooks);
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          // LOG_LEVEL=silent: no per-request logger at all (pino-http's child logger, its response
          // listener and the AsyncLocalStorage context cost ~3 % of a request and would log nothing).
          forRoutes: config.logLevel === 'silent' ? [] : undefined,
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
            // The request id (X-Request-Id, see transport.ts) is `req.id`; who called is known once the guard ran.
            customProps: (req) => {
              const p = (req as AuthedRequest).principal;
              return p ? { tenantId: p.tenantId, keyId: p.keyId } : {};
            },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
        ConfigModule.register(config),
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(config), retryAttempts: 0 }),
        DatabaseModule,
        ExtensionsModule,
        SharedStateModule.register(config),
        ThrottlerModule.forRootAsync({
          inject: [THROTTLER_STORAGE],
          useFactory: (storage: ThrottlerStorage) => ({ throttlers: [{ ttl: config.rateLimitWindowMs, limit: config.rateLimit }], storage }),
        }),
        HealthModule,
        CommonModule,
        TenantsModule,
        AuthModule,
        CustomersModule,
        LocationsModule,
        RejectReasonsModule,
        TradeInsModule,
        PicturesModule,
        CommentsModule,
        JobsModule.register({ enabled: webhooks.jobs === 'inline', tickMs: webhooks.tickMs }),
        UpgradeModule,
        WebhooksModule.register(webhooks),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        // In this order: the pre-authentication limit answers before any key lookup.
        { provide: APP_GUARD, useClass: AuthFailureGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        { provide: APP_GUARD, useClass: MediaTypesGuard },
        // Bodies declared as input classes are validated here, once (common/validation.pipe.ts).
        { provide: APP_PIPE, useClass: ApiValidationPipe },
      ],
    };
  }
}
