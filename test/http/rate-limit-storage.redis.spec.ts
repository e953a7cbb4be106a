import { Logger } from '@nestjs/common';
import { createClient } from '@keyv/redis';
import { randomUUID } from 'node:crypto';
import { TokenBucketStorage } from '../../libs/rate-limit';
import { deleteKeys, redisForTests } from '../cache/cache-test-support';

const MINUTE = 60_000;
// Nothing listens on port 1: every connection attempt is refused.
const CLOSED_PORT = 'redis://127.0.0.1:1';
const REDIS_TIMEOUT_MS = 10_000;

async function started(redisUrl: string, keyPrefix: string, connectTimeoutMs = REDIS_TIMEOUT_MS): Promise<TokenBucketStorage> {
  // These tests need Redis' answers; on a machine busy with other suites connecting or a call can take over a
  // second, and the fallback after a timeout would count in the instance instead.
  const storage = new TokenBucketStorage({ redisUrl, keyPrefix, connectTimeoutMs, redisTimeoutMs: REDIS_TIMEOUT_MS });
  await storage.onModuleInit();
  return storage;
}

async function blockedFlags(storage: TokenBucketStorage, key: string, count: number, limit: number): Promise<boolean[]> {
  const flags = [];
  for (let i = 0; i < count; i++) flags.push((await storage.increment(key, MINUTE, limit)).isBlocked);
  return flags;
}

const redisUrl = redisForTests('TokenBucketStorage on Redis');

(redisUrl ? describe : describe.skip)('TokenBucketStorage on Redis', () => {
  const keyPrefix = `test-rate-${randomUUID()}`;
  const url = redisUrl!;
  let one: TokenBucketStorage;
  let other: TokenBucketStorage;
  let redis: ReturnType<typeof createClient>;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    [one, other] = await Promise.all([started(url, keyPrefix), started(url, keyPrefix)]);
    redis = createClient({ url });
    await redis.connect();
  });

  afterAll(async () => {
    await Promise.all([one?.onApplicationShutdown(), other?.onApplicationShutdown()]);
    await redis?.close();
    await deleteKeys(url, keyPrefix);
    jest.restoreAllMocks();
  });

  it('lets two instances draw from one bucket', async () => {
    expect(await blockedFlags(one, 'shared', 2, 3)).toEqual([false, false]);

    expect(await blockedFlags(other, 'shared', 2, 3)).toEqual([false, true]);
    const refused = await one.increment('shared', MINUTE, 3);
    expect(refused).toMatchObject({ isBlocked: true, totalHits: 3 });
    // A token comes back every 20 s, and the calls before this one may have taken a second of it.
    expect(refused.timeToBlockExpire).toBeGreaterThanOrEqual(19);
    expect(refused.timeToBlockExpire).toBeLessThanOrEqual(20);
  });

  it('takes exactly as many tokens as the bucket holds from a concurrent burst on both', async () => {
    const burst = Array.from({ length: 60 }, (_, i) => (i % 2 ? one : other).increment('burst', MINUTE, 25));

    const records = await Promise.all(burst);

    expect(records.filter((r) => !r.isBlocked)).toHaveLength(25);
  });

  it('stores a bucket only until it would be full again, under the prefix', async () => {
    await one.increment('expiring', MINUTE, 4);

    const ttl = await redis.pTTL(`${keyPrefix}:rate:expiring`);
    expect(ttl).toBeGreaterThan(MINUTE / 4 - 1_000);
    expect(ttl).toBeLessThanOrEqual(MINUTE / 4);
  });

  it('loads its script again when Redis lost it', async () => {
    await one.increment('reloaded', MINUTE, 2);
    await redis.scriptFlush();

    expect(await blockedFlags(one, 'reloaded', 2, 2)).toEqual([false, true]);
  });

  it('counts a bucket in the instance, with a warning, when Redis answers it with an error', async () => {
    await redis.set(`${keyPrefix}:rate:broken`, 'not a bucket');

    expect(await blockedFlags(one, 'broken', 3, 2)).toEqual([false, false, true]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Redis rate limit check failed; counted in this instance instead: .*WRONGTYPE/));
  });
});

describe('TokenBucketStorage with its Redis down', () => {
  let storage: TokenBucketStorage;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // A Redis that is down is refused at once (port 1), and its client keeps trying: the start waits this long.
    storage = await started(CLOSED_PORT, 'down', 300);
  });

  afterAll(async () => {
    await storage.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('starts anyway and says limits are counted in each instance', () => {
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Redis at 127\.0\.0\.1:1 is not reachable: rate limits are counted in each instance/));
  });

  it('answers at once and still applies the limits in this instance', async () => {
    const startedAt = Date.now();

    expect(await blockedFlags(storage, 'caller', 4, 3)).toEqual([false, false, false, true]);
    // Not one of them waited for Redis to time out.
    expect(Date.now() - startedAt).toBeLessThan(REDIS_TIMEOUT_MS);
  });
});
