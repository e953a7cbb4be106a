import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { CacheModule, TwoLevelCache } from '../../libs/cache';

describe(CacheModule.name, () => {
  let moduleRef: TestingModule;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    moduleRef = await Test.createTestingModule({
      imports: [PrometheusModule.register({ defaultMetrics: { enabled: false } }), CacheModule.forRoot({ l1MaxEntries: 10 })],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef.close();
    register.clear();
    jest.restoreAllMocks();
  });

  it('provides one cache whose hits, misses and loads appear in the Prometheus registry', async () => {
    const cache = moduleRef.get(TwoLevelCache);
    await cache.getOrLoad('product', 'p1', 60_000, () => Promise.resolve('p1'));
    await cache.getOrLoad('product', 'p1', 60_000, () => Promise.resolve('p1'));

    const exposed = await register.metrics();

    expect(exposed).toContain('cache_hits_total{namespace="product",level="l1"} 1');
    expect(exposed).toContain('cache_misses_total{namespace="product"} 1');
    expect(exposed).toContain('cache_loads_total{namespace="product"} 1');
  });
});
