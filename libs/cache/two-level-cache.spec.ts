import { Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CacheMetrics, cacheMetricsIn } from './cache.metrics';
import { TwoLevelCache } from './two-level-cache';


async function count(counter: Counter, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
}

/** A loader that answers when the test says so, and tells when it has been called. */
function heldLoader<T>(): { loader: () => Promise<T>; called: Promise<void>; answer: (value: T) => void } {
  const call = deferred<void>();
  const result = deferred<T>();
  return {
    loader: () => {
      call.resolve();
      return result.promise;
    },
    called: call.promise,
    answer: result.resolve,
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3_600_000;

describe(TwoLevelCache.name, () => {
  let metrics: CacheMetrics;
  let cache: TwoLevelCache;

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    metrics = cacheMetricsIn(new Registry());
    cache = new TwoLevelCache({ l1MaxEntries: 100 }, metrics);
    await cache.onModuleInit();
  });

  afterEach(async () => {
    await cache.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('says at start that it runs in-process only when no Redis URL is given', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await new TwoLevelCache({ l1MaxEntries: 7 }, cacheMetricsIn(new Registry())).onModuleInit();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/in-process only \(L1, 7 entries, 16384 KiB\): REDIS_URL is not set/));
  });

  it('loads a cold key once and answers the next read from L1', async () => {
    const loader = jest.fn(() => Promise.resolve({ id: 'p1', price: 1999 }));

    const first = await cache.getOrLoad('product', 'p1', HOUR, loader);
    const second = await cache.getOrLoad('product', 'p1', HOUR, loader);

    expect(first).toEqual({ value: { id: 'p1', price: 1999 }, source: 'loader' });
    expect(second).toEqual({ value: { id: 'p1', price: 1999 }, source: 'l1' });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('gives every reader its own copy, as JSON round-trips it', async () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const first = await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve({ tags: ['a'], at }));
    first.value.tags.push('mutated');

    const second = await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve({ tags: ['b'], at }));

    expect(second.value).toEqual({ tags: ['a'], at: '2026-01-02T03:04:05.000Z' });
    expect(first.value.at).toBe('2026-01-02T03:04:05.000Z');
  });

  it('calls the loader once for 50 concurrent misses of one key (single-flight)', async () => {
    const gate = deferred<string>();
    const loader = jest.fn(() => gate.promise);

    const reads = Array.from({ length: 50 }, () => cache.getOrLoad('search', 'q=shoes', HOUR, loader));
    gate.resolve('results');
    const results = await Promise.all(reads);

    expect(loader).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.value === 'results' && r.source === 'loader')).toBe(true);
    expect(await count(metrics.loads, { namespace: 'search' })).toBe(1);
    expect(await count(metrics.misses, { namespace: 'search' })).toBe(50);
  });

  it('counts L1 hits by namespace and level', async () => {
    await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve(1));
    await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve(1));
    await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve(1));

    expect(await count(metrics.hits, { namespace: 'product', level: 'l1' })).toBe(2);
    expect(await count(metrics.misses, { namespace: 'product' })).toBe(1);
  });

  it('loads again once the entry outlived its TTL', async () => {
    const loader = jest.fn(() => Promise.resolve('v'));
    await cache.getOrLoad('search', 'q', 20, loader);

    await sleep(60);
    const again = await cache.getOrLoad('search', 'q', 20, loader);

    expect(again.source).toBe('loader');
    expect(loader).toHaveBeenCalledTimes(2);
  });

  /** Loads a, b, a again and c where two of them fit: b, the least recently used, goes. */
  async function expectLeastRecentlyUsedEvicted(load: (key: string) => Promise<{ source: string }>): Promise<void> {
    await load('a');
    await load('b');
    await load('a');
    await load('c');

    expect((await load('a')).source).toBe('l1');
    expect((await load('c')).source).toBe('l1');
    expect((await load('b')).source).toBe('loader');
  }

  it('evicts the least recently used entry beyond l1MaxEntries', async () => {
    const small = new TwoLevelCache({ l1MaxEntries: 2 }, cacheMetricsIn(new Registry()));
    await expectLeastRecentlyUsedEvicted((key) => small.getOrLoad('product', key, HOUR, () => Promise.resolve(key)));
  });

  it('evicts the least recently used entries beyond l1MaxBytes, and keeps none larger than that in L1', async () => {
    // Each entry counts twice its JSON text: '"aaa…"' of 100 characters is 200 bytes.
    const small = new TwoLevelCache({ l1MaxEntries: 100, l1MaxBytes: 500 }, cacheMetricsIn(new Registry()));
    const load = (key: string, length = 98) => small.getOrLoad('search', key, HOUR, () => Promise.resolve(key.repeat(length)));
    await expectLeastRecentlyUsedEvicted((key) => load(key));

    const big = await load('d', 300);
    expect(big).toEqual({ value: 'd'.repeat(300), source: 'loader' });
    expect((await load('d', 300)).source).toBe('loader');
    // It took nothing out: the last two kept are still there.
    expect((await load('c')).source).toBe('l1');
    expect((await load('b')).source).toBe('l1');
  });

  it('invalidates one key and leaves the others cached', async () => {
    await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve('old'));
    await cache.getOrLoad('product', 'p2', HOUR, () => Promise.resolve('p2'));

    await cache.invalidate('product', 'p1');

    expect(await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve('new'))).toEqual({
      value: 'new',
      source: 'loader',
    });
    expect((await cache.getOrLoad('product', 'p2', HOUR, () => Promise.resolve('x'))).source).toBe('l1');
  });

  it('invalidates a whole namespace and no other', async () => {
    await cache.getOrLoad('search', 'q=a', HOUR, () => Promise.resolve('a'));
    await cache.getOrLoad('search', 'q=b', HOUR, () => Promise.resolve('b'));
    await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve('p1'));

    await cache.invalidateNamespace('search');

    expect((await cache.getOrLoad('search', 'q=a', HOUR, () => Promise.resolve('a2'))).value).toBe('a2');
    expect((await cache.getOrLoad('search', 'q=b', HOUR, () => Promise.resolve('b2'))).value).toBe('b2');
    expect((await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve('x'))).source).toBe('l1');
    expect((await cache.getOrLoad('search', 'q=a', HOUR, () => Promise.resolve('a3'))).source).toBe('l1');
  });

  it('does not keep a value whose load was under way when the key was invalidated', async () => {
    const stale = heldLoader<string>();
    const pending = cache.getOrLoad('product', 'p1', HOUR, stale.loader);
    await stale.called;

    await cache.invalidate('product', 'p1');
    const fresh = await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve('new'));
    stale.answer('old');

    expect(fresh).toEqual({ value: 'new', source: 'loader' });
    expect((await pending).value).toBe('old');
    expect(await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve('other'))).toEqual({
      value: 'new',
      source: 'l1',
    });
  });

  it('does not keep a value whose load was under way when its namespace was invalidated', async () => {
    const stale = heldLoader<string>();
    const pending = cache.getOrLoad('search', 'q', HOUR, stale.loader);
    await stale.called;

    await cache.invalidateNamespace('search');
    stale.answer('old');
    await pending;

    expect(await cache.getOrLoad('search', 'q', HOUR, () => Promise.resolve('new'))).toEqual({
      value: 'new',
      source: 'loader',
    });
  });

  it('passes a loader error to every waiting caller and caches nothing', async () => {
    const failing = deferred<string>();
    const reads = [1, 2, 3].map(() => cache.getOrLoad('product', 'p1', HOUR, () => failing.promise));
    failing.reject(new Error('database down'));

    for (const read of reads) await expect(read).rejects.toThrow('database down');
    expect(await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve('ok'))).toEqual({
      value: 'ok',
      source: 'loader',
    });
  });

  it('caches null but refuses a value JSON cannot hold', async () => {
    expect((await cache.getOrLoad('product', 'missing', HOUR, () => Promise.resolve(null))).value).toBeNull();
    expect((await cache.getOrLoad('product', 'missing', HOUR, () => Promise.resolve('x'))).source).toBe('l1');

    await expect(cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve(undefined))).rejects.toThrow(TypeError);
  });

  it('rejects a namespace with a colon and a TTL that is not positive', async () => {
    await expect(cache.getOrLoad('a:b', 'c', HOUR, () => Promise.resolve(1))).rejects.toThrow(RangeError);
    await expect(cache.getOrLoad('product', 'p1', 0, () => Promise.resolve(1))).rejects.toThrow(RangeError);
    await expect(cache.invalidateNamespace('')).rejects.toThrow(RangeError);
  });

  it('peeks at L1 without loading: derives once per entry, counts a hit, and forgets the entry when it goes', async () => {
    const derive = jest.fn((value: unknown) => `<${(value as { name: string }).name}>`);
    expect(cache.peek('product', 'p1', derive)).toBeUndefined();

    await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve({ name: 'lamp' }));
    const hits = await count(metrics.hits, { namespace: 'product', level: 'l1' });
    expect(cache.peek('product', 'p1', derive)).toBe('<lamp>');
    expect(cache.peek('product', 'p1', derive)).toBe('<lamp>');
    expect(derive).toHaveBeenCalledTimes(1);
    expect(await count(metrics.hits, { namespace: 'product', level: 'l1' })).toBe(hits + 2);

    await cache.invalidate('product', 'p1');
    expect(cache.peek('product', 'p1', derive)).toBeUndefined();
    await cache.getOrLoad('product', 'p1', HOUR, () => Promise.resolve({ name: 'desk' }));
    expect(cache.peek('product', 'p1', derive)).toBe('<desk>');

    await cache.invalidateNamespace('product');
    expect(cache.peek('product', 'p1', derive)).toBeUndefined();
  });

  it('gets what L1 holds without loading, and counts a miss when it holds nothing current', async () => {
    expect(await cache.get('search', 'q=lamp')).toBeUndefined();
    expect(await count(metrics.misses, { namespace: 'search' })).toBe(1);

    await cache.getOrLoad('search', 'q=lamp', HOUR, () => Promise.resolve({ at: new Date('2026-01-02T03:04:05.000Z') }));
    expect(await cache.get('search', 'q=lamp')).toEqual({ value: { at: '2026-01-02T03:04:05.000Z' }, source: 'l1' });
    expect(await count(metrics.hits, { namespace: 'search', level: 'l1' })).toBe(1);

    await cache.invalidateNamespace('search');
    expect(await cache.get('search', 'q=lamp')).toBeUndefined();
    expect(await count(metrics.loads, { namespace: 'search' })).toBe(1);
  });

  it('counts no hit when a peek derives nothing from the entry', async () => {
    await cache.getOrLoad('product', 'missing', HOUR, () => Promise.resolve(null));
    const hits = await count(metrics.hits, { namespace: 'product', level: 'l1' });

    expect(cache.peek('product', 'missing', (value) => (value === null ? undefined : value))).toBeUndefined();
    expect(await count(metrics.hits, { namespace: 'product', level: 'l1' })).toBe(hits);
  });

  it('reports L2 as disabled without Redis', async () => {
    expect(await cache.checkL2()).toEqual({ status: 'disabled' });
  });
});
