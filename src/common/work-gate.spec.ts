import { ApiError } from './errors';
import { WorkGate } from './work-gate';

/** A piece of work that finishes when the test says so. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { work: () => done, finish };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('WorkGate', () => {
  it('runs at most `concurrency` at once, lets `queue` wait, and answers 503 with Retry-After past that, before running the work', async () => {
    const gate = new WorkGate(2, 1, 'busy checking things');
    const started: number[] = [];
    const pieces = [held(), held(), held()];
    const runs = pieces.map((p, i) =>
      gate.run(() => {
        started.push(i);
        return p.work();
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    let ranFourth = false;
    const refused = await gate
      .run(() => {
        ranFourth = true;
        return Promise.resolve();
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).getStatus()).toBe(503);
    expect((refused as ApiError).message).toBe('busy checking things');
    expect((refused as ApiError).headers).toEqual({ 'Retry-After': '1' });
    expect(ranFourth).toBe(false);
    // The first to finish hands its slot to the waiter.
    pieces[0].finish();
    await turn();
    expect(started).toEqual([0, 1, 2]);
    pieces[1].finish();
    pieces[2].finish();
    await Promise.all(runs);
    // All slots free again: two run at once.
    const again = [held(), held()];
    const both = again.map((p) => gate.run(p.work));
    await turn();
    again.forEach((p) => p.finish());
    await Promise.all(both);
  });

  it('frees the slot when the work fails', async () => {
    const gate = new WorkGate(1, 0, 'busy');
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
