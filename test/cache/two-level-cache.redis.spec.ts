import { createClient } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import { TwoLevelCache } from '../../libs/cache';
import { newId } from '../../libs/persistence';
import { deleteKeys, eventually, isolatedMetrics, redisForTests } from './cache-test-support';

const redisUrl = redisForTests('two-level cache Redis suite');
const describeWithRedis = redisUrl ? describe : describe.skip;

const HOUR = 3_600_000;

describeWithRedis('TwoLevelCache on Redis, several instances', () => {
  const url = redisUrl!;
  const keyPrefix = `test-cache-${newId()}`;
  const started: TwoLevelCache[] = [];

  async function instance(instanceId: string, metrics = isolatedMetrics()): Promise<TwoLevelCache> {
    const cache = new TwoLevelCache({ redisUrl: url, keyPrefix, l1MaxEntries: 1000, instanceId }, metrics);
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
    const bMetrics = isolatedMetrics();
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

  it('reports Redis as up', async () => {
    const a = await instance('a6');
    expect(await a.checkL2()).toEqual({ status: 'up', host: new URL(url).host });
  });
});
