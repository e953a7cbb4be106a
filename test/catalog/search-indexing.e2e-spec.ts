import { asAdmin } from '../support/auth';
import { rebuildReadModels } from '../../libs/persistence';
import { drained, sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';
import { allPages, createProducts, newProduct, searchable, uniqueWord } from './catalog-fixtures';
import { CatalogCache } from '../../src/modules/catalog/application/catalog-cache';

const CONSUMER = 'catalog/catalog.product.created@1';

async function indexingOf(app: TestApp, productId: string): Promise<{ status: string; error: string | null }> {
  const { body } = await app.http().get(`/api/v1/products/${productId}`).expect(200);
  return body.indexing;
}

describe('Catalog search indexing', () => {
  let app: TestApp;
  let staff: HttpRoutes;

  beforeAll(async () => {
    // Few attempts, so a message that cannot be indexed is dead-lettered quickly.
    app = await startTestApp({ MESSAGE_MAX_ATTEMPTS: '3' });
    staff = await asAdmin(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('marks a product whose indexing fails as failed, dead-letters the message, and recovers on replay', async () => {
    const word = uniqueWord();
    // The index refuses this one product, as a broken search backend would.
    await sql(app, `ALTER TABLE catalog.product_search ADD CONSTRAINT refuses_test_product CHECK (name <> '${word} poison')`);
    try {
      const [poisoned, healthy] = await createProducts(app, [
        newProduct({ name: `${word} poison` }),
        newProduct({ name: `${word} healthy` }),
      ]);

      const deadLetter = await app.eventually(async () => {
        const { body } = await staff.get('/api/v1/admin/dead-letters').expect(200);
        const letter = body.find((l: { envelope: { aggregateId: string } }) => l.envelope.aggregateId === poisoned);
        expect(letter).toMatchObject({ consumers: [CONSUMER], attempts: 3 });
        return letter;
      });
      expect(await indexingOf(app, poisoned)).toEqual({
        status: 'failed',
        indexedAt: null,
        error: expect.stringContaining('refuses_test_product'),
      });
      await searchable(app, { q: word }, [healthy]);
      expect((await indexingOf(app, healthy)).status).toBe('indexed');
      // Ordering handled the message once; only catalog's indexer failed it.
      const [{ n }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM ordering.product_price WHERE product_id = $1', [
        poisoned,
      ]);
      expect(n).toBe(1);

      await sql(app, 'ALTER TABLE catalog.product_search DROP CONSTRAINT refuses_test_product');
      await staff.post(`/api/v1/admin/dead-letters/${deadLetter.id}/replay`).expect(202);

      await searchable(app, { q: word }, [poisoned, healthy]);
      await app.eventually(async () => expect(await indexingOf(app, poisoned)).toMatchObject({ status: 'indexed', error: null }));
    } finally {
      await sql(app, 'ALTER TABLE catalog.product_search DROP CONSTRAINT IF EXISTS refuses_test_product');
    }
  });

  it('indexes the current state even when an older event is handled after a newer one', async () => {
    const word = uniqueWord();
    const { body: product } = await staff.post('/api/v1/products').send(newProduct({ name: `${word} v1` })).expect(201);
    await staff.patch(`/api/v1/products/${product.id}`).send({ name: `${word} v2` }).expect(200);
    await drained(app);
    await searchable(app, { q: word }, [product.id]);

    // Redeliver the creation event under a new message id, as a late duplicate from another path would arrive.
    await sql(
      app,
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope)
       SELECT gen_random_uuid(), type, version, aggregate_id,
              jsonb_set(envelope, '{id}', to_jsonb(gen_random_uuid()::text))
       FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'catalog.product.created'`,
      [product.id],
    );
    await drained(app);

    const [hit] = await allPages(app, { q: word });
    expect(hit).toMatchObject({ name: `${word} v2`, version: 2 });
    expect((await indexingOf(app, product.id)).status).toBe('indexed');
  });

  it('rebuilds the search index from the write model (npm run catalog:reindex)', async () => {
    const word = uniqueWord();
    const [active, archived, edited] = await createProducts(app, [
      newProduct({ name: `${word} active` }),
      newProduct({ name: `${word} archived` }),
      newProduct({ name: `${word} edited`, price: { amount: 1000, currency: 'EUR' } }),
    ]);
    await staff.post(`/api/v1/products/${archived}/archive`).expect(200);
    await drained(app);
    await searchable(app, { q: word }, [active, edited]);

    // The index drifts from the write model: an entry lost, a stale price, an archived product back.
    await sql(app, 'DELETE FROM catalog.product_search WHERE product_id = $1', [active]);
    await sql(app, 'UPDATE catalog.product_search SET price_amount = 1 WHERE product_id = $1', [edited]);
    await sql(
      app,
      `INSERT INTO catalog.product_search
         (product_id, sku, name, description, category, price_amount, currency, popularity, attributes, created_at, indexed_version)
       SELECT id, sku, name, description, category, price_amount, currency, popularity, attributes, created_at, version
       FROM catalog.product WHERE id = $1`,
      [archived],
    );
    await sql(app, `UPDATE catalog.product SET indexing_status = 'pending' WHERE id = $1`, [active]);
    // The drift bypassed the application, so nothing told the cache; search must see it here.
    await app.nest.get(CatalogCache).searchChanged();
    await searchable(app, { q: word }, [archived, edited]);

    const reports = await rebuildReadModels(app.nest);
    const [{ total }] = await sql<{ total: number }>(app, 'SELECT count(*)::int AS total FROM catalog.product');
    expect(reports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'catalog.product_search', rebuilt: total })]));

    const hits = await searchable(app, { q: word }, [active, edited]);
    expect(hits.find((h) => h.id === edited)?.price.amount).toBe(1000);
    expect((await indexingOf(app, active)).status).toBe('indexed');
    const [{ pending }] = await sql<{ pending: number }>(
      app,
      `SELECT count(*)::int AS pending FROM catalog.product WHERE indexing_status <> 'indexed'`,
    );
    expect(pending).toBe(0);
  });
});
