import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { JobRunner } from '../jobs/job-runner';
import { DeliveryWorker } from './delivery.worker';
import { WebhookConfig, WEBHOOK_CONFIG } from './webhooks.config';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Registers the webhook jobs with the runner: dispatch (one worker at a time), delivery (every worker), log purge (hourly). */
@Injectable()
export class WebhookJobs implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly worker: DeliveryWorker,
  ) {}

  onModuleInit(): void {
    this.runner.register({ name: 'webhooks.dispatch', mode: 'single', everyMs: 0, onCommit: true, run: (em) => this.worker.dispatch(em) });
    this.runner.register({ name: 'webhooks.deliver', mode: 'every-worker', onCommit: true, run: () => this.worker.deliverDue() });
    this.runner.register({ name: 'webhooks.purge-log', mode: 'single', everyMs: 3600_000, run: (em) => this.worker.purge(em) });
  }
}

/** The webhooks add-on: subscriptions, delivery and its jobs (the core only writes the outbox, see database/outbox.ts). */
@Module({})
export class WebhooksModule {
  static register(config: WebhookConfig): DynamicModule {
    return {
      module: WebhooksModule,
      controllers: [WebhooksController],
      providers: [{ provide: WEBHOOK_CONFIG, useValue: config }, WebhooksRepository, WebhooksService, DeliveryWorker, WebhookJobs],
      exports: [WEBHOOK_CONFIG],
    };
  }
}
