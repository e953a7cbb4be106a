import { types } from 'node:util';
import { ProductCreatedV1, ProductUpdatedV1 } from '../../../libs/contracts/catalog';
import { Envelope, UnitOfWork } from '../../../libs/messaging';
import { newId } from '../../../libs/persistence';
import { ProductStore, ProductWriter } from '../../../src/modules/catalog/application/ports/product-store';
import { ProductSearch } from '../../../src/modules/catalog/application/ports/product-search-index';
import { snapshotOf } from '../../../src/modules/catalog/application/product-snapshot';
import { ProductView } from '../../../src/modules/catalog/application/product.view';
import { NewProductDetails, Product } from '../../../src/modules/catalog/domain/product';
import { DuplicateSkuError, ProductVersionMismatchError } from '../../../src/modules/catalog/domain/product.errors';
import { sql } from '../../support/shop';
import { TestApp } from '../../support/test-app';
import { uniqueWord } from '../catalog-fixtures';

/** A running application whose ProductStore is the adapter under test. */
export interface StoreUnderTest {
  app: TestApp;
  close(): Promise<void>;
}

function details(overrides: Partial<NewProductDetails> = {}): NewProductDetails {
  return {
    sku: `SKU-${newId()}`,
    name: 'Contract mug',
    description: 'Stoneware, 300 ml',
    category: 'kitchen',
    price: { amount: 1200, currency: 'EUR' },
    ...overrides,
  };
}

