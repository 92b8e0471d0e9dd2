import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { InvalidationBus, Listeners } from '../common/invalidation';
import { RedisConnections, RedisSettings } from './redis.connections';

const CHANNEL = 'invalidations';

const HEARTBEAT = '_heartbeat';

export interface HeartbeatSettings {
  /** How often this instance publishes a heartbeat (which it hears itself, like every message). */
  everyMs: number;
  /** No message heard for this long: the subscription is taken as lost. */
  staleAfterMs: number;
}

/**
 * Invalidation messages over Redis pub/sub (one channel, JSON `{from, topic}`).
 *
 * Pub/sub delivers only to connected subscribers, so a message published while this instance's
 * subscription is down is lost for it. The bus therefore knows when it may have missed one
 * ("deaf"): from start until the first message is heard, after its subscriber connection closes,
 * and when nothing — not even its own heartbeat, published every `everyMs` through the other
 * connection — has arrived for `staleAfterMs` (a connection that hangs without closing). While
 * deaf, `listening()` is false and the API key cache is bypassed; the first message heard after
 * that runs every listener (every cache is dropped, since anything may have changed meanwhile).
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly id = randomBytes(8).toString('hex');
  private readonly listeners = new Listeners();
  private readonly channel: string;
  private heardAt = 0;
  private deaf = true;
  private readonly timer: NodeJS.Timeout;
  private readonly unsent = new Set<string>();

  constructor(
    private readonly connections: RedisConnections,
    private readonly heartbeat: HeartbeatSettings = { everyMs: 1000, staleAfterMs: 3000 },
  ) {
    this.channel = connections.channel(CHANNEL);
    const { subscriber } = connections;
    subscriber.on('message', (channel: string, raw: string) => channel === this.channel && this.heard(raw));
    subscriber.on('close', () => (this.deaf = true));
    // Subscribed anew on each connection; the heartbeat right after it ends the deaf period quickly.
    const subscribe = () =>
      subscriber.subscribe(this.channel).then(
        () => this.send(HEARTBEAT),
        () => undefined,
      );
    subscriber.on('ready', () => void subscribe());
    if (subscriber.status === 'ready') void subscribe();
    this.timer = setInterval(() => {
      void this.send(HEARTBEAT);
      if (this.unsent.size) this.resend(); // after a hang that closed no connection, 'ready' never comes
    }, heartbeat.everyMs);
    this.timer.unref();
    connections.commands.on('ready', () => this.resend());
    connections.commands.on('end', () => clearInterval(this.timer)); // closed for good (shutdown)
  }

  async publish(topic: string): Promise<void> {
    this.listeners.run(topic);
    await this.send(topic);
  }

  subscribe(topic: string, listener: () => void): void {
    this.listeners.add(topic, listener);
  }

  listening(): boolean {
    return !this.deaf && this.connections.subscriber.status === 'ready' && Date.now() - this.heardAt < this.heartbeat.staleAfterMs;
  }

  private heard(raw: string): void {
    const now = Date.now();
    if (this.deaf || now - this.heardAt >= this.heartbeat.staleAfterMs) {
      this.deaf = false;
      this.listeners.runAll();
    }
    this.heardAt = now;
    let message: { from?: unknown; topic?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (message.from !== this.id && typeof message.topic === 'string' && message.topic !== HEARTBEAT) this.listeners.run(message.topic);
  }

  /**
   * Never waits for Redis to come back. A topic that could not be sent is sent again once this
   * instance reaches Redis: when Redis itself was down the others were deaf too and have dropped
   * their caches already, but an instance cut off alone must still tell the others.
   */
  private async send(topic: string): Promise<void> {
    if (!this.connections.ready()) {
      if (topic !== HEARTBEAT) this.unsent.add(topic);
      return;
    }
    await this.connections.commands.publish(this.channel, JSON.stringify({ from: this.id, topic })).catch(() => {
      this.connections.failed();
      if (topic !== HEARTBEAT) this.unsent.add(topic);
    });
  }

  private resend(): void {
    const topics = [...this.unsent];
    this.unsent.clear();
    for (const topic of topics) void this.send(topic);
  }
}

/** One message from a process that runs no bus (the API key CLI): true when Redis took it. */
export async function publishOnce(settings: RedisSettings, topic: string): Promise<boolean> {
  const client = new Redis(settings.url, { connectTimeout: 2000, commandTimeout: settings.commandTimeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.publish(`${settings.prefix}${CHANNEL}`, JSON.stringify({ from: `cli-${process.pid}`, topic }));
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
