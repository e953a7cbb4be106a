import { Transaction } from '../../../libs/messaging';
import { newId } from '../../../libs/persistence';
import { searchWordsOf } from '../../../src/modules/catalog/api/search-products.request';
import {
  PRICE_BUCKET_BOUNDS,
  ProductSearch,
  ProductSearchIndex,
  SEARCH_SORTS,
  SearchDocument,
  SearchPage,
  SearchSort,
} from '../../../src/modules/catalog/application/ports/product-search-index';
import { uniqueWord } from '../catalog-fixtures';

/** An adapter of the port, started on empty storage. */
export interface SearchIndexUnderTest {
  index: ProductSearchIndex;
  /** A transaction of the write model's database, as indexing runs in. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Whether a misspelt word can match at all (the Postgres adapter needs pg_trgm for it). */
  matchesTypos: boolean;
  close(): Promise<void>;
}

let created = Date.parse('2026-01-01T00:00:00.000Z');

function doc(overrides: Partial<SearchDocument> = {}): SearchDocument {
  created += 1000;
  return {
    productId: newId(),
    sku: `SKU-${newId()}`,
    name: 'Plain mug',
    description: 'Stoneware, 300 ml',
    category: 'kitchen',
    price: { amount: 1500, currency: 'EUR' },
    popularity: 0,
    attributes: { color: 'white', dishwasherSafe: true, capacityMl: 300 },
    createdAt: new Date(created),
    version: 1,
    ...overrides,
  };
}

function matching(text: string): ProductSearch['q'] {
  return { text, words: searchWordsOf(text) };
}

function query(overrides: Partial<ProductSearch>): ProductSearch {
  return { sort: overrides.q ? 'relevance' : 'newest', limit: 100, facets: false, ...overrides };
}

function idsOf(page: SearchPage): string[] {
  return page.hits.map((h) => h.productId);
}

/** The order a sort promises, ties broken by id in the sort's direction. */
function expectedOrder(documents: SearchDocument[], sort: Exclude<SearchSort, 'relevance'>): string[] {
  const keyOf: Record<typeof sort, (d: SearchDocument) => number> = {
    popularity: (d) => -d.popularity,
    price_asc: (d) => d.price.amount,
    price_desc: (d) => -d.price.amount,
    newest: (d) => -d.createdAt.getTime(),
    oldest: (d) => d.createdAt.getTime(),
  };
  const descending = sort !== 'price_asc' && sort !== 'oldest';
  return [...documents]
    .sort((a, b) => keyOf[sort](a) - keyOf[sort](b) || (a.productId < b.productId ? -1 : 1) * (descending ? -1 : 1))
    .map((d) => d.productId);
}

/**
 * What every adapter of ProductSearchIndex promises: the Postgres and Elasticsearch adapters
 * run this same suite. Each test works on words and categories of its own, so the tests share
 * one index without seeing each other's documents.
 */
