import { ApiError } from '../common/errors';
import { rateLimited } from '../common/throttle.counters';
import type { AppConfig } from '../config';
import { SlowDown } from './slow-down';

const slowDown = (rejectDelayMs: number, rejectDelayMaxHeld: number) => new SlowDown({ rejectDelayMs, rejectDelayMaxHeld } as AppConfig);
const settled = (p: Promise<unknown>) => {
  const state = { done: false, error: undefined as unknown };
  p.catch((e: unknown) => ((state.done = true), (state.error = e)));
  return state;
};
const turn = () => new Promise((r) => setImmediate(r));

describe('SlowDown', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('holds the 429 for REJECT_DELAY_MS, then throws it unchanged', async () => {
    const s = slowDown(1000, 10);
    const error = rateLimited('too many', 5, 30_000);
    const answer = settled(s.reject(error, 30_000));
    await turn();
    expect(s.holding).toBe(1);
    jest.advanceTimersByTime(999);
    await turn();
    expect(answer.done).toBe(false);
    jest.advanceTimersByTime(1);
    await turn();
    expect(answer.done).toBe(true);
    expect(answer.error).toBe(error);
    expect((answer.error as ApiError).headers).toMatchObject({ 'Retry-After': '30' });
    expect(s.holding).toBe(0);
  });

  it('never holds past the end of the limit’s window', async () => {
    const s = slowDown(1000, 10);
    const answer = settled(s.reject(rateLimited('too many', 5, 200), 200));
    jest.advanceTimersByTime(200);
    await turn();
    expect(answer.done).toBe(true);
  });

  it('answers at once past REJECT_DELAY_MAX_HELD held answers, and with a delay of 0', async () => {
    const s = slowDown(1000, 2);
    const held = [settled(s.reject(rateLimited('a', 1, 5000), 5000)), settled(s.reject(rateLimited('b', 1, 5000), 5000))];
    const third = settled(s.reject(rateLimited('c', 1, 5000), 5000));
    await turn();
    expect(held.map((h) => h.done)).toEqual([false, false]);
    expect(third.done).toBe(true);
    expect(s.holding).toBe(2);
    const none = settled(slowDown(0, 2).reject(rateLimited('d', 1, 5000), 5000));
    await turn();
    expect(none.done).toBe(true);
    jest.advanceTimersByTime(1000);
    await turn();
    expect(held.map((h) => h.done)).toEqual([true, true]);
    expect(s.holding).toBe(0);
  });
});
