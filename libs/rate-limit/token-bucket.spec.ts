import { LocalBuckets } from './local-buckets';
import { BucketState, takeToken } from './token-bucket';

/** `count` takes at `now`, threading the bucket through. */
function takeMany(count: number, state: BucketState | undefined, now: number, capacity: number, windowMs: number) {
  const takes = [];
  for (let i = 0; i < count; i++) {
    const result = takeToken(state, now, capacity, windowMs);
    state = result.state;
    takes.push(result.take);
  }
  return { state, takes };
}

describe(takeToken.name, () => {
  it('lets a burst of the whole capacity through, then refuses until the next token', () => {
    const { state, takes } = takeMany(6, undefined, 0, 5, 60_000);

    expect(takes.map((t) => t.allowed)).toEqual([true, true, true, true, true, false]);
    expect(takes.map((t) => t.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    // One token every 12 s: the refused request may retry then; the bucket is full after 60 s.
    expect(takes[5]).toEqual({ allowed: false, remaining: 0, msToFull: 60_000, retryAfterMs: 12_000 });
    expect(takeToken(state, 11_999, 5, 60_000).take.allowed).toBe(false);
    expect(takeToken(state, 12_000, 5, 60_000).take).toEqual({ allowed: true, remaining: 0, msToFull: 60_000, retryAfterMs: 0 });
  });

  it('refills evenly and never above the capacity', () => {
    const { state } = takeMany(5, undefined, 0, 5, 60_000);

    expect(takeToken(state, 30_000, 5, 60_000).take).toMatchObject({ allowed: true, remaining: 1 });
    expect(takeToken(state, 3_600_000, 5, 60_000).take).toEqual({ allowed: true, remaining: 4, msToFull: 12_000, retryAfterMs: 0 });
  });

  it('gives a refused request no token: retrying early does not push the next one back', () => {
    const { state } = takeMany(7, undefined, 0, 2, 1_000);

    expect(takeToken(state, 499, 2, 1_000).take).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(takeToken(state, 500, 2, 1_000).take.allowed).toBe(true);
  });

  it('counts a token made of refills that add up to just under 1 in floating point', () => {
    // 1/3000 + 1574/3000 + 1425/3000 is 0.9999999999999999.
    let state: BucketState = { tokens: 0, at: 0 };
    for (const now of [1, 1575]) {
      const refused = takeToken(state, now, 20, 60_000);
      expect(refused.take.allowed).toBe(false);
      state = refused.state;
    }

    expect(takeToken(state, 3_000, 20, 60_000).take).toEqual({ allowed: true, remaining: 0, msToFull: 60_000, retryAfterMs: 0 });
  });

  it('takes a clock that went back as no time passed', () => {
    const { state } = takeMany(2, undefined, 10_000, 2, 1_000);

    expect(takeToken(state, 9_000, 2, 1_000).take).toMatchObject({ allowed: false, retryAfterMs: 500 });
  });
});

describe(LocalBuckets.name, () => {
  it('keeps a bucket per key', () => {
    let now = 0;
    const buckets = new LocalBuckets(100, () => now);

    expect(buckets.take('a', 1, 1_000).allowed).toBe(true);
    expect(buckets.take('a', 1, 1_000).allowed).toBe(false);
    expect(buckets.take('b', 1, 1_000).allowed).toBe(true);
    now = 1_000;
    expect(buckets.take('a', 1, 1_000).allowed).toBe(true);
  });

  it('forgets the least recently used bucket past its bound, as if it were full', () => {
    const buckets = new LocalBuckets(2, () => 0);
    buckets.take('a', 1, 60_000);
    buckets.take('b', 1, 60_000);
    buckets.take('c', 1, 60_000);

    expect(buckets.take('a', 1, 60_000).allowed).toBe(true);
    expect(buckets.take('c', 1, 60_000).allowed).toBe(false);
  });
});
