/**
 * A short-lived cache of collection totals (`hydra:totalItems`), so that polling a large
 * collection does not COUNT a million rows on every page.
 *
 * - An entry is served for at most `ttlMs`; once it is older than half of that, the next read
 *   refreshes it in the background (refresh-ahead), so a list that is polled all day never waits
 *   for its count and never shows a total older than `ttlMs`.
 * - A total that could not be counted within its budget (null) is remembered for `unknownTtlMs`
 *   (at least a minute) and not refreshed ahead: a shape too expensive to count is not counted
 *   again on every page, and its pages go out without a total meanwhile.
 * - Concurrent misses for one key share one query (single flight).
 * - `invalidate()` drops everything at once; the trade-ins resource calls it after every write
 *   that commits through this process, so a single instance always reports exact totals. Writes
 *   made by another process (or raw SQL) show up within `ttlMs`.
 * - `ttlMs` 0 disables caching: every request counts.
 */
export class CountCache {
  private readonly entries = new Map<string, { value: Promise<number | null>; at: number; refreshing: boolean; unknown: boolean }>();
  private generation = 0;
  private readonly unknownTtlMs: number;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {
    this.unknownTtlMs = Math.max(ttlMs, 60_000);
  }

  get(key: string, load: () => Promise<number | null>): Promise<number | null> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < (entry.unknown ? this.unknownTtlMs : this.ttlMs)) {
      if (!entry.unknown && !entry.refreshing && now - entry.at >= this.ttlMs / 2) {
        entry.refreshing = true;
        const generation = this.generation;
        load().then(
          (n) => {
            if (generation === this.generation) this.entries.set(key, { value: Promise.resolve(n), at: Date.now(), refreshing: false, unknown: n === null });
          },
          () => this.entries.delete(key),
        );
      }
      return entry.value;
    }
    const value = load();
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const fresh = { value, at: now, refreshing: false, unknown: false };
    this.entries.set(key, fresh);
    value.then(
      (n) => {
        // Known once counted: an uncountable shape is kept (and not retried) from now on.
        if (n === null && this.entries.get(key) === fresh) Object.assign(fresh, { unknown: true, at: Date.now() });
      },
      () => this.entries.get(key) === fresh && this.entries.delete(key),
    );
    return value;
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }
}
