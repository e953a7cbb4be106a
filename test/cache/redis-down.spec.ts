import { Logger } from '@nestjs/common';
import { cacheMetricsIn, TwoLevelCache } from '../../libs/cache';
import { Registry } from 'prom-client';

const HOUR = 3_600_000;
// Nothing listens on port 1: every connection attempt is refused.
const CLOSED_PORT = 'redis://127.0.0.1:1';

describe('TwoLevelCache with its Redis down', () => {
  let cache: TwoLevelCache;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    cache = new TwoLevelCache(
      { redisUrl: CLOSED_PORT, l1MaxEntries: 100, connectTimeoutMs: 300, redisTimeoutMs: 100 },
      cacheMetricsIn(new Registry()),
    );
    await cache.onModuleInit();
  });

  afterAll(async () => {
    await cache.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('starts anyway and says Redis is not reachable', () => {
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Redis at 127\.0\.0\.1:1 is not reachable/));
  });

  it('loads, then serves from L1', async () => {
    const loader = jest.fn(() => Promise.resolve({ id: 'p1' }));

    expect(await cache.getOrLoad('product', 'p1', HOUR, loader)).toEqual({ value: { id: 'p1' }, source: 'loader' });
    expect(await cache.getOrLoad('product', 'p1', HOUR, loader)).toEqual({ value: { id: 'p1' }, source: 'l1' });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('invalidates a key in this instance and logs that others were not told', async () => {
    await cache.getOrLoad('product', 'p2', HOUR, () => Promise.resolve('old'));

    await expect(cache.invalidate('product', 'p2')).resolves.toBeUndefined();

    expect(await cache.getOrLoad('product', 'p2', HOUR, () => Promise.resolve('new'))).toEqual({
      value: 'new',
      source: 'loader',
    });
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^Redis invalidation failed/));
  });

  it('invalidates a namespace in this instance', async () => {
    await cache.getOrLoad('search', 'q', HOUR, () => Promise.resolve('old'));
    await cache.getOrLoad('product', 'p3', HOUR, () => Promise.resolve('kept'));

    await expect(cache.invalidateNamespace('search')).resolves.toBeUndefined();

    expect((await cache.getOrLoad('search', 'q', HOUR, () => Promise.resolve('new'))).value).toBe('new');
    expect((await cache.getOrLoad('search', 'q', HOUR, () => Promise.resolve('newer'))).source).toBe('l1');
    expect((await cache.getOrLoad('product', 'p3', HOUR, () => Promise.resolve('lost'))).source).toBe('l1');
  });

  it('reports Redis as down', async () => {
    expect(await cache.checkL2()).toEqual({ status: 'down', host: '127.0.0.1:1', error: expect.any(String) });
  });

  it('logs Redis failures throttled, not once per attempt', () => {
    const connectionWarnings = warn.mock.calls.filter(([line]) => /^Redis connection failed/.test(String(line)));
    expect(connectionWarnings.length).toBeGreaterThanOrEqual(1);
    expect(connectionWarnings.length).toBeLessThanOrEqual(2);
  });
});
