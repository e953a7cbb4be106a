import { CoalescingQueue } from './coalescing-queue';

/** A call of the queue's work that the test finishes when it chooses. */
interface Call {
  submissions: number[][];
  finish: (error?: Error) => void;
}

function queueUnderTest() {
  const calls: Call[] = [];
  const queue = new CoalescingQueue<number[], number>(
    (submissions) =>
      new Promise((resolve, reject) => {
        calls.push({ submissions, finish: (error) => (error ? reject(error) : resolve(submissions.map((s) => s.reduce((a, b) => a + b, 0)))) });
      }),
  );
  return { queue, calls };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescingQueue', () => {
  it('runs one call at a time and gives the next everything that waited, in order', async () => {
    const { queue, calls } = queueUnderTest();
    const first = queue.submit([1]);
    await settled();
    const second = queue.submit([2, 3]);
    const third = queue.submit([4]);
    await settled();
    expect(calls.map((c) => c.submissions)).toEqual([[[1]]]);

    calls[0].finish();
    await expect(first).resolves.toBe(1);
    await settled();
    expect(calls.map((c) => c.submissions)).toEqual([[[1]], [[2, 3], [4]]]);

    calls[1].finish();
    await expect(second).resolves.toBe(5);
    await expect(third).resolves.toBe(4);
  });

  it('rejects every submission of a failed call, and the queue goes on', async () => {
    const { queue, calls } = queueUnderTest();
    const first = queue.submit([1]);
    await settled();
    const second = queue.submit([2]);
    calls[0].finish(new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await settled();

    calls[1].finish();
    await expect(second).resolves.toBe(2);
    const third = queue.submit([7]);
    await settled();
    calls[2].finish();
    await expect(third).resolves.toBe(7);
    expect(calls).toHaveLength(3);
  });
});
