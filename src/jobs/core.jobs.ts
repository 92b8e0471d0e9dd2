import { Injectable, OnModuleInit } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { IdempotencyRecord } from '../database/idempotency.entity';
import { IDEMPOTENCY_TTL_MS } from '../database/idempotency.service';
import { JobRunner } from './job-runner';

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