export function productSearchIndexContract(start: () => Promise<SearchIndexUnderTest>): void {
  let subject: SearchIndexUnderTest;
  let index: ProductSearchIndex;

  const put = (...documents: SearchDocument[]) => subject.transaction((tx) => index.put(tx, documents));
  const remove = (...ids: string[]) => subject.transaction((tx) => index.remove(tx, ids));

  /** Every hit, following `next` page by page. */
  async function allPages(search: ProductSearch): Promise<string[]> {
    const ids: string[] = [];
    let page = await index.search(search);
    ids.push(...idsOf(page));
    while (page.next) {
      expect(page.hits).toHaveLength(search.limit);
      page = await index.search({ ...search, after: page.next });
      ids.push(...idsOf(page));
    }
    return ids;
  }

  beforeAll(async () => {
    subject = await start();
    index = subject.index;
  });

  afterAll(async () => {
    await subject?.close();
  });

  // First: the index is still empty.
  it('finds nothing in an empty index, with zero facets', async () => {
    const page = await index.search(query({ facets: true }));
    expect(page).toEqual({ hits: [], next: null, facets: { total: 0, categories: [], priceBuckets: [] } });
  });

  it('returns a document as put, replaces it, and removes it', async () => {
    const word = uniqueWord();
    const original = doc({ name: `${word} mug` });
    await put(original);
    expect((await index.search(query({ q: matching(word) }))).hits).toEqual([original]);

    const replaced = { ...original, name: `${word} cup`, price: { amount: 1800, currency: 'EUR' }, version: 2 };
    await put(replaced);
    expect((await index.search(query({ q: matching(word) }))).hits).toEqual([replaced]);

    await remove(original.productId);
    expect((await index.search(query({ q: matching(word) }))).hits).toEqual([]);
    await remove(original.productId);
  });

  it('keeps the newer document when an older version arrives late, and takes a repeated one calmly', async () => {
    const word = uniqueWord();
    const newer = doc({ name: `${word} newer`, version: 3 });
    await put(newer);
    await put(newer);
    await put({ ...newer, name: `${word} older`, version: 2 });
    expect((await index.search(query({ q: matching(word) }))).hits).toEqual([newer]);
  });

  it('matches every word in the name or the description, and ranks a name match first', async () => {
    const [word, other] = [uniqueWord(), uniqueWord()];
    const inDescription = doc({ name: 'Travel mug', description: `Keeps ${word} coffee hot, ${other} lid` });
    const inName = doc({ name: `${word} mug`, description: `Comes with a ${other} lid` });
    const oneWordOnly = doc({ name: `${word} flask` });
    await put(inDescription, inName, oneWordOnly);

    expect(idsOf(await index.search(query({ q: matching(`${word} ${other}`) })))).toEqual([
      inName.productId,
      inDescription.productId,
    ]);
    expect(idsOf(await index.search(query({ q: matching(word) })))).toHaveLength(3);
  });

  it('matches a word by its prefix', async () => {
    const word = uniqueWord();
    const product = doc({ name: `Slim ${word}laptop 14` });
    await put(product);
    expect(idsOf(await index.search(query({ q: matching(`${word}lapt`) })))).toEqual([product.productId]);
    expect(idsOf(await index.search(query({ q: matching(word.slice(0, 6)) })))).toContain(product.productId);
  });

  it('matches a name with a one-letter typo where the adapter tolerates typos', async () => {
    const word = uniqueWord();
    const product = doc({ name: `Zen ${word} lamp` });
    await put(product);
    const typo = word.slice(0, 5) + word.slice(6);
    expect(idsOf(await index.search(query({ q: matching(typo) })))).toEqual(subject.matchesTypos ? [product.productId] : []);
  });

  it('tolerates a typo again once no document holds a word it is the prefix of', async () => {
    const word = uniqueWord();
    const product = doc({ name: `Zen ${word} lamp` });
    const typo = word.slice(0, 5) + word.slice(6);
    const decoy = doc({ name: `${typo}zz kettle` });
    await put(product, decoy);
    // The typo is now a prefix of an indexed word, so it matches that word.
    expect(idsOf(await index.search(query({ q: matching(typo) })))).toContain(decoy.productId);

    await remove(decoy.productId);
    expect(idsOf(await index.search(query({ q: matching(typo) })))).toEqual(subject.matchesTypos ? [product.productId] : []);

    const renamed = doc({ name: `${typo}zz kettle` });
    await put(renamed);
    await put({ ...renamed, name: 'Plain kettle', version: 2 });
    expect(idsOf(await index.search(query({ q: matching(typo) })))).toEqual(subject.matchesTypos ? [product.productId] : []);
  });

  it('filters by exact category and by an inclusive price range', async () => {
    const [category, word] = [`cat-${newId()}`, uniqueWord()];
    const [below, atMin, atMax, above] = [999, 1000, 2000, 2001].map((amount) =>
      doc({ name: `${word} mug`, category, price: { amount, currency: 'EUR' } }),
    );
    const elsewhere = doc({ name: `${word} mug`, category: `${category}-other` });
    await put(below, atMin, atMax, above, elsewhere);

    expect(idsOf(await index.search(query({ category })))).toHaveLength(4);
    expect(idsOf(await index.search(query({ q: matching(word), category, minPrice: 1000, maxPrice: 2000 }))).sort()).toEqual(
      [atMin.productId, atMax.productId].sort(),
    );
    expect(idsOf(await index.search(query({ category, minPrice: 2000 }))).sort()).toEqual(
      [atMax.productId, above.productId].sort(),
    );
    expect(idsOf(await index.search(query({ category, maxPrice: 999 })))).toEqual([below.productId]);
  });

  describe('pages every sort by cursor, each document exactly once, in order', () => {
    const word = uniqueWord();
    const category = `cat-${newId()}`;
    const documents: SearchDocument[] = [];

    beforeAll(async () => {
      const sameInstant = new Date(created + 500);
      // Ties in every sort key, so the id tie-breaker decides across page boundaries.
      for (let i = 0; i < 11; i++) {
        documents.push(
          doc({
            name: i % 3 === 0 ? `${word} ${word} mug` : `Mug ${i}`,
            description: i % 3 === 0 ? 'Stoneware' : `The ${word} mug, number ${i}`,
            category,
            price: { amount: [1500, 999, 25_000][i % 3], currency: 'EUR' },
            popularity: i % 4,
            ...(i % 5 === 0 && { createdAt: sameInstant }),
          }),
        );
      }
      await put(...documents);
    });

    it.each(SEARCH_SORTS.filter((s) => s !== 'relevance'))('%s', async (sort) => {
      expect(await allPages(query({ category, sort, limit: 2 }))).toEqual(expectedOrder(documents, sort));
      expect(await allPages(query({ q: matching(word), category, sort, limit: 3 }))).toEqual(expectedOrder(documents, sort));
    });

    it('relevance', async () => {
      const ranked = idsOf(await index.search(query({ q: matching(word), category })));
      expect(ranked.slice(0, 4).sort()).toEqual(
        documents.filter((_, i) => i % 3 === 0).map((d) => d.productId).sort(),
      );
      for (const limit of [1, 2, 5]) {
        expect(await allPages(query({ q: matching(word), category, limit }))).toEqual(ranked);
      }
    });
  });

  it('counts the whole filtered result by category and price bucket, whatever the page', async () => {
    const word = uniqueWord();
    const [tea, bags] = [`tea-${newId()}`, `bags-${newId()}`];
    const documents = [
      doc({ name: `${word} cup`, category: tea, price: { amount: 0, currency: 'EUR' } }),
      doc({ name: `${word} cup`, category: tea, price: { amount: 999, currency: 'EUR' } }),
      doc({ name: `${word} pot`, category: tea, price: { amount: 2500, currency: 'EUR' } }),
      doc({ name: `${word} tote`, category: bags, price: { amount: 2499, currency: 'EUR' } }),
      doc({ name: `${word} trunk`, category: bags, price: { amount: 300_000, currency: 'EUR' } }),
    ];
    await put(...documents);

    const first = await index.search(query({ q: matching(word), facets: true, limit: 2 }));
    const facets = {
      total: 5,
      categories: [
        { value: tea, count: 3 },
        { value: bags, count: 2 },
      ],
      priceBuckets: [
        { from: 0, to: 1000, count: 2 },
        { from: 1000, to: 2500, count: 1 },
        { from: 2500, to: 5000, count: 1 },
        { from: 250_000, to: null, count: 1 },
      ],
    };
    expect(first.facets).toEqual(facets);
    expect((await index.search(query({ q: matching(word), facets: true, limit: 2, after: first.next! }))).facets).toEqual(facets);
    expect(PRICE_BUCKET_BOUNDS[PRICE_BUCKET_BOUNDS.length - 1]).toBe(250_000);

    const bagsOnly = await index.search(query({ q: matching(word), category: bags, facets: true }));
    expect(bagsOnly.facets?.total).toBe(2);
    expect(bagsOnly.facets?.categories).toEqual([{ value: bags, count: 2 }]);
    expect((await index.search(query({ q: matching(word) }))).facets).toBeUndefined();
  });

  it('rebuilds to what the write model holds while search keeps answering, keeping changes indexed meanwhile', async () => {
    const word = uniqueWord();
    const kept = doc({ name: `${word} kept` });
    const archived = doc({ name: `${word} archived` });
    const changedMeanwhile = doc({ name: `${word} changed` });
    const restored = doc({ name: `${word} restored`, version: 2 });
    // The index holds a later version than the write model, as after restoring the write model from a backup.
    await put(kept, archived, changedMeanwhile, { ...restored, name: `${word} lost`, version: 7 });

    const rebuild = await index.beginRebuild();
    await subject.transaction(async (tx) => {
      await rebuild.put(tx, [kept, changedMeanwhile, restored]);
      await rebuild.remove(tx, [archived.productId]);
    });
    expect(idsOf(await index.search(query({ q: matching(word) })))).toContain(kept.productId);
    const changed = { ...changedMeanwhile, name: `${word} changed again`, version: 2 };
    const createdMeanwhile = doc({ name: `${word} new` });
    await put(changed, createdMeanwhile);
    await rebuild.finish();

    expect((await index.search(query({ q: matching(word), sort: 'oldest' }))).hits).toEqual([
      kept,
      changed,
      restored,
      createdMeanwhile,
    ]);
  });

  it('keeps searching the index it had when a rebuild is abandoned, with the changes made meanwhile', async () => {
    const word = uniqueWord();
    const before = doc({ name: `${word} before` });
    await put(before);

    const rebuild = await index.beginRebuild();
    await subject.transaction((tx) => rebuild.put(tx, [before]));
    const meanwhile = doc({ name: `${word} meanwhile` });
    await put(meanwhile);
    await rebuild.abandon();

    expect((await index.search(query({ q: matching(word), sort: 'oldest' }))).hits).toEqual([before, meanwhile]);
    // A later rebuild starts afresh.
    const again = await index.beginRebuild();
    await subject.transaction((tx) => again.put(tx, [before, meanwhile]));
    await again.finish();
    expect((await index.search(query({ q: matching(word), sort: 'oldest' }))).hits).toEqual([before, meanwhile]);
  });
}