function newProduct(overrides: Partial<NewProductDetails> = {}): Product {
  return Product.create(newId(), details(overrides));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function outboxOf(app: TestApp, aggregateId: string): Promise<Envelope[]> {
  const rows = await sql<{ envelope: Envelope }>(
    app,
    'SELECT envelope FROM messaging.outbox WHERE aggregate_id = $1 ORDER BY seq',
    [aggregateId],
  );
  return rows.map((row) => row.envelope);
}

function search(overrides: Partial<ProductSearch>): ProductSearch {
  return { sort: 'newest', limit: 20, facets: false, ...overrides };
}

/**
 * The behaviour every ProductStore adapter must have. `start` runs the application with the
 * adapter; products made here publish nothing unless a test is about publishing, so the
 * catalog's own indexer leaves them alone.
 */
export function productStoreContract(start: () => Promise<StoreUnderTest>): void {
  let subject: StoreUnderTest;
  let store: ProductStore;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    subject = await start();
    store = subject.app.nest.get(ProductStore, { strict: false });
    unitOfWork = subject.app.nest.get(UnitOfWork, { strict: false });
  });

  afterAll(async () => {
    await subject?.close();
  });

  const write = <T>(work: (products: ProductWriter) => Promise<T>): Promise<T> => store.transaction(work);
  const create = (product: Product): Promise<ProductView> => write((products) => products.create(product));

  describe('create and get', () => {
    it('stores a new product at version 1, pending indexing, and reads it back', async () => {
      const product = newProduct({ popularity: 7, attributes: { colour: 'blue', litres: 0.3, dishwasher: true } });
      const created = await create(product);
      expect(created).toMatchObject({
        ...product.toState(),
        version: 1,
        status: 'active',
        indexing: { status: 'pending', indexedAt: null, error: null },
      });
      // A Date of whichever realm made it: the embedded database's rows come from its own thread, not Jest's sandbox.
      expect(types.isDate(created.createdAt)).toBe(true);
      expect(await store.get(product.id)).toEqual(created);
      expect(await store.get(newId())).toBeUndefined();
      expect(await store.isEmpty()).toBe(false);
    });

    it('answers reads asked for together each with its own product, and an unknown id with none', async () => {
      const created = await write((products) => products.createMany([newProduct(), newProduct(), newProduct()]));
      const unknown = newId();
      const ids = [created[2].id, unknown, created[0].id, created[1].id, created[0].id];
      const read = await Promise.all(ids.map((id) => store.get(id)));
      expect(read).toEqual([created[2], undefined, created[0], created[1], created[0]]);
    });

    it('refuses a taken sku, and a taken id', async () => {
      const first = await create(newProduct());
      const sameSku = newProduct({ sku: first.sku });
      expect(await rejection(create(sameSku))).toEqual(new DuplicateSkuError([first.sku]));
      const sameId = Product.create(first.id, details());
      expect(await rejection(create(sameId))).toEqual(new DuplicateSkuError([sameId.toState().sku]));
      expect(await store.get(sameSku.id)).toBeUndefined();
    });

    it('creates many in input order', async () => {
      const batch = [newProduct(), newProduct(), newProduct()];
      const created = await write((products) => products.createMany(batch));
      expect(created.map((p) => p.id)).toEqual(batch.map((p) => p.id));
      for (const product of batch) expect((await store.get(product.id))?.sku).toBe(product.toState().sku);
    });

    it('creates none of a batch holding taken skus, naming every one of them', async () => {
      const [a, b] = [await create(newProduct()), await create(newProduct())];
      const batch = [newProduct(), newProduct({ sku: a.sku }), newProduct(), newProduct({ sku: b.sku })];
      const error = (await rejection(write((products) => products.createMany(batch)))) as DuplicateSkuError;
      expect(error).toBeInstanceOf(DuplicateSkuError);
      expect([...error.skus].sort()).toEqual([a.sku, b.sku].sort());
      for (const product of batch) expect(await store.get(product.id)).toBeUndefined();
    });

    it('rolls back every write of a unit of work that fails', async () => {
      const product = newProduct();
      const failure = new Error('the handler failed after writing');
      const error = await rejection(
        write(async (products) => {
          await products.create(product);
          throw failure;
        }),
      );
      expect(error).toBe(failure);
      expect(await store.get(product.id)).toBeUndefined();
    });
  });

  describe('update', () => {
    it('writes a change at the expected version, as the next version, pending indexing again', async () => {
      const created = await create(newProduct());
      await unitOfWork.run((tx) => store.markIndexed(tx, [{ id: created.id, version: 1 }]));
      const updated = await write(async (products) => {
        const current = await products.lock(created.id);
        const product = Product.restore(current as ProductView);
        product.change({ name: 'Renamed mug', price: { amount: 1500, currency: 'EUR' }, attributes: { glaze: 'matte' } });
        return products.update(product, current!.version);
      });
      expect(updated).toMatchObject({
        id: created.id,
        name: 'Renamed mug',
        price: { amount: 1500, currency: 'EUR' },
        attributes: { glaze: 'matte' },
        version: 2,
        indexing: { status: 'pending', error: null },
      });
      expect(updated.createdAt).toEqual(created.createdAt);
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
      expect(await store.get(created.id)).toEqual(updated);
    });

    it('refuses a write at a version the product has left', async () => {
      const created = await create(newProduct());
      const product = Product.restore(created);
      product.change({ name: 'First edit' });
      await write((products) => products.update(product, 1));
      const stale = Product.restore(created);
      stale.change({ name: 'Edit of an old read' });
      const error = await rejection(write((products) => products.update(stale, 1)));
      expect(error).toEqual(new ProductVersionMismatchError(created.id, 1, 2));
      expect((await store.get(created.id))?.name).toBe('First edit');
    });

    it('refuses to take the sku of another product', async () => {
      const [a, b] = [await create(newProduct()), await create(newProduct())];
      const product = Product.restore(b);
      product.change({ sku: a.sku });
      expect(await rejection(write((products) => products.update(product, b.version)))).toEqual(
        new DuplicateSkuError([a.sku]),
      );
      expect((await store.get(b.id))?.sku).toBe(b.sku);
    });

    it('archives: the product stays readable, archived, at the next version', async () => {
      const created = await create(newProduct());
      const product = Product.restore(created);
      product.archive();
      await write((products) => products.update(product, created.version));
      expect(await store.get(created.id)).toMatchObject({ status: 'archived', version: 2 });
    });

    it('lets concurrent changes of one product that lock it apply one after the other', async () => {
      const created = await create(newProduct({ popularity: 0 }));
      const increment = (): Promise<ProductView> =>
        write(async (products) => {
          const current = (await products.lock(created.id)) as ProductView;
          const product = Product.restore(current);
          product.change({ popularity: current.popularity + 1 });
          return products.update(product, current.version);
        });
      await Promise.all([increment(), increment(), increment()]);
      expect(await store.get(created.id)).toMatchObject({ popularity: 3, version: 4 });
      expect(await write((products) => products.lock(newId()))).toBeUndefined();
    });
  });

  describe('indexing status', () => {
    it('marks a product indexed only while it is still at the indexed version', async () => {
      const created = await create(newProduct());
      const product = Product.restore(created);
      product.change({ name: 'Changed before indexing finished' });
      await write((products) => products.update(product, 1));

      await unitOfWork.run((tx) => store.markIndexed(tx, [{ id: created.id, version: 1 }]));
      expect((await store.get(created.id))?.indexing).toEqual({ status: 'pending', indexedAt: null, error: null });

      await unitOfWork.run((tx) => store.markIndexed(tx, [{ id: created.id, version: 2 }]));
      const { indexing } = (await store.get(created.id)) as ProductView;
      expect(indexing).toMatchObject({ status: 'indexed', error: null });
      expect(types.isDate(indexing.indexedAt)).toBe(true);
    });

    it('marks a failure with its reason, unless the product got indexed meanwhile', async () => {
      const [failing, indexed] = [await create(newProduct()), await create(newProduct())];
      await unitOfWork.run((tx) => store.markIndexed(tx, [{ id: indexed.id, version: 1 }]));
      await store.markIndexingFailed(failing.id, 'index unreachable');
      await store.markIndexingFailed(indexed.id, 'a late failure');
      expect((await store.get(failing.id))?.indexing).toEqual({ status: 'failed', indexedAt: null, error: 'index unreachable' });
      expect((await store.get(indexed.id))?.indexing).toMatchObject({ status: 'indexed', error: null });
    });

    it('counts products by indexing status, and those not indexed alone', async () => {
      const before = await store.countByIndexingStatus();
      const [indexed, failed] = [await create(newProduct()), await create(newProduct()), await create(newProduct())];
      await unitOfWork.run((tx) => store.markIndexed(tx, [{ id: indexed.id, version: 1 }]));
      await store.markIndexingFailed(failed.id, 'broken');
      expect(await store.countByIndexingStatus()).toEqual({
        pending: before.pending + 1,
        indexed: before.indexed + 1,
        failed: before.failed + 1,
      });
      expect(await store.countUnindexed()).toEqual({ pending: before.pending + 1, failed: before.failed + 1 });
    });

    it('holds a product locked for indexing against changes until that unit of work ends', async () => {
      const created = await create(newProduct());
      const order: string[] = [];
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const indexing = unitOfWork.run(async (tx) => {
        expect((await store.lockMany(tx, [created.id, newId()])).map((p) => p.version)).toEqual([1]);
        locked();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await store.markIndexed(tx, [{ id: created.id, version: 1 }]);
        order.push('indexed v1');
      });
      await lockTaken;
      const change = write(async (products) => {
        const current = (await products.lock(created.id)) as ProductView;
        const product = Product.restore(current);
        product.change({ name: 'Changed after indexing' });
        const updated = await products.update(product, current.version);
        order.push('changed');
        return updated;
      });
      await Promise.all([indexing, change]);
      expect(order).toEqual(['indexed v1', 'changed']);
      expect((await store.get(created.id))?.indexing.status).toBe('pending');
    });
  });

  describe('reindex pages', () => {
    it('walks every product once, in id order, a page at a time', async () => {
      const ours = new Set((await write((products) => products.createMany([newProduct(), newProduct(), newProduct()]))).map((p) => p.id));
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await unitOfWork.run((tx) => store.lockPage(tx, after, 2));
        expect(page.length).toBeLessThanOrEqual(2);
        seen.push(...page.map((p) => p.id));
        if (page.length < 2) break;
        after = page[page.length - 1].id;
      }
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of ours) expect(seen).toContain(id);
    });
  });

  describe('scan for degraded search', () => {
    it('finds active products having every word, within category and price range, newest first', async () => {
      const word = uniqueWord();
      const other = uniqueWord();
      const category = `scan-${uniqueWord()}`;
      const inRange = async (name: string, description: string, amount: number): Promise<ProductView> =>
        create(newProduct({ name, description, category, price: { amount, currency: 'EUR' } }));
      const cheapest = await inRange(`${word} bowl`, `goes with ${other}`, 1000);
      const byDescription = await inRange('Plain bowl', `a ${word.toUpperCase()} ${other} bowl`, 2000);
      const dearest = await inRange(`${other} ${word} plate`, '', 3000);
      await inRange(`${word} only`, '', 2000);
      await inRange(`${word} ${other} too dear`, '', 3001);
      await create(newProduct({ name: `${word} ${other} elsewhere`, category: `${category}-other` }));
      const archived = await inRange(`${word} ${other} archived`, '', 2000);
      const gone = Product.restore(archived);
      gone.archive();
      await write((products) => products.update(gone, archived.version));

      const q = { text: `${word} ${other}`, words: [word, other] };
      const found = await store.scanForSearch(search({ q, category, minPrice: 1000, maxPrice: 3000 }));
      expect(found.map((p) => p.id)).toEqual([dearest.id, byDescription.id, cheapest.id]);

      const firstPage = await store.scanForSearch(search({ q, category, minPrice: 1000, maxPrice: 3000, limit: 2 }));
      expect(firstPage.map((p) => p.id)).toEqual([dearest.id, byDescription.id]);
      const withoutWords = await store.scanForSearch(search({ category, minPrice: 2000, maxPrice: 2000 }));
      expect(withoutWords.map((p) => p.name).sort()).toEqual(['Plain bowl', `${word} only`]);
    });

    it('takes the words literally, not as patterns', async () => {
      const word = uniqueWord();
      const category = `scan-${uniqueWord()}`;
      await create(newProduct({ name: `${word} 100 percent`, category }));
      const q = { text: `${word}.*`, words: [`${word}.*`] };
      expect(await store.scanForSearch(search({ q, category }))).toEqual([]);
      const percent = { text: '%', words: ['%'] };
      expect(await store.scanForSearch(search({ q: percent, category }))).toEqual([]);
    });
  });

  describe('events', () => {
    it('puts the events published with a change into the messaging outbox, and none of a failed one', async () => {
      const taken = await create(newProduct());
      const refused = newProduct({ sku: taken.sku });
      await rejection(
        write(async (products) => {
          products.publish(new ProductCreatedV1(snapshotOf({ ...taken, id: refused.id })), refused.id);
          await products.create(refused);
        }),
      );

      const product = newProduct();
      const created = await write(async (products) => {
        const view = await products.create(product);
        products.publish(new ProductCreatedV1(snapshotOf(view)), view.id);
        return view;
      });
      const changed = Product.restore(created);
      changed.change({ name: 'Announced change' });
      const updated = await write(async (products) => {
        const view = await products.update(changed, created.version);
        products.publish(new ProductUpdatedV1(snapshotOf(view)), view.id);
        return view;
      });

      const envelopes = await subject.app.eventually(async () => {
        const found = await outboxOf(subject.app, product.id);
        expect(found).toHaveLength(2);
        return found;
      });
      expect(envelopes).toEqual([
        expect.objectContaining({ type: 'catalog.product.created', version: 1, aggregateId: product.id, payload: snapshotOf(created) }),
        expect.objectContaining({ type: 'catalog.product.updated', version: 1, aggregateId: product.id, payload: snapshotOf(updated) }),
      ]);
      // Outbox rows are written in commit order, so the refused product's row would be there by now.
      expect(await outboxOf(subject.app, refused.id)).toEqual([]);
      // The catalog's own indexer consumes them: delivery works from this store's outbox.
      await subject.app.eventually(async () => {
        expect((await store.get(product.id))?.indexing).toMatchObject({ status: 'indexed' });
      }, 30_000);
    });
  });
}
