/** A bucket as stored: its tokens when last touched, at `at` (ms). No bucket means a full one. */
export interface BucketState {
  tokens: number;
  at: number;
}

/** The outcome of taking one token. */
export interface Take {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Until the bucket is full again: then it needs no storage. */
  msToFull: number;
  /** Until the next token, when this request was refused; else 0. */
  retryAfterMs: number;
}

/**
 * Takes a token from a bucket of `capacity` tokens that refills by `capacity` every `windowMs`,
 * evenly. A caller may spend the whole bucket in a burst, then one request per
 * `windowMs / capacity`. The Lua script in redis-buckets.ts is this function, in Redis.
 */
export function takeToken(
  state: BucketState | undefined,
  now: number,
  capacity: number,
  windowMs: number,
): { state: BucketState; take: Take } {
  const msPerToken = windowMs / capacity;
  let tokens = state === undefined ? capacity : Math.min(capacity, state.tokens + Math.max(0, now - state.at) / msPerToken);
  // Refills add up in floating point: 0.3 + 0.7 tokens may come to 0.9999999999999999.
  const allowed = tokens >= 1 - DUST;
  if (allowed) tokens = Math.max(0, tokens - 1);
  return {
    state: { tokens, at: now },
    take: {
      allowed,
      remaining: Math.floor(tokens + DUST),
      msToFull: wholeMs((capacity - tokens) * msPerToken),
      retryAfterMs: allowed ? 0 : Math.max(1, wholeMs((1 - tokens) * msPerToken)),
    },
  };
}

const DUST = 1e-9;

/** Rounded up, but not for the floating-point dust of a division (1.0000000000000009 ms is 1 ms). */
function wholeMs(ms: number): number {
  return Math.ceil(ms - 1e-6);
}
