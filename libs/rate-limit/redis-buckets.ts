import { createHash } from 'node:crypto';
import { createRedisClient, RedisClient, RedisConnectionSettings, withTimeout } from '../cache';
import { Take } from './token-bucket';

/**
 * takeToken (token-bucket.ts) as one atomic step in Redis, on Redis' clock so every instance
 * agrees on time. A bucket is a hash {tokens, at} that expires when it would be full again.
 * Returns {allowed, remaining, msToFull, retryAfterMs}, integers (Redis truncates Lua numbers).
 */
const TAKE_TOKEN = `
local capacity = tonumber(ARGV[1])
local ms_per_token = tonumber(ARGV[2]) / capacity
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if stored[1] then
  tokens = math.min(capacity, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) / ms_per_token)
end
local dust = 1e-9
local allowed = 0
if tokens >= 1 - dust then
  tokens = math.max(0, tokens - 1)
  allowed = 1
end
local function whole_ms(ms) return math.ceil(ms - 1e-6) end
local ms_to_full = whole_ms((capacity - tokens) * ms_per_token)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.max(1, ms_to_full))
local retry_after = 0
if allowed == 0 then retry_after = math.max(1, whole_ms((1 - tokens) * ms_per_token)) end
return { allowed, math.floor(tokens + dust), ms_to_full, retry_after }
`;
const TAKE_TOKEN_SHA = createHash('sha1').update(TAKE_TOKEN).digest('hex');

export interface RedisBucketsSettings extends RedisConnectionSettings {
  timeoutMs: number;
  /** The connection failed; it keeps reconnecting with backoff. */
  onConnectionError(error: unknown): void;
}

/**
 * Token buckets in Redis, shared by every instance using it. Commands fail at once while Redis is
 * away and are cut off after `timeoutMs`, so a slow or absent Redis costs a request at most that.
 */
export class RedisBuckets {
  readonly host: string;

  static async create(settings: RedisBucketsSettings): Promise<RedisBuckets> {
    const client = await createRedisClient(settings);
    client.on('error', (error: unknown) => settings.onConnectionError(error));
    return new RedisBuckets(settings, client);
  }

  private constructor(
    private readonly settings: RedisBucketsSettings,
    private readonly client: RedisClient,
  ) {
    this.host = new URL(settings.url).host;
  }

  /** Redis answers commands now; while it does not, buckets are counted without trying it. */
  get ready(): boolean {
    return this.client.isReady;
  }

  /** False when Redis did not answer within `connectTimeoutMs`; it keeps reconnecting in the background. */
  async connect(): Promise<boolean> {
    return withTimeout('connect', this.client.connect(), this.settings.connectTimeoutMs).then(
      () => true,
      (error: unknown) => {
        this.settings.onConnectionError(error);
        return false;
      },
    );
  }

  async take(key: string, capacity: number, windowMs: number): Promise<Take> {
    const options = { keys: [key], arguments: [String(capacity), String(windowMs)] };
    const run = async (): Promise<unknown> => {
      try {
        return await this.client.evalSha(TAKE_TOKEN_SHA, options);
      } catch (error) {
        // The first call after a Redis restart (or SCRIPT FLUSH) loads the script.
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return this.client.eval(TAKE_TOKEN, options);
      }
    };
    const [allowed, remaining, msToFull, retryAfterMs] = (await withTimeout('rate limit', run(), this.settings.timeoutMs)) as number[];
    return { allowed: allowed === 1, remaining, msToFull, retryAfterMs };
  }

  async close(): Promise<void> {
    if (this.client.isReady) await this.client.close();
    else if (this.client.isOpen) this.client.destroy();
  }
}
