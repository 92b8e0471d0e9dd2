import { Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

export interface RedisSettings {
  url: string;
  /** Prefix of every key and channel. */
  prefix: string;
  commandTimeoutMs: number;
}

/**
 * The two connections an instance keeps to Redis: one for commands (counters, publishing) and one
 * subscribed to the invalidation channel (a subscribed connection can run nothing else).
 *
 * Commands never wait for a connection: with the offline queue off, a command sent while Redis is
 * unreachable fails at once and the caller uses its local fallback; a command on a live but
 * unresponsive connection fails after `commandTimeoutMs`. Reconnection goes on in the background
 * for as long as the instance runs.
 */
export class RedisConnections implements OnApplicationShutdown {
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly log = new Logger('SharedState');
  private down = false;
  private closing = false;
  /** After a failed command, commands are not tried until then (a hung Redis costs one timeout a second, not one per request). */
  private pausedUntil = 0;

  constructor(readonly settings: RedisSettings) {
    const options: RedisOptions = {
      keyPrefix: settings.prefix,
      commandTimeout: settings.commandTimeoutMs,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    };
    this.commands = new Redis(settings.url, { ...options, enableOfflineQueue: false, connectionName: 'tradein-commands' });
    // Its only command is SUBSCRIBE, sent by the bus each time the connection is ready (the first time too:
    // a SUBSCRIBE queued before a first connection that fails would be dropped with the offline queue).
    this.subscriber = new Redis(settings.url, { ...options, autoResubscribe: false, connectionName: 'tradein-invalidations' });
    for (const client of [this.commands, this.subscriber]) client.on('error', (e: Error) => this.log.debug(`Redis: ${e.message}`));
    this.commands.on('ready', () => {
      if (this.down) this.log.log('Redis is reachable again: rate limits, budgets and invalidations are shared again.');
      this.down = false;
    });
    this.commands.on('close', () => {
      if (!this.down && !this.closing) this.log.warn('Redis is unreachable: this instance counts rate limits and budgets alone and bypasses its API key cache until Redis is back.');
      this.down = true;
    });
  }

  /** Whether commands can be sent now (when not, callers use their local fallback without trying). */
  ready(): boolean {
    return this.commands.status === 'ready' && (this.pausedUntil === 0 || Date.now() >= this.pausedUntil);
  }

  /** A command failed or timed out: the callers use their fallbacks for the next second. */
  failed(): void {
    this.pausedUntil = Date.now() + 1000;
  }

  /** The channel of invalidation messages (channels are not prefixed by ioredis's keyPrefix). */
  channel(name: string): string {
    return `${this.settings.prefix}${name}`;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    // QUIT lets replies in flight arrive; a connection that is not up has nothing in flight.
    await Promise.all(
      [this.commands, this.subscriber].map(async (c) => {
        if (c.status !== 'ready') return c.disconnect();
        await c.quit().catch(() => c.disconnect());
      }),
    );
  }
}
