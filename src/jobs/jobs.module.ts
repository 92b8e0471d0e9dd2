import { DynamicModule, Global, Module } from '@nestjs/common';
import { CoreJobs } from './core.jobs';
import { JobRunner, JobRunnerOptions, JOB_RUNNER_OPTIONS } from './job-runner';

/** The job runner (global: features register their jobs with it at start-up) and the core's own jobs. */
@Global()
@Module({})
export class JobsModule {
  static register(options: JobRunnerOptions): DynamicModule {
    return { module: JobsModule, providers: [{ provide: JOB_RUNNER_OPTIONS, useValue: options }, JobRunner, CoreJobs], exports: [JobRunner] };
  }
}
