import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../../../libs/messaging';
import { RebuildsReadModel, ReadModelRebuilder } from '../../../../../libs/persistence';
import { CatalogCache } from '../catalog-cache';
import { searchDocumentOf } from '../index-product/search-document';
import { ProductSearchIndex } from '../ports/product-search-index';
import { ProductStore } from '../ports/product-store';

const PAGE = 1000;

/**
 * `npm run catalog:reindex` (part of `npm run replay`): walks the write model in id order and
 * writes every product's current state to the search index, a page per transaction, so search
 * keeps answering meanwhile. Products are never deleted, so every index entry is overwritten
 * or removed on the way.
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

  async rebuild(): Promise<{ rebuilt: number }> {
    let rebuilt = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.unitOfWork.run(async (tx) => {
        const products = await this.products.lockPage(tx, after, PAGE);
        await this.index.put(tx, products.filter((p) => p.status === 'active').map(searchDocumentOf));
        await this.index.remove(
          tx,
          products.filter((p) => p.status !== 'active').map((p) => p.id),
        );
        await this.products.markIndexed(tx, products.map(({ id, version }) => ({ id, version })));
        return products;
      });
      rebuilt += page.length;
      // Cached pages (and, through Redis, those of running instances) may show the old index.
      await this.cache.searchChanged();
      if (page.length < PAGE) return { rebuilt };
      after = page[page.length - 1].id;
    }
  }
}
