'use strict';
// Search latency on a seeded catalog, one query at a time (a measurement, not a test):
//   npm run build && DATABASE_URL=postgres://… node test/catalog/search-latency.cjs [--queries 200]
// Starts the built service on DATABASE_URL (seed it first: npm run catalog:seed -- --count 100000),
// runs each query shape with varied words, categories and price ranges, and prints p50/p95/p99.
const { performance } = require('node:perf_hooks');
const process = require('node:process');
const bench = require('../bench/service.cjs');

const WORDS = ['laptop', 'wireless', 'organic', 'steel', 'lamp', 'chair', 'camera', 'premium', 'compact', 'kettle',
  'lapt', 'headph', 'sneak', 'backp', 'monit', 'keyb', 'classic', 'portable', 'hoodie', 'novel'];
const CATEGORIES = ['laptops', 'phones', 'headphones', 'cameras', 'monitors', 'keyboards', 'apparel', 'shoes',
  'kitchen', 'furniture', 'books', 'toys', 'sports', 'garden', 'beauty', 'bags'];

function argument(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function pick(items) {
  return items[Math.floor(Math.random() * items.length)];
}

function priceRange() {
  const min = pick([0, 1000, 2500, 5000, 10000, 25000]);
  return { minPrice: min, maxPrice: min * 4 + 5000 };
}

const SHAPES = {
  'words + category + price range': () => ({ q: pick(WORDS), category: pick(CATEGORIES), ...priceRange() }),
  'two words, relevance': () => ({ q: `${pick(WORDS)} ${pick(WORDS)}` }),
  'one word, sort=popularity': () => ({ q: pick(WORDS), sort: 'popularity' }),
  'category + price range, sort=price_asc': () => ({ category: pick(CATEGORIES), ...priceRange(), sort: 'price_asc' }),
  'no filter, newest': () => ({}),
  'words + category + price range + facets': () => ({
    q: pick(WORDS),
    category: pick(CATEGORIES),
    ...priceRange(),
    facets: 'true',
  }),
  'one word + facets': () => ({ q: pick(WORDS), facets: 'true' }),
};

async function timedSearch(base, query) {
  const url = `${base}/api/v1/products?${new URLSearchParams(query)}`;
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.json();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a seeded database');
  const queries = argument('--queries', 200);
  const { service } = await bench.startService({ LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  const base = `http://127.0.0.1:${service.port}`;
  try {
    const { body } = await timedSearch(base, { facets: 'true', limit: 1 });
    process.stdout.write(`${body.facets.total} searchable products, ${queries} queries per shape\n`);
    for (const [shape, make] of Object.entries(SHAPES)) {
      for (let i = 0; i < 20; i++) await timedSearch(base, make());
      const times = [];
      let hits = 0;
      for (let i = 0; i < queries; i++) {
        const { ms, body: page } = await timedSearch(base, make());
        times.push(ms);
        hits += page.items.length;
      }
      const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => bench.percentile(times, q).toFixed(1));
      process.stdout.write(
        `${shape.padEnd(44)} p50 ${p50} ms  p95 ${p95} ms  p99 ${p99} ms  max ${Math.max(...times).toFixed(1)} ms` +
          `  (${(hits / queries).toFixed(1)} hits/page)\n`,
      );
    }
  } finally {
    await bench.stopService(service);
  }
}

main()
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => bench.agent.destroy());
