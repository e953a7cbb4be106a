import { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe, InvalidInputException } from '../../../../libs/http';
import { encodeSearchCursor } from './search-cursor';
import { productSearchOf, SearchProductsRequest, searchWordsOf } from './search-products.request';

const ID = '0190c000-0000-7000-8000-000000000001';
const QUERY: ArgumentMetadata = { type: 'query', metatype: SearchProductsRequest };

/** Parses a query string the way the controller receives it: validation pipe, then cross-field rules. */
async function parse(query: Record<string, string>) {
  const request = (await createValidationPipe().transform(query, QUERY)) as SearchProductsRequest;
  return productSearchOf(request);
}

async function fieldsRejected(query: Record<string, string>): Promise<string[]> {
  try {
    await parse(query);
  } catch (error) {
    if (error instanceof InvalidInputException) return error.errors.map((e) => e.field);
    throw error;
  }
  return [];
}

describe('search query parsing', () => {
  it('defaults to the newest 20 without q, no filters, no facets', async () => {
    expect(await parse({})).toEqual({ sort: 'newest', limit: 20, after: undefined, facets: false });
  });

  it('defaults to relevance with q, and turns q into prefix words', async () => {
    expect(await parse({ q: '  Lapt Pro-14  ' })).toMatchObject({
      q: { text: 'Lapt Pro-14', words: ['lapt', 'pro', '14'] },
      sort: 'relevance',
    });
  });

  it('reads every parameter', async () => {
    const cursor = encodeSearchCursor('price_desc', { key: '5000', id: ID });
    expect(
      await parse({
        q: 'tee',
        category: 'apparel',
        minPrice: '1000',
        maxPrice: '5000',
        sort: 'price_desc',
        limit: '100',
        cursor,
        facets: 'true',
      }),
    ).toEqual({
      q: { text: 'tee', words: ['tee'] },
      category: 'apparel',
      minPrice: 1000,
      maxPrice: 5000,
      sort: 'price_desc',
      limit: 100,
      after: { key: '5000', id: ID },
      facets: true,
    });
  });

  it('accepts equal bounds and a lone bound', async () => {
    expect(await parse({ minPrice: '500', maxPrice: '500' })).toMatchObject({ minPrice: 500, maxPrice: 500 });
    expect(await parse({ maxPrice: '0' })).toMatchObject({ maxPrice: 0 });
  });

  it.each<[string, Record<string, string>, string]>([
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['limit 10000', { limit: '10000' }, 'limit'],
    ['a fractional limit', { limit: '2.5' }, 'limit'],
    ['an unknown sort', { sort: 'cheapest' }, 'sort'],
    ['relevance without q', { sort: 'relevance' }, 'sort'],
    ['minPrice above maxPrice', { minPrice: '5000', maxPrice: '4999' }, 'minPrice'],
    ['a negative minPrice', { minPrice: '-1' }, 'minPrice'],
    ['a price that is not a number', { maxPrice: 'cheap' }, 'maxPrice'],
    ['q without letters or digits', { q: '?!-' }, 'q'],
    ['an empty q', { q: '' }, 'q'],
    ['facets that is not a boolean', { facets: 'yes' }, 'facets'],
    ['an unknown parameter', { color: 'red' }, 'color'],
    ['a cursor of another sort', { sort: 'newest', cursor: encodeSearchCursor('oldest', { key: '2026-01-01T00:00:00.000000Z', id: ID }) }, 'cursor'],
  ])('refuses %s, naming the parameter', async (_, query, field) => {
    expect(await fieldsRejected(query)).toContain(field);
  });

  it('names every parameter at fault at once', async () => {
    expect(await fieldsRejected({ sort: 'relevance', minPrice: '9', maxPrice: '1' })).toEqual(['minPrice', 'sort']);
  });
});

describe(searchWordsOf.name, () => {
  it.each<[string, string[]]>([
    ['laptop', ['laptop']],
    ['T-Shirt, black!', ['t', 'shirt', 'black']],
    ["lapt:* | !x & 'y'", ['lapt', 'x', 'y']],
    ['Größe Café ＴＥＥ', ['größe', 'café', 'tee']],
    ['   ', []],
  ])('%j → %j', (text, words) => {
    expect(searchWordsOf(text)).toEqual(words);
  });
});
