import { ApiError } from './errors';

/**
 * Admits at most `concurrency` pieces of work at once and lets at most `queue` more wait; past that
 * the caller gets 503 with Retry-After, before any of the work runs. For work that runs on libuv's
 * thread pool (password hashing, image decoding): the pool is shared with file and DNS work, and
 * every thread such work takes is one the requests do not get.
 */
export class WorkGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
    /** The 503's message, e.g. "The server is busy checking passwords; try again in a moment." */
    private readonly busy: string,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new ApiError(503, this.busy, undefined, { 'Retry-After': '1' });
      // A finishing piece hands its slot to the first waiter (running stays as it is).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
