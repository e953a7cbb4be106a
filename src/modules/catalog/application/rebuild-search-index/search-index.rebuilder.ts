import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../../../libs/messaging';
import { RebuildsReadModel, ReadModelRebuilder } from '../../../../../libs/persistence';
import { Progress } from '../../../../../libs/progress';
import { CatalogCache } from '../catalog-cache';
import { searchDocumentOf } from '../index-product/search-document';
import { ProductSearchIndex, SearchIndexRebuild } from '../ports/product-search-index';
import { ProductStore } from '../ports/product-store';

const PAGE = 1000;

/**
 * `npm run catalog:reindex` (part of `npm run replay`): walks the write model in id order and
 * writes every product's current state into a rebuild of the search index, a page per
 * transaction, so search keeps answering meanwhile. Each page is read under the products' row
 * locks, which orders it with their changes and their indexing.
 */
@Injectable()
@RebuildsReadModel()
export class SearchIndexRebuilder implements ReadModelRebuilder {
  readonly name = 'catalog.product_search';

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductStore,
    private readonly index: ProductSearchIndex,
    private readonly cache: CatalogCache,
  ) {}

  async rebuild(progress: Progress): Promise<{ rebuilt: number }> {
    const counts = await this.products.countByIndexingStatus();
    progress.start(this.name, counts.pending + counts.indexed + counts.failed);
    const rebuild = await this.index.beginRebuild();
    let rebuilt: number;
    try {
      rebuilt = await this.load(rebuild, progress);
      await rebuild.finish();
    } catch (error) {
      await rebuild.abandon();
      throw error;
    }
    // Cached pages (and, through Redis, those of running instances) may show the old index.
    await this.cache.searchChanged();
    return { rebuilt };
  }

  private async load(rebuild: SearchIndexRebuild, progress: Progress): Promise<number> {
    let rebuilt = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.unitOfWork.run(async (tx) => {
        const products = await this.products.lockPage(tx, after, PAGE);
        await rebuild.put(tx, products.filter((p) => p.status === 'active').map(searchDocumentOf));
        await rebuild.remove(
          tx,
          products.filter((p) => p.status !== 'active').map((p) => p.id),
        );
        await this.products.markIndexed(tx, products.map(({ id, version }) => ({ id, version })));
        return products;
      });
      rebuilt += page.length;
      progress.update(rebuilt);
      // An in-place rebuild shows each page at once.
      await this.cache.searchChanged();
      if (page.length < PAGE) return rebuilt;
      after = page[page.length - 1].id;
    }
  }
}
