import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { ENGINE } from './helpers';

/**
 * The Redis the shared-state tests use: TEST_REDIS_URL, or the machine's Redis with the MariaDB
 * suite (`npm run test:mysql`, which CI runs with Redis up). `npm test` on a bare machine needs no
 * service, so the Redis suites are skipped there.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || (ENGINE === 'mysql' ? 'redis://127.0.0.1:6379' : undefined);
export const describeWithRedis = TEST_REDIS_URL ? describe : describe.skip;

/** The machine's Redis is shared (other engineers, CI): every test run writes under its own prefix and removes it afterwards. */
export function testPrefix(): string {
  return `tradein_test_${process.pid}_${randomBytes(4).toString('hex')}:`;
}

export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // a private server that was stopped has nothing left to remove
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * A Redis server of this test alone, on a free port, that the test may stop and start again (the
 * machine's shared Redis is never stopped). Keeps nothing on disk.
 */
export class PrivateRedis {
  private process: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], { stdio: 'ignore' });
    this.process = child;
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
    await waitFor(async () => {
      if (await Promise.race([exited, Promise.resolve(false)])) throw new Error(`redis-server could not start on port ${this.port}`);
      return answers(this.url);
    }, `redis-server on port ${this.port}`);
  }

  /** SIGKILL, as a crashed or unplugged Redis: clients see their connections drop. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.process = null;
  }
}

export { waitFor };
