/**
 * Invalidation messages between instances: "the API keys changed", "the trade-in totals changed".
 * A cache registers a listener for its topic; a write publishes the topic once it has committed.
 *
 * One process needs nothing more than calling its own listeners (LocalInvalidationBus). With
 * several instances a shared channel (Redis pub/sub, see src/shared-state/) carries the message to
 * every other instance as well, and `listening()` tells whether this instance can currently be
 * sure to receive what the others publish: a cache whose staleness would let a revoked key in
 * must be bypassed while it is false.
 */
export interface InvalidationBus {
  /** Runs this instance's listeners of `topic` at once, then tells the other instances. Never rejects. */
  publish(topic: string): Promise<void>;
  /** The listener runs for each message of `topic`, and after any gap in which messages may have been missed. */
  subscribe(topic: string, listener: () => void): void;
  /** Whether every message published by another instance reaches this one now. */
  listening(): boolean;
}

export const INVALIDATION_BUS = 'INVALIDATION_BUS';

/** Listeners by topic: the local half of every bus. */
export class Listeners {
  private readonly byTopic = new Map<string, (() => void)[]>();

  add(topic: string, listener: () => void): void {
    const list = this.byTopic.get(topic) ?? [];
    list.push(listener);
    this.byTopic.set(topic, list);
  }

  run(topic: string): void {
    for (const listener of this.byTopic.get(topic) ?? []) listener();
  }

  runAll(): void {
    for (const topic of this.byTopic.keys()) this.run(topic);
  }
}

/** One process: every write passes through it, so its own listeners are all there is to tell. */
export class LocalInvalidationBus implements InvalidationBus {
  private readonly listeners = new Listeners();

  publish(topic: string): Promise<void> {
    this.listeners.run(topic);
    return Promise.resolve();
  }

  subscribe(topic: string, listener: () => void): void {
    this.listeners.add(topic, listener);
  }

  listening(): boolean {
    return true;
  }
}
