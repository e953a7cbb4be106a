import { Client } from '@elastic/elasticsearch';
import { UnitOfWork } from '../../../libs/messaging';
import { newId } from '../../../libs/persistence';
import { ProductSearchIndex } from '../../../src/modules/catalog/application/ports/product-search-index';
import { ElasticsearchProductSearchIndex } from '../../../src/modules/catalog/infrastructure/elasticsearch-product-search.index';
import { startTestApp } from '../../support/test-app';
import { productSearchIndexContract } from './product-search-index.contract';

const url = process.env.ELASTICSEARCH_URL;
if (!url) {
  process.stdout.write('Elasticsearch search index contract suite skipped: ELASTICSEARCH_URL is not set\n');
}
const describeOnElasticsearch = url ? describe : describe.skip;

/** Deletes every index the run created (wildcard deletes may be refused by the cluster, names are not). */
async function deleteIndices(prefix: string): Promise<void> {
  const client = new Client({ node: url });
  try {
    const names = Object.keys(await client.indices.get({ index: `${prefix}-products-*`, allow_no_indices: true }));
    if (names.length > 0) await client.indices.delete({ index: names });
  } finally {
    await client.close();
  }
}

describeOnElasticsearch(`${ElasticsearchProductSearchIndex.name}${url ? '' : ' (skipped: ELASTICSEARCH_URL is not set)'}`, () => {
  productSearchIndexContract(async () => {
    // One shard, so relevance does not depend on how documents happen to spread over shards.
    const prefix = `test-${newId()}`;
    const app = await startTestApp({
      ELASTICSEARCH_URL: url as string,
      ELASTICSEARCH_INDEX_PREFIX: prefix,
      ELASTICSEARCH_SHARDS: '1',
      ELASTICSEARCH_REPLICAS: '0',
    });
    const index = app.nest.get(ProductSearchIndex);
    expect(index).toBeInstanceOf(ElasticsearchProductSearchIndex);
    const unitOfWork = app.nest.get(UnitOfWork);
    return {
      index,
      transaction: (work) => unitOfWork.run(work),
      matchesTypos: true,
      close: async () => {
        await app.close();
        await deleteIndices(prefix);
      },
    };
  });
});
