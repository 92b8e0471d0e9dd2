import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthFailureGuard, AuthFailures } from './auth/auth-failures';
import { LoginAttempts } from './auth/login-attempts';
import { Passwords } from './auth/passwords';
import { AuthService } from './auth/auth.service';
import type { AuthedRequest } from './auth/principal';
import { UsersController } from './auth/users.controller';
import { MediaTypesGuard } from './common/media-types.guard';
import { HydraController } from './common/hydra.controller';
import { ErrorsController } from './common/errors.controller';
import { IdempotencyService } from './common/idempotency.service';
import { ProblemFilter } from './common/problem.filter';
import { KeyThrottlerGuard } from './common/throttle.guard';
import { AppConfig, APP_CONFIG } from './config';
import { CustomersController } from './customers/customers.controller';
import { buildDataSourceOptions } from './database/data-source';
import { TxService } from './database/tx.service';
import { HealthController } from './health/health.controller';
import { LocationsController } from './locations/locations.controller';
import { RejectReasonsController } from './reject-reasons/reject-reasons.controller';
import { SharedStateModule, THROTTLER_STORAGE } from './shared-state/shared-state.module';
import { TRADE_IN_CONTROLLERS, TRADE_IN_PROVIDERS } from './trade-ins/trade-ins.providers';
import { PROGRAM_CONTROLLERS, PROGRAM_PROVIDERS } from './upgrade/program.providers';
import { jobProviders } from './jobs/core.jobs';
import { loadWebhookConfig } from './webhooks/webhooks.config';
import { WEBHOOK_CONTROLLERS, webhookProviders } from './webhooks/webhooks.providers';

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
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(config), retryAttempts: 0 }),
        TerminusModule,
        SharedStateModule.register(config),
        ThrottlerModule.forRootAsync({
          inject: [THROTTLER_STORAGE],
          useFactory: (storage: ThrottlerStorage) => ({ throttlers: [{ ttl: config.rateLimitWindowMs, limit: config.rateLimit }], storage }),
        }),
      ],
      controllers: [
        HealthController,
        HydraController,
        ErrorsController,
        UsersController,
        CustomersController,
        LocationsController,
        RejectReasonsController,
        ...TRADE_IN_CONTROLLERS,
        ...PROGRAM_CONTROLLERS,
        ...WEBHOOK_CONTROLLERS,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        TxService,
        AuthService,
        AuthFailures,
        Passwords,
        LoginAttempts,
        IdempotencyService,
        ...TRADE_IN_PROVIDERS,
        ...PROGRAM_PROVIDERS,
        ...jobProviders({ enabled: webhooks.jobs === 'inline', tickMs: webhooks.tickMs }),
        ...webhookProviders(webhooks),
        { provide: APP_FILTER, useClass: ProblemFilter },
        // In this order: the pre-authentication limit answers before any key lookup.
        { provide: APP_GUARD, useClass: AuthFailureGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        { provide: APP_GUARD, useClass: MediaTypesGuard },
      ],
    };
  }
}
