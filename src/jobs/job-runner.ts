import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { onOutboxCommit } from '../database/outbox-signal';
import { TxService } from '../database/tx.service';
import { ScheduledJob } from './scheduled-job.entity';

/**
 * A job: `single` jobs run on one worker at a time, inside the transaction that holds their
 * `scheduled_jobs` row (claimed with `FOR UPDATE SKIP LOCKED` on MySQL/MariaDB, so other workers
 * skip it; SQLite has one writer), at most every `everyMs`; `every-worker` jobs run on every worker
 * every tick and claim their own work (webhook deliveries).
 */
export type Job = ({ name: string; mode: 'single'; everyMs: number; run: (em: EntityManager) => Promise<unknown> } | { name: string; mode: 'every-worker'; run: () => Promise<unknown> }) & {
  /** Consumes the outbox: also runs right after a commit in this process recorded events (not only every tick). */
  onCommit?: boolean;
};

export interface JobRunnerOptions {
  /** Whether this process runs the jobs (the server with JOBS=inline, or `npm run worker`). */
  enabled: boolean;
  tickMs: number;
}

export const JOB_RUNNER_OPTIONS = Symbol('JOB_RUNNER_OPTIONS');

const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/**
 * How long a wake-up waits for more commits before it runs: under a burst of writes one round
 * handles the events of many commits (a round is a dozen statements of its own).
 */
export const WAKE_DELAY_MS = 20;

/** Runs the registered jobs every tick (see README "Jobs"). Features register their jobs at start-up. */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Jobs');
  private readonly jobs: Job[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** A wake-up arrived while a round was running: another round follows it (after WAKE_DELAY_MS). */
  private woken = false;
  /** A wake-up's round is scheduled (later wake-ups join it). */
  private wakePending = false;
  /** When every job is due for a round again (the outbox jobs run in between, on wake-ups). */
  private nextFullAt = 0;
  private stopListening?: () => void;

  constructor(
    private readonly tx: TxService,
    @Inject(JOB_RUNNER_OPTIONS) private readonly options: JobRunnerOptions,
  ) {}

  register(job: Job): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`Job ${job.name} is registered twice`);
    this.jobs.push(job);
  }

  onApplicationBootstrap(): void {
    if (!this.options.enabled) return;
    this.stopListening = onOutboxCommit(() => this.wake());
    this.nextFullAt = Date.now() + this.options.tickMs;
    this.schedule(this.options.tickMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * A commit in this process recorded outbox events: run the outbox's jobs (`onCommit`) within
   * WAKE_DELAY_MS rather than at the next tick (the delivery lag is the work, not the tick); the
   * other jobs keep their tick. While a round runs, another follows it.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.woken = true;
      return;
    }
    if (this.wakePending) return;
    this.wakePending = true;
    this.schedule(WAKE_DELAY_MS);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.woken = false;
      this.wakePending = false;
      const full = Date.now() >= this.nextFullAt;
      this.running = this.round(new Date(), full)
        .then(({ busy, busyElsewhere }) => {
          this.running = undefined;
          if (full) this.nextFullAt = busyElsewhere ? 0 : Date.now() + this.options.tickMs;
          // Work left (a job took a full batch, or a wake-up came meanwhile): go on shortly; else sleep until every job is due.
          this.schedule(busy || this.woken ? WAKE_DELAY_MS : Math.max(0, this.nextFullAt - Date.now()));
        })
        .catch(() => undefined);
    }, delayMs);
    this.timer.unref?.();
  }

  /**
   * One round over every job (tests call it directly); a job's failure is logged and does not stop
   * the others. Returns whether a job reported work done (a positive count): the runner then goes
   * on without waiting a tick, until the backlog is drained.
   */
  async tick(now = new Date()): Promise<boolean> {
    return (await this.round(now, true)).busy;
  }

  /** Every job (`full`), or the outbox's only; whether any reported work, and whether one that is not the outbox's did. */
  private async round(now: Date, full: boolean): Promise<{ busy: boolean; busyElsewhere: boolean }> {
    let busy = false;
    let busyElsewhere = false;
    for (const job of this.jobs) {
      if (this.stopped) break;
      if (!full && !job.onCommit) continue;
      try {
        const done = job.mode === 'every-worker' ? await job.run() : await this.runSingle(job, now);
        if (typeof done === 'number' && done > 0) {
          busy = true;
          if (!job.onCommit) busyElsewhere = true;
        }
      } catch (e) {
        this.log.warn(`Job ${job.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { busy, busyElsewhere };
  }

  /** Runs a `single` job if it is due and no other worker holds it; returns what the job returned (undefined when it did not run). */
  private async runSingle(job: Extract<Job, { mode: 'single' }>, now: Date): Promise<unknown> {
    return this.tx.run(async (em) => {
      const skip = this.tx.engine === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
      let rows: { name: string }[] = await em.query(`SELECT name FROM scheduled_jobs WHERE name = ? AND next_run_at <= ?${skip}`, [job.name, sqlTime(now)]);
      if (!rows.length) {
        // First run anywhere: create the row (another worker may do the same at once: the loser's insert fails and it skips this round).
        const exists: unknown[] = await em.query('SELECT name FROM scheduled_jobs WHERE name = ?', [job.name]);
        if (exists.length) return undefined;
        await em.getRepository(ScheduledJob).insert({ name: job.name, nextRunAt: now, lastRunAt: null, lastError: null });
        rows = [{ name: job.name }];
      }
      await em.getRepository(ScheduledJob).update({ name: job.name }, { nextRunAt: new Date(now.getTime() + job.everyMs), lastRunAt: now, lastError: null });
      return job.run(em);
    });
  }
}
