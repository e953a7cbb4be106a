import { MigrationInterface, QueryRunner } from 'typeorm';
import { CatalogSearchWords1767000000800 } from './1767000000800-catalog-search-words';

/**
 * `catalog.product_search_word` goes: search reads the distinct words of a prefix, and whether a
 * word prefixes any, from `product_search_term`'s index (one btree probe per word), which holds
 * every word of the documents already. Counting the words at each commit under one lock made every
 * writer of the index wait for the others: indexing through events spent most of its time there.
 */
export class CatalogSearchWordsFromTerms1767000003800 implements MigrationInterface {
  name = 'CatalogSearchWordsFromTerms1767000003800';

  /** What migration 0800 made, undone; undoing this puts it back. */
  async up(q: QueryRunner): Promise<void> {
    await new CatalogSearchWords1767000000800().down(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await new CatalogSearchWords1767000000800().up(q);
  }
}
