import { createClient } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import { cacheMetricsIn, TwoLevelCache } from '../../libs/cache';
import { newId } from '../../libs/persistence';
import { FaultProxy } from '../support/fault-proxy';
import { Registry } from 'prom-client';
import { deleteKeys, eventually, redisForTests } from './cache-test-support';

const redisUrl = redisForTests('two-level cache Redis suite');
const describeWithRedis = redisUrl ? describe : describe.skip;

const HOUR = 3_600_000;

describeWithRedis('TwoLevelCache on Redis, several instances', () => {
  const url = redisUrl!;
  const keyPrefix = `test-cache-${newId()}`;
  const started: TwoLevelCache[] = [];

  /**
   * An instance that waits for Redis longer than a loaded machine makes it wait: a command it gives
   * up on is a miss by design, and would read here as a lost entry. Only the instance a test cuts
   * off from Redis gives up sooner.
   */
  async function instance(instanceId: string, metrics = cacheMetricsIn(new Registry()), through = url, redisTimeoutMs = 2_000): Promise<TwoLevelCache> {
    const cache = new TwoLevelCache({ redisUrl: through, keyPrefix, l1MaxEntries: 1000, instanceId, redisTimeoutMs }, metrics);
    await cache.onModuleInit();
    started.push(cache);
    return cache;
  }

  async function killClient(name: string): Promise<void> {
    const admin = createClient({ url });
    await admin.connect();
    const line = (await admin.sendCommand<string>(['CLIENT', 'LIST'])).split('\n').find((l) => l.includes(` name=${name} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    if (!id) throw new Error(`no Redis client named ${name}`);
    await admin.sendCommand(['CLIENT', 'KILL', 'ID', id]);
    await admin.close();
  }

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    // The test that cuts a connection makes the cache warn; that warning is expected here.
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    await Promise.all(started.map((cache) => cache.onApplicationShutdown()));
    await deleteKeys(url, keyPrefix);
    jest.restoreAllMocks();
  });

  it('answers an instance from Redis what another one loaded, then from its own L1', async () => {
    const bMetrics = cacheMetricsIn(new Registry());
    const a = await instance('a1');
    const b = await instance('b1', bMetrics);
    const bLoader = jest.fn(() => Promise.resolve({ name: 'from b' }));

    await a.getOrLoad('product', 'p1', HOUR, () => Promise.resolve({ name: 'from a' }));

    expect(await b.getOrLoad('product', 'p1', HOUR, bLoader)).toEqual({ value: { name: 'from a' }, source: 'l2' });
    expect(await b.getOrLoad('product', 'p1', HOUR, bLoader)).toEqual({ value: { name: 'from a' }, source: 'l1' });
    expect(bLoader).not.toHaveBeenCalled();
    const hits = (await bMetrics.hits.get()).values.map((v) => [v.labels.level, v.value]);
    expect(hits).toEqual(expect.arrayContaining([['l2', 1], ['l1', 1]]));
  });

  it('gets from Redis what another instance loaded, without keeping it in L1 or loading', async () => {
    const a = await instance('a-get');
    const b = await instance('b-get');
    expect(await b.get('search', 'q=desk')).toBeUndefined();

    await a.getOrLoad('search', 'q=desk', HOUR, () => Promise.resolve({ name: 'from a' }));

    expect(await b.get('search', 'q=desk')).toEqual({ value: { name: 'from a' }, source: 'l2' });
    expect(await b.get('search', 'q=desk')).toEqual({ value: { name: 'from a' }, source: 'l2' });
  });

  it('stores entries under the key prefix with the TTL of the entry', async () => {
    const a = await instance('a2');
    await a.getOrLoad('product', 'p2', 60_000, () => Promise.resolve('p2'));

    const client = createClient({ url });
    await client.connect();
    const ttl = await client.pTTL(`${keyPrefix}:v:product:p2`);
    await client.close();

    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('drops a key in every instance when one of them invalidates it', async () => {
    const a = await instance('a3');
    const b = await instance('b3');
    let price = 1999;
    const load = () => Promise.resolve({ price });
    await a.getOrLoad('product', 'p3', HOUR, load);
    expect((await b.getOrLoad('product', 'p3', HOUR, load)).source).toBe('l2');
    expect((await b.getOrLoad('product', 'p3', HOUR, load)).source).toBe('l1');

    price = 2499;
    await a.invalidate('product', 'p3');

    expect(await a.getOrLoad('product', 'p3', HOUR, load)).toEqual({ value: { price: 2499 }, source: 'loader' });
    // B hears of it through pub/sub, so asynchronously; A's reload went to Redis meanwhile.
    await eventually(async () => {
      expect((await b.getOrLoad('product', 'p3', HOUR, load)).value).toEqual({ price: 2499 });
    });
  });

  it("sends B's next read to the loader after A invalidated a key both had cached", async () => {
    const a = await instance('a4');
    const b = await instance('b4');
    await a.getOrLoad('product', 'p4', HOUR, () => Promise.resolve('old'));
    await b.getOrLoad('product', 'p4', HOUR, () => Promise.resolve('old'));

    await a.invalidate('product', 'p4');

    await eventually(async () => {
      expect(await b.getOrLoad('product', 'p4', HOUR, () => Promise.resolve('new'))).toEqual({
        value: 'new',
        source: 'loader',
      });
    });
  });

  it('invalidates a namespace in every instance, including one started afterwards', async () => {
    const a = await instance('a5');
    const b = await instance('b5');
    await a.getOrLoad('search', 'q=red', HOUR, () => Promise.resolve(['old']));
    await b.getOrLoad('search', 'q=red', HOUR, () => Promise.resolve(['old']));
    await b.getOrLoad('product', 'p5', HOUR, () => Promise.resolve('kept'));

    await a.invalidateNamespace('search');
    const late = await instance('c5');

    expect(await late.getOrLoad('search', 'q=red', HOUR, () => Promise.resolve(['new']))).toEqual({
      value: ['new'],
      source: 'loader',
    });
    await eventually(async () => {
      expect((await b.getOrLoad('search', 'q=red', HOUR, () => Promise.resolve(['b']))).value).toEqual(['new']);
    });
    expect((await b.getOrLoad('product', 'p5', HOUR, () => Promise.resolve('lost'))).source).toBe('l1');
  });

  it('forgets its L1 when its subscription was cut, as it may have missed invalidations meanwhile', async () => {
    const a = await instance('a7');
    await a.getOrLoad('product', 'p7', HOUR, () => Promise.resolve('v'));
    expect((await a.getOrLoad('product', 'p7', HOUR, () => Promise.resolve('v'))).source).toBe('l1');

    await killClient(`${keyPrefix}:a7:subscriber`);

    await eventually(async () => {
      expect(await a.getOrLoad('product', 'p7', HOUR, () => Promise.resolve('reloaded'))).toEqual({
        value: 'v',
        source: 'l2',
      });
    });
  });

  describe('with invalidations Redis missed, from an instance cut off from it', () => {
    const OLD = { price: 1999 };
    const NEW = { price: 2499 };
    let proxy: FaultProxy;

    beforeEach(async () => {
      proxy = await FaultProxy.forUrl(url, 6379);
    });

    afterEach(async () => {
      await proxy.close();
    });

    /** A reaches Redis through the proxy, B directly; both hold the key of each namespace at the old price. */
    async function instancesHolding(namespaces: string[]) {
      const id = newId();
      const a = await instance(`a-${id}`, cacheMetricsIn(new Registry()), proxy.in(url), 100);
      const b = await instance(`b-${id}`);
      let current = OLD;
      const load = () => Promise.resolve(current);
      for (const cache of [a, b]) for (const namespace of namespaces) await cache.getOrLoad(namespace, id, HOUR, load);
      return { id, a, load, change: () => (current = NEW), caches: [a, b] };
    }

    /** Once A reaches Redis again, no level of either instance serves the old price. */
    async function expectNewEverywhere({ id, a, load, caches }: Awaited<ReturnType<typeof instancesHolding>>, namespaces: string[]) {
      await eventually(async () => expect(await a.checkL2()).toMatchObject({ status: 'up' }));
      for (const cache of caches) {
        for (const namespace of namespaces) await eventually(async () => expect((await cache.getOrLoad(namespace, id, HOUR, load)).value).toEqual(NEW));
      }
    }

    it.each([
      ['silent', (cut: FaultProxy) => cut.blackhole()],
      ['resetting its connections', (cut: FaultProxy) => cut.reset()],
    ])('sends them when Redis, %s, answers again, before reading it: no instance serves the old value after', async (_fault, inflict) => {
      const namespaces = ['product', 'search'];
      const held = await instancesHolding(namespaces);

      inflict(proxy);
      held.change();
      await held.a.invalidate('product', held.id);
      await held.a.invalidateNamespace('search');
      proxy.pass();

      await expectNewEverywhere(held, namespaces);
    });

    it('moves the namespace on instead once more than a thousand of its keys were missed', async () => {
      const held = await instancesHolding(['product']);

      proxy.reset();
      held.change();
      for (let i = 0; i < 1000; i++) await held.a.invalidate('product', `${held.id}-${i}`);
      await held.a.invalidate('product', held.id);
      proxy.pass();

      await expectNewEverywhere(held, ['product']);
    });
  });

  it('reports Redis as up', async () => {
    const a = await instance('a6');
    expect(await a.checkL2()).toEqual({ status: 'up', host: new URL(url).host });
  });
});
