import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TxService } from '../database/tx.service';
import { ScheduledJob } from './scheduled-job.entity';

/**
 * A job: `single` jobs run on one worker at a time, inside the transaction that holds their
 * `scheduled_jobs` row (claimed with `FOR UPDATE SKIP LOCKED` on MySQL/MariaDB, so other workers
 * skip it; SQLite has one writer), at most every `everyMs`; `every-worker` jobs run on every worker
 * every tick and claim their own work (webhook deliveries).
 */
export type Job = { name: string; mode: 'single'; everyMs: number; run: (em: EntityManager) => Promise<unknown> } | { name: string; mode: 'every-worker'; run: () => Promise<unknown> };

export interface JobRunnerOptions {
  /** Whether this process runs the jobs (the server with JOBS=inline, or `npm run worker`). */
  enabled: boolean;
  tickMs: number;
}

export const JOB_RUNNER_OPTIONS = Symbol('JOB_RUNNER_OPTIONS');

const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** Runs the registered jobs every tick (see README "Jobs"). Features register their jobs at start-up. */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Jobs');
  private readonly jobs: Job[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly tx: TxService,
    @Inject(JOB_RUNNER_OPTIONS) private readonly options: JobRunnerOptions,
  ) {}

  register(job: Job): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`Job ${job.name} is registered twice`);
    this.jobs.push(job);
  }

  onApplicationBootstrap(): void {
    if (this.options.enabled) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule());
    }, this.options.tickMs);
    this.timer.unref?.();
  }

  /** One round over every job (tests call it directly); a job's failure is logged and does not stop the others. */
  async tick(now = new Date()): Promise<void> {
    for (const job of this.jobs) {
      if (this.stopped) return;
      try {
        if (job.mode === 'every-worker') await job.run();
        else await this.runSingle(job, now);
      } catch (e) {
        this.log.warn(`Job ${job.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private async runSingle(job: Extract<Job, { mode: 'single' }>, now: Date): Promise<void> {
    await this.tx.run(async (em) => {
      const skip = this.tx.engine === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
      let rows: { name: string }[] = await em.query(`SELECT name FROM scheduled_jobs WHERE name = ? AND next_run_at <= ?${skip}`, [job.name, sqlTime(now)]);
      if (!rows.length) {
        // First run anywhere: create the row (another worker may do the same at once: the loser's insert fails and it skips this round).
        const exists: unknown[] = await em.query('SELECT name FROM scheduled_jobs WHERE name = ?', [job.name]);
        if (exists.length) return;
        await em.getRepository(ScheduledJob).insert({ name: job.name, nextRunAt: now, lastRunAt: null, lastError: null });
        rows = [{ name: job.name }];
      }
      await em.getRepository(ScheduledJob).update({ name: job.name }, { nextRunAt: new Date(now.getTime() + job.everyMs), lastRunAt: now, lastError: null });
      await job.run(em);
    });
  }
}
