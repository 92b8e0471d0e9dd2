import type { TxService } from '../database/tx.service';
import { JobRunner, WAKE_DELAY_MS } from './job-runner';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobRunner wake-ups', () => {
  let runner: JobRunner;
  afterEach(() => runner.onApplicationShutdown());

  it('a commit that recorded events runs the outbox jobs (onCommit) only, once for a burst; the others keep their tick', async () => {
    runner = new JobRunner({} as TxService, { enabled: true, tickMs: 60_000 });
    const ran: string[] = [];
    runner.register({ name: 'deliver', mode: 'every-worker', onCommit: true, run: () => (ran.push('deliver'), Promise.resolve(0)) });
    runner.register({ name: 'purge', mode: 'every-worker', run: () => (ran.push('purge'), Promise.resolve(0)) });
    runner.onApplicationBootstrap();
    for (let i = 0; i < 5; i++) runner.wake();
    await sleep(WAKE_DELAY_MS * 5);
    expect(ran).toEqual(['deliver']);
    // tick() (the full round tests and the timer run) still runs every job.
    await runner.tick();
    expect(ran).toEqual(['deliver', 'deliver', 'purge']);
  });

  it('drains: an outbox job that reported work runs again without waiting for the tick', async () => {
    runner = new JobRunner({} as TxService, { enabled: true, tickMs: 60_000 });
    let backlog = 3;
    runner.register({ name: 'dispatch', mode: 'every-worker', onCommit: true, run: () => Promise.resolve(backlog > 0 ? backlog-- : 0) });
    runner.onApplicationBootstrap();
    runner.wake();
    await sleep(WAKE_DELAY_MS * 10);
    expect(backlog).toBe(0);
  });
});
