/**
 * Every metric docs/metrics.md lists is exported with its labels once the shop has done some work:
 * orders confirmed and declined, a product read twice (a cache hit), a search. In the split topology
 * the processes' scrapes are taken together, as Prometheus sees them, and the Kafka metrics are
 * required too; the Redis cache counters only when REDIS_URL gives the service a Redis.
 */
import { CONTEXT_NAMES } from '../../libs/contracts/message';
import { asAdmin } from '../support/auth';
import { drained, finalOrder, placeOrder, sql, stockedProduct } from '../support/shop';
import { SPLIT, startTestApp, TestApp } from '../support/test-app';

type MetricType = 'counter' | 'gauge' | 'histogram';

/** Name → type and the labels of its series (beside `le` for histogram buckets). */
const EXPORTED: Record<string, [MetricType, string[]]> = {
  http_requests_total: ['counter', ['method', 'route', 'status_class']],
  http_request_duration_seconds: ['histogram', ['method', 'route', 'status_class']],
  orders_created_total: ['counter', ['outcome']],
  orders_decided_total: ['counter', ['outcome']],
  orders_closed_total: ['counter', ['outcome']],
  order_processing_duration_seconds: ['histogram', ['outcome']],
  order_revenue_minor_units_total: ['counter', ['currency']],
  inventory_operations_total: ['counter', ['operation', 'result']],
  inventory_level_gauge: ['gauge', ['quantity']],
  payments_processed_total: ['counter', ['provider', 'operation', 'result']],
  payment_processing_duration_seconds: ['histogram', ['provider', 'operation']],
  payments_parked: ['gauge', ['provider']],
  circuit_breaker_state: ['gauge', ['breaker', 'provider']],
  cache_hits_total: ['counter', ['namespace', 'level']],
  cache_misses_total: ['counter', ['namespace']],
  cache_loads_total: ['counter', ['namespace']],
  cache_hit_ratio: ['gauge', ['level']],
  search_queries_total: ['counter', ['backend', 'result']],
  search_query_duration_seconds: ['histogram', ['backend']],
  outbox_pending_messages: ['gauge', []],
  outbox_lag_seconds: ['histogram', []],
  inbox_duplicates_skipped_total: ['counter', ['consumer']],
  dead_letters: ['gauge', ['context']],
  saga_states: ['gauge', ['state']],
};
const KAFKA: Record<string, [MetricType, string[]]> = {
  kafka_messages_produced_total: ['counter', ['topic']],
  kafka_messages_consumed_total: ['counter', ['topic', 'group']],
  kafka_requests_total: ['counter', ['client', 'api']],
  kafka_consumer_lag: ['gauge', ['topic', 'partition', 'group']],
};
const REDIS: Record<string, [MetricType, string[]]> = {
  redis_cache_hits_total: ['counter', ['namespace']],
  redis_cache_misses_total: ['counter', ['namespace']],
};

interface Scrape {
  types: Map<string, string>;
  /** Series name (`x_bucket` for a histogram's buckets) → its label sets, each as sorted names joined by commas. */
  labelSets: Map<string, Set<string>>;
  /** Series name → its label values, to check a few. */
  samples: { series: string; labels: Record<string, string>; value: number }[];
}

/** The Prometheus text format, as much as this test needs: TYPE lines and samples. */
function parse(texts: string[]): Scrape {
  const scrape: Scrape = { types: new Map(), labelSets: new Map(), samples: [] };
  for (const line of texts.join('\n').split('\n')) {
    const type = /^# TYPE (\w+) (\w+)$/.exec(line);
    if (type) scrape.types.set(type[1], type[2]);
    const sample = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const sets = scrape.labelSets.get(sample[1]) ?? new Set<string>();
    sets.add(Object.keys(labels).sort().join(','));
    scrape.labelSets.set(sample[1], sets);
    scrape.samples.push({ series: sample[1], labels, value: Number(sample[3]) });
  }
  return scrape;
}

/** What is missing or wrong for each expected metric: its TYPE, a sample, the sample's label names. */
function mismatches(scrape: Scrape, expected: Record<string, [MetricType, string[]]>): string[] {
  return Object.entries(expected).flatMap(([name, [type, labels]]) => {
    const series = type === 'histogram' ? `${name}_bucket` : name;
    const want = (type === 'histogram' ? [...labels, 'le'] : labels).sort().join(',');
    const found = [...(scrape.labelSets.get(series) ?? [])];
    if (scrape.types.get(name) !== type) return [`${name}: TYPE ${scrape.types.get(name) ?? 'missing'}, expected ${type}`];
    if (found.length === 0) return [`${name}: no sample`];
    return found.every((set) => set === want) ? [] : [`${name}: labels {${found.join('} {')}}, expected {${want}}`];
  });
}

function valuesOf(scrape: Scrape, series: string, label: string): string[] {
  return [...new Set(scrape.samples.filter((s) => s.series === series).map((s) => s.labels[label]))].sort();
}

