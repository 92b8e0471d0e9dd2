import { Injectable, OnModuleInit, Provider } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { IdempotencyRecord } from '../common/idempotency.entity';
import { IDEMPOTENCY_TTL_MS } from '../common/idempotency.service';
import { JobRunner, JobRunnerOptions, JOB_RUNNER_OPTIONS } from './job-runner';

/** Jobs over the core's own tables: idempotency keys past their TTL, hourly. */
@Injectable()
export class CoreJobs implements OnModuleInit {
  constructor(private readonly runner: JobRunner) {}

  onModuleInit(): void {
    this.runner.register({
      name: 'idempotency.purge',
      mode: 'single',
      everyMs: 3600_000,
      run: (em) => em.getRepository(IdempotencyRecord).delete({ createdAt: LessThan(new Date(Date.now() - IDEMPOTENCY_TTL_MS)) }),
    });
  }
}

/** The runner and the core's jobs (AppModule; the worker process runs the same application without HTTP). */
export const jobProviders = (options: JobRunnerOptions): Provider[] => [{ provide: JOB_RUNNER_OPTIONS, useValue: options }, JobRunner, CoreJobs];
