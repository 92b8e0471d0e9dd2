import type { ThrottlerStorage } from '@nestjs/throttler';

/** A small deterministic PRNG (mulberry32), so that a failing sequence is reproducible. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// timeToBlockExpire of an unblocked key is a leftover (negative) value that depends on when idle
// keys were evicted (a real-time timer in the stock storage); the guard only reads it when blocked.
const visible = (r: { isBlocked: boolean; timeToBlockExpire: number }) => (r.isBlocked ? r : { ...r, timeToBlockExpire: 0 });

export interface Sequence {
  ttl: number;
  limit: number;
  blockDuration: number;
  seed: number;
  steps: number;
  /** Keys of this run (a storage shared with other runs, such as Redis, needs its own). */
  keyPrefix?: string;
}

/**
 * Drives two throttler storages through the same random calls (three keys, irregular gaps, on a
 * controlled clock: Date.now is mocked for the duration) and expects the same records from both.
 * Returns how many answers were blocks, so that a caller can check blocking was reached.
 */
export async function expectSameRecords(reference: ThrottlerStorage, candidate: ThrottlerStorage, s: Sequence): Promise<number> {
  let clock = 1_700_000_000_000;
  const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
  const rnd = random(s.seed);
  let blocked = 0;
  try {
    for (let i = 0; i < s.steps; i++) {
      clock += Math.floor(rnd() * (rnd() < 0.1 ? 3000 : 120));
      const key = `${s.keyPrefix ?? ''}key:${Math.floor(rnd() * 3)}`;
      const expected = await reference.increment(key, s.ttl, s.limit, s.blockDuration, 'default');
      expect([i, visible(await candidate.increment(key, s.ttl, s.limit, s.blockDuration, 'default'))]).toEqual([i, visible(expected)]);
      if (expected.isBlocked) blocked++;
    }
  } finally {
    now.mockRestore();
  }
  return blocked;
}
