import { InvalidInputException } from '../../../../libs/http';
import { SearchSort } from '../application/ports/product-search-index';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';

const ID = '0190c000-0000-7000-8000-000000000001';

function forged(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputException) return error.errors.map((e) => e.field);
    throw error;
  }
  return [];
}

describe('search cursors', () => {
  it.each<[SearchSort, string]>([
    ['relevance', '0.0607927'],
    ['relevance', '1e-20'],
    ['popularity', '0'],
    ['price_asc', '1999'],
    ['price_desc', '1000000000000'],
    ['newest', '2026-01-31T23:59:59.123456Z'],
    ['oldest', '2024-02-29T00:00:00.000001Z'],
  ])('round-trips a %s position with key %s', (sort, key) => {
    const cursor = encodeSearchCursor(sort, { key, id: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSearchCursor(cursor, sort)).toEqual({ key, id: ID });
  });

  it('means the first page when absent', () => {
    expect(decodeSearchCursor(undefined, 'newest')).toBeUndefined();
  });

  it('refuses a cursor issued for another sort', () => {
    const cursor = encodeSearchCursor('price_asc', { key: '1999', id: ID });
    expect(() => decodeSearchCursor(cursor, 'price_desc')).toThrow('cursor: belongs to sort=price_asc, not sort=price_desc');
  });

  it.each<[string, string, SearchSort]>([
    ['garbage', 'not-a-cursor', 'newest'],
    ['the old id-only cursor', forged({ id: ID }), 'newest'],
    ['an unknown sort', forged({ s: 'cheapest', k: '1', id: ID }), 'newest'],
    ['an id that is not a UUID', forged({ s: 'price_asc', k: '1', id: 'x' }), 'price_asc'],
    ['a numeric key', forged({ s: 'price_asc', k: 1999, id: ID }), 'price_asc'],
    ['a negative price', forged({ s: 'price_asc', k: '-1', id: ID }), 'price_asc'],
    ['SQL in the key', forged({ s: 'price_asc', k: '1; DROP TABLE x', id: ID }), 'price_asc'],
    ['a popularity beyond int', forged({ s: 'popularity', k: '2147483648', id: ID }), 'popularity'],
    ['a price of 17 digits', forged({ s: 'price_desc', k: '12345678901234567', id: ID }), 'price_desc'],
    ['a rank that is not a number', forged({ s: 'relevance', k: 'NaN', id: ID }), 'relevance'],
    ['a timestamp in milliseconds', forged({ s: 'newest', k: '2026-01-31T23:59:59.123Z', id: ID }), 'newest'],
    ['a date that does not exist', forged({ s: 'newest', k: '2026-02-30T00:00:00.000000Z', id: ID }), 'newest'],
    ['a month 13', forged({ s: 'oldest', k: '2026-13-01T00:00:00.000000Z', id: ID }), 'oldest'],
  ])('refuses %s with 400 naming cursor', (_, cursor, sort) => {
    expect(fieldsOf(() => decodeSearchCursor(cursor, sort))).toEqual(['cursor']);
  });
});
