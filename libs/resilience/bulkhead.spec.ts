import { Bulkhead, BulkheadFullError } from './bulkhead';

/** A call that runs until `finish` is called; `started` tells whether it began. */
function heldCall(): { call: () => Promise<string>; finish: () => void; started: () => boolean } {
  let finish!: () => void;
  let started = false;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    call: async () => {
      started = true;
      await done;
      return 'answered';
    },
    finish,
    started: () => started,
  };
}

/** Lets every promise that can move on do so. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Bulkhead', () => {
  it('runs at most maxConcurrent calls at once; the next starts when one ends, in arrival order', async () => {
    const bulkhead = new Bulkhead(2, 60_000);
    const calls = [heldCall(), heldCall(), heldCall(), heldCall()];
    const answers = calls.map(({ call }) => bulkhead.run(call));
    await settled();
    expect(calls.map((c) => c.started())).toEqual([true, true, false, false]);

    calls[1].finish();
    await answers[1];
    await settled();
    expect(calls.map((c) => c.started())).toEqual([true, true, true, false]);

    for (const c of calls) c.finish();
    expect(await Promise.all(answers)).toEqual(['answered', 'answered', 'answered', 'answered']);
  });

  it('turns a call away with BulkheadFullError once it has waited maxWaitMs, and never runs it', async () => {
    const bulkhead = new Bulkhead(1, 20);
    const holding = heldCall();
    const first = bulkhead.run(holding.call);
    const waiting = heldCall();
    await expect(bulkhead.run(waiting.call)).rejects.toBeInstanceOf(BulkheadFullError);
    expect(waiting.started()).toBe(false);
    holding.finish();
    await first;
    // The slot is free again.
    const next = heldCall();
    const answer = bulkhead.run(next.call);
    next.finish();
    expect(await answer).toBe('answered');
  });

  it('frees the slot of a call that failed', async () => {
    const bulkhead = new Bulkhead(1, 20);
    await expect(bulkhead.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await bulkhead.run(() => Promise.resolve('answered'))).toBe('answered');
  });
});