describe('Metrics', () => {
  let app: TestApp;
  let scrape: Scrape;

  beforeAll(async () => {
    app = await startTestApp();
    const productId = await stockedProduct(app, 10);
    await finalOrder(app, await placeOrder(app, [{ productId, quantity: 1 }]));
    await finalOrder(app, await placeOrder(app, [{ productId, quantity: 1 }], 'tok_chargeDeclined'));
    const admin = await asAdmin(app);
    await admin.get(`/api/v1/products/${productId}`).expect(200);
    await admin.get(`/api/v1/products/${productId}`).expect(200);
    await admin.get('/api/v1/products?q=metrics').expect(200);
    await drained(app);
    // Each process exports its own metrics; Prometheus scrapes them all.
    const urls = [...new Set(CONTEXT_NAMES.map((context) => app.urlOf(context)))];
    scrape = parse(await Promise.all(urls.map(async (url) => (await fetch(`${url}/metrics`)).text())));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('exports every listed metric with its labels', () => {
    expect(mismatches(scrape, EXPORTED)).toEqual([]);
  });

  it('counts orders placed and decided, by outcome, and what inventory and the provider did for them', () => {
    expect(valuesOf(scrape, 'orders_created_total', 'outcome')).toEqual(['placed']);
    // The declined card's order had its stock reserved: it is rolled back, not rejected.
    expect(valuesOf(scrape, 'orders_decided_total', 'outcome')).toEqual(['CONFIRMED', 'ROLLED_BACK']);
    expect(valuesOf(scrape, 'payments_processed_total', 'result')).toEqual(expect.arrayContaining(['declined', 'ok']));
    expect(valuesOf(scrape, 'inventory_operations_total', 'operation')).toEqual(expect.arrayContaining(['commit', 'release', 'reserve']));
    expect(valuesOf(scrape, 'http_requests_total', 'status_class')).toEqual(expect.arrayContaining(['2xx']));
    expect(valuesOf(scrape, 'saga_states', 'state')).toEqual(['confirmed', 'pending']);
    expect(valuesOf(scrape, 'dead_letters', 'context')).toEqual([...CONTEXT_NAMES].sort());
  });

  it('reads the outbox rows not yet delivered when it is scraped', async () => {
    const pending = async () => {
      const text = await (await fetch(`${app.urlOf('ordering')}/metrics`)).text();
      return parse([text]).samples.find((s) => s.series === 'outbox_pending_messages')?.value;
    };
    expect(await pending()).toBe(0);
    // Due tomorrow, so no relay takes them while the test looks.
    await sql(
      app,
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, next_attempt_at)
       SELECT gen_random_uuid(), 'test.pending', 1, 'pending', '{}', now() + interval '1 day' FROM generate_series(1, 2)`,
    );
    expect(await pending()).toBe(2);
    await sql(app, `DELETE FROM messaging.outbox WHERE type = 'test.pending'`);
    expect(await pending()).toBe(0);
  });

  it('counts the undelivered rows without reading again the rows delivered since the last vacuum', async () => {
    await sql(
      app,
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, next_attempt_at)
       SELECT gen_random_uuid(), 'test.delivered', 1, 'delivered', '{}', now() + interval '1 day' FROM generate_series(1, 2000)`,
    );
    // Statistics taken while they waited, as autovacuum takes them during a burst: the planner expects thousands undelivered.
    await sql(app, 'ANALYZE messaging.outbox');
    await sql(app, `UPDATE messaging.outbox SET published_at = now() WHERE type = 'test.delivered'`);
    const [{ blocks: tableBlocks }] = await sql<{ blocks: number }>(
      app,
      `SELECT (pg_relation_size('messaging.outbox') / current_setting('block_size')::int)::int AS blocks`,
    );
    // The first count meets the delivered rows' index entries and marks them; a connection's first call also reads the catalog.
    const blocksRead: number[] = [];
    for (let count = 0; count < 3; count++) {
      const [{ 'QUERY PLAN': [{ Plan: plan }] }] = await sql<{ 'QUERY PLAN': [{ Plan: Record<string, number> }] }>(
        app,
        'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT messaging.outbox_undelivered_count()',
      );
      blocksRead.push(plan['Shared Hit Blocks'] + plan['Shared Read Blocks']);
    }
    expect(Math.min(...blocksRead)).toBeLessThan(tableBlocks / 4);
    await sql(app, `DELETE FROM messaging.outbox WHERE type = 'test.delivered'`);
  });

  (SPLIT ? it : it.skip)('exports the Kafka producer, consumer, request and lag metrics in the split topology', () => {
    expect(mismatches(scrape, KAFKA)).toEqual([]);
    const requests = (client: string, api: string) =>
      scrape.samples.filter((s) => s.series === 'kafka_requests_total' && s.labels.client === client && s.labels.api === api).reduce((n, s) => n + s.value, 0);
    // The orders' commands went out in produce requests, and the contexts that handled them fetched and committed.
    expect(requests('producer', 'Produce')).toBeGreaterThan(0);
    for (const group of ['inventory', 'payments', 'ordering']) {
      expect({ group, fetched: requests(group, 'Fetch') > 0, committed: requests(group, 'OffsetCommit') > 0 }).toEqual({ group, fetched: true, committed: true });
    }
    const lag = scrape.samples.filter((s) => s.series === 'kafka_consumer_lag');
    expect(valuesOf(scrape, 'kafka_consumer_lag', 'group')).toEqual(expect.arrayContaining(['inventory', 'ordering', 'payments']));
    expect(lag.every((s) => Number.isInteger(s.value) && s.value >= 0)).toBe(true);
  });

  (process.env.REDIS_URL ? it : it.skip)('exports the Redis cache counters when the cache has a Redis level', () => {
    expect(mismatches(scrape, REDIS)).toEqual([]);
  });
});

if (!SPLIT) process.stdout.write('metrics: the Kafka metrics are checked in the split topology (npm run test:split)\n');
if (!process.env.REDIS_URL) process.stdout.write('metrics: the Redis cache counters are checked only with REDIS_URL set\n');
