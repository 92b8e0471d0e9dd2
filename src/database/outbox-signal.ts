import type { EntityManager } from 'typeorm';

/**
 * Commits that recorded outbox events, heard in this process: recordEvent marks its transaction,
 * TxService calls afterCommit once the transaction committed, and the job runner (the listener)
 * wakes up to dispatch and deliver at once instead of at its next tick. Other processes (`npm run
 * worker`) still find the events at their tick.
 */
const recordedIn = new WeakSet<EntityManager>();
const commitListeners = new Set<() => void>();

export function markRecorded(em: EntityManager): void {
  recordedIn.add(em);
}

/** Listens for such commits; returns the function that stops listening. */
export function onOutboxCommit(listener: () => void): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

/** Called by TxService after a transaction committed: tells the listeners if it recorded events. */
export function afterCommit(em: EntityManager): void {
  if (!recordedIn.delete(em)) return;
  for (const listener of commitListeners) listener();
}
