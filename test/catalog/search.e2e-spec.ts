import { asAdmin } from '../support/auth';
import { newId } from '../../libs/persistence';
import { CatalogCache, SEARCH_INVALIDATION_WINDOW_MS } from '../../src/modules/catalog/application/catalog-cache';
import { sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';
import { allPages, createProducts, fieldsOf, Hit, newProduct, searchable, uniqueWord } from './catalog-fixtures';

describe('Catalog search', () => {
  let app: TestApp;
  let staff: HttpRoutes;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('makes a new product searchable by a word prefix moments later, and marks it indexed', async () => {
    const word = uniqueWord();
    const { body: created } = await staff
      .post('/api/v1/products')
      .send(newProduct({ name: `Slim ${word}laptop 14`, category: 'laptops', price: { amount: 89900, currency: 'EUR' } }))
      .expect(201);
    expect(created.indexing).toEqual({ status: 'pending', indexedAt: null, error: null });

    const [hit] = await searchable(app, { q: `${word}lapt` }, [created.id]);
    expect(hit).toEqual({
      id: created.id,
      sku: created.sku,
      name: created.name,
      description: created.description,
      category: 'laptops',
      price: { amount: 89900, currency: 'EUR' },
      popularity: 0,
      attributes: {},
      version: 1,
      createdAt: created.createdAt,
    });
    await app.eventually(async () => {
      const { body } = await app.http().get(`/api/v1/products/${created.id}`).expect(200);
      expect(body.indexing).toEqual({ status: 'indexed', indexedAt: expect.any(String), error: null });
    });
  });

  it('finds words in the description too, ranking name matches first', async () => {
    const word = uniqueWord();
    const [inDescription, inName] = await createProducts(app, [
      newProduct({ name: 'Travel mug', description: `Keeps ${word} coffee hot`, popularity: 1000 }),
      newProduct({ name: `${word} espresso cup`, description: 'Porcelain', popularity: 0 }),
    ]);
    const hits = await searchable(app, { q: word }, [inDescription, inName]);
    expect(hits.map((h) => h.id)).toEqual([inName, inDescription]);
    expect((await allPages(app, { q: word, sort: 'popularity' })).map((h) => h.id)).toEqual([inDescription, inName]);
  });

  it('requires every word of q, each as a prefix', async () => {
    const word = uniqueWord();
    const [blackTee, whiteTee] = await createProducts(app, [
      newProduct({ name: `${word} T-shirt black`, category: 'apparel' }),
      newProduct({ name: `${word} T-shirt white`, category: 'apparel' }),
    ]);
    await searchable(app, { q: word }, [blackTee, whiteTee]);
    expect((await allPages(app, { q: `${word} bla` })).map((h) => h.id)).toEqual([blackTee]);
    expect((await allPages(app, { q: `${word.slice(0, -2)} shirt` })).map((h) => h.id).sort()).toEqual(
      [blackTee, whiteTee].sort(),
    );
    expect(await allPages(app, { q: `${word} green` })).toEqual([]);
  });

  it('filters by exact category and an inclusive price range', async () => {
    const word = uniqueWord();
    const [cheap, mid, dear, other] = await createProducts(app, [
      newProduct({ name: `${word} a`, category: 'kitchen', price: { amount: 999, currency: 'EUR' } }),
      newProduct({ name: `${word} b`, category: 'kitchen', price: { amount: 2500, currency: 'EUR' } }),
      newProduct({ name: `${word} c`, category: 'kitchen', price: { amount: 5000, currency: 'EUR' } }),
      newProduct({ name: `${word} d`, category: 'garden', price: { amount: 2500, currency: 'EUR' } }),
    ]);
    await searchable(app, { q: word }, [cheap, mid, dear, other]);
    const ids = async (query: Record<string, string | number>): Promise<string[]> =>
      (await allPages(app, { q: word, sort: 'price_asc', ...query })).map((h) => h.id);
    expect(await ids({ category: 'kitchen' })).toEqual([cheap, mid, dear]);
    expect(await ids({ category: 'kitchen', minPrice: 2500, maxPrice: 5000 })).toEqual([mid, dear]);
    // Equal prices: the id breaks the tie, in the direction of the sort.
    expect(await ids({ minPrice: 1000, maxPrice: 2500 })).toEqual([mid, other]);
    expect((await allPages(app, { q: word, sort: 'price_desc', minPrice: 2500, maxPrice: 2500 })).map((h) => h.id)).toEqual([
      other,
      mid,
    ]);
    expect(await ids({ minPrice: 999, maxPrice: 999 })).toEqual([cheap]);
    expect(await ids({ category: 'kitch' })).toEqual([]);
  });

  it('sees a new price once the change is indexed', async () => {
    const word = uniqueWord();
    const { body: product } = await staff
      .post('/api/v1/products')
      .send(newProduct({ name: `${word} kettle`, price: { amount: 4999, currency: 'EUR' } }))
      .expect(201);
    await searchable(app, { q: word, maxPrice: 5000 }, [product.id]);

    await staff.patch(`/api/v1/products/${product.id}`).send({ price: { amount: 6999, currency: 'EUR' } }).expect(200);

    await app.eventually(async () => {
      const [hit] = await allPages(app, { q: word });
      expect(hit).toMatchObject({ id: product.id, price: { amount: 6999, currency: 'EUR' }, version: 2 });
    });
    expect(await allPages(app, { q: word, maxPrice: 5000 })).toEqual([]);
    expect((await allPages(app, { q: word, minPrice: 6999 })).map((h) => h.id)).toEqual([product.id]);
  });

  it('follows a renamed product into its new category and forgets its old words', async () => {
    const [before, after] = [uniqueWord(), uniqueWord()];
    const { body: product } = await staff
      .post('/api/v1/products')
      .send(newProduct({ name: `${before} lamp`, category: 'furniture' }))
      .expect(201);
    await searchable(app, { q: before, category: 'furniture' }, [product.id]);

    await staff.patch(`/api/v1/products/${product.id}`).send({ name: `${after} lamp`, category: 'garden' }).expect(200);

    await searchable(app, { q: `${after} lam`, category: 'garden' }, [product.id]);
    expect(await allPages(app, { q: after, category: 'furniture' })).toEqual([]);
    expect(await allPages(app, { q: before })).toEqual([]);
    // The terms relevance search reads hold exactly the document's words, category and price.
    const [{ stale }] = await sql<{ stale: number }>(
      app,
      `SELECT count(*)::int AS stale FROM catalog.product_search_term AS term
       WHERE term.product_id = $1 AND NOT EXISTS (
         SELECT FROM catalog.product_search AS s, unnest(s.document) AS entry
         WHERE s.product_id = term.product_id AND entry.lexeme = term.lexeme
           AND s.category = term.category AND s.price_amount = term.price_amount)`,
      [product.id],
    );
    expect(stale).toBe(0);
  });

  it('drops an archived product from search but keeps it readable by id', async () => {
    const word = uniqueWord();
    const [kept, archived] = await createProducts(app, [newProduct({ name: `${word} one` }), newProduct({ name: `${word} two` })]);
    await searchable(app, { q: word }, [kept, archived]);

    const { body, headers } = await staff.post(`/api/v1/products/${archived}/archive`).expect(200);
    expect(body).toMatchObject({ id: archived, status: 'archived', version: 2 });
    expect(headers.etag).toBe('"2"');

    await searchable(app, { q: word }, [kept]);
    await app.eventually(async () => {
      const { body: read } = await app.http().get(`/api/v1/products/${archived}`).expect(200);
      expect(read).toMatchObject({ status: 'archived', version: 2, indexing: { status: 'indexed' } });
    });
    const [{ n }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM catalog.product_search WHERE product_id = $1', [
      archived,
    ]);
    expect(n).toBe(0);

    const again = await staff.post(`/api/v1/products/${archived}/archive`).expect(200);
    expect(again.body).toMatchObject({ status: 'archived', version: 2 });
    // An archived product edited later stays out of search.
    await staff.patch(`/api/v1/products/${archived}`).send({ name: `${word} two renamed` }).expect(200);
    await app.eventually(async () => {
      const { body: read } = await app.http().get(`/api/v1/products/${archived}`).expect(200);
      expect(read).toMatchObject({ version: 3, indexing: { status: 'indexed' } });
    });
    expect((await allPages(app, { q: word })).map((h) => h.id)).toEqual([kept]);
  });

  it.each(['price_asc', 'newest', 'popularity'])(
    'pages through every product exactly once with sort=%s while products are being added',
    async (sort) => {
      const category = `pages-${newId()}`;
      const product = (n: number): Record<string, unknown> =>
        newProduct({
          name: `Paged ${n}`,
          category,
          // Few distinct values, so ties are broken by id across page boundaries.
          price: { amount: 100 * (n % 5), currency: 'EUR' },
          popularity: n % 3,
        });
      const existing = await createProducts(app, Array.from({ length: 23 }, (_, n) => product(n)));
      await searchable(app, { category }, existing);

      const added: string[] = [];
      const adding = (async () => {
        for (let n = 100; n < 115; n++) {
          const { body } = await staff.post('/api/v1/products').send(product(n)).expect(201);
          added.push(body.id);
        }
      })();
      const hits = await allPages(app, { category, sort, limit: 4 });
      await adding;

      const ids = hits.map((h) => h.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(existing));
      expect(ids.filter((id) => !existing.includes(id)).every((id) => added.includes(id))).toBe(true);
      const key = (h: Hit): number =>
        sort === 'price_asc' ? h.price.amount : sort === 'popularity' ? -h.popularity : -Date.parse(h.createdAt);
      expect(hits.every((h, i) => i === 0 || key(hits[i - 1]) <= key(h))).toBe(true);
    },
  );

  it('pages through relevance-sorted results exactly once, best first', async () => {
    const word = uniqueWord();
    const products = Array.from({ length: 17 }, (_, n) =>
      newProduct({
        name: n % 3 === 0 ? `${word} ${'extra '.repeat(n % 4)}item ${n}` : `Item ${n}`,
        description: n % 3 === 0 ? 'In the name' : `Mentions ${word} ${n % 2 === 0 ? word : ''}`,
      }),
    );
    const ids = await createProducts(app, products);
    await searchable(app, { q: word }, ids);

    const hits = await allPages(app, { q: word, limit: 3 });
    expect(hits.map((h) => h.id).sort()).toEqual([...ids].sort());
    const nameMatches = ids.filter((_, n) => n % 3 === 0);
    expect(hits.slice(0, nameMatches.length).map((h) => h.id).sort()).toEqual(nameMatches.sort());
  });

  it('counts facets over the whole filtered result, adding up to its total', async () => {
    const word = uniqueWord();
    const prices = [500, 999, 1000, 2499, 2500, 99999, 100000, 300000];
    const ids = await createProducts(app, [
      ...prices.map((amount, n) =>
        newProduct({ name: `${word} ${n}`, category: n % 3 === 0 ? 'toys' : 'books', price: { amount, currency: 'EUR' } }),
      ),
      newProduct({ name: 'Unrelated', category: 'toys', price: { amount: 700, currency: 'EUR' } }),
    ]);
    await searchable(app, { q: word }, ids.slice(0, prices.length));

    const { body } = await app.http().get('/api/v1/products').query({ q: word, facets: 'true', limit: 2 }).expect(200);
    expect(body.items).toHaveLength(2);
    expect(body.facets).toEqual({
      total: 8,
      categories: [
        { value: 'books', count: 5 },
        { value: 'toys', count: 3 },
      ],
      priceBuckets: [
        { from: 0, to: 1000, count: 2 },
        { from: 1000, to: 2500, count: 2 },
        { from: 2500, to: 5000, count: 1 },
        { from: 50000, to: 100000, count: 1 },
        { from: 100000, to: 250000, count: 1 },
        { from: 250000, to: null, count: 1 },
      ],
    });
    const sum = (counts: { count: number }[]): number => counts.reduce((total, c) => total + c.count, 0);
    expect(sum(body.facets.categories)).toBe(body.facets.total);
    expect(sum(body.facets.priceBuckets)).toBe(body.facets.total);
    expect(await allPages(app, { q: word })).toHaveLength(body.facets.total);

    const filtered = await app
      .http()
      .get('/api/v1/products')
      .query({ q: word, facets: 'true', category: 'books', minPrice: 1000 })
      .expect(200);
    expect(filtered.body.facets).toEqual({
      total: 4,
      categories: [{ value: 'books', count: 4 }],
      priceBuckets: [
        { from: 1000, to: 2500, count: 1 },
        { from: 2500, to: 5000, count: 1 },
        { from: 50000, to: 100000, count: 1 },
        { from: 250000, to: null, count: 1 },
      ],
    });
    expect((await app.http().get('/api/v1/products').query({ q: word }).expect(200)).body.facets).toBeUndefined();
  });

  it('tolerates a typo in a name where pg_trgm is installed, and matches prefixes only where it is not', async () => {
    const word = uniqueWord();
    const { body: product } = await staff.post('/api/v1/products').send(newProduct({ name: `Zen ${word} lamp` })).expect(201);
    await searchable(app, { q: word }, [product.id]);
    const typo = word.slice(0, 5) + word.slice(6);
    const [{ installed }] = await sql<{ installed: boolean }>(
      app,
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed`,
    );
    const hits = await allPages(app, { q: typo });
    expect(hits.map((h) => h.id)).toEqual(installed ? [product.id] : []);
  });

  it('shows an index change within the invalidation window, also when it follows another change in the window', async () => {
    const word = uniqueWord();
    const [kept, dropped] = await createProducts(app, [newProduct({ name: `${word} kettle` }), newProduct({ name: `${word} teapot` })]);
    await searchable(app, { q: word }, [kept, dropped]);
    const cache = app.nest.get(CatalogCache);
    await cache.searchChanged();
    await allPages(app, { q: word });
    // A change the application did not make, announced inside the window the last one opened.
    await sql(app, 'DELETE FROM catalog.product_search WHERE product_id = $1', [dropped]);
    await cache.searchChanged();
    await app.eventually(async () => {
      expect((await allPages(app, { q: word })).map((h) => h.id)).toEqual([kept]);
    }, SEARCH_INVALIDATION_WINDOW_MS + 4000);
  });

  describe('rejects bad parameters with 400 problem+json naming the parameter', () => {
    it.each<[string, Record<string, string>, string]>([
      ['limit=0', { limit: '0' }, 'limit'],
      ['limit=10000', { limit: '10000' }, 'limit'],
      ['minPrice > maxPrice', { minPrice: '2000', maxPrice: '1000' }, 'minPrice'],
      ['an unknown sort', { sort: 'cheapest' }, 'sort'],
      ['sort=relevance without q', { sort: 'relevance' }, 'sort'],
      ['a negative maxPrice', { maxPrice: '-5' }, 'maxPrice'],
      ['facets=maybe', { facets: 'maybe' }, 'facets'],
      ['a q of punctuation only', { q: '***' }, 'q'],
      ['an unknown parameter', { color: 'red' }, 'color'],
    ])('%s', async (_, query, field) => {
      const response = await app.http().get('/api/v1/products').query(query).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fieldsOf(response.body)).toContain(field);
    });

    it('a cursor used with another sort', async () => {
      await createProducts(app, [newProduct(), newProduct()]);
      const { nextCursor } = await app.eventually(async () => {
        const { body } = await app.http().get('/api/v1/products').query({ sort: 'price_asc', limit: 1 }).expect(200);
        expect(body.nextCursor).toEqual(expect.any(String));
        return body;
      });
      const { body } = await app.http().get('/api/v1/products').query({ sort: 'price_desc', cursor: nextCursor }).expect(400);
      expect(fieldsOf(body)).toEqual(['cursor']);
    });
  });
});
