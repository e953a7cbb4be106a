import { isUUID } from 'class-validator';
import { decodeCursor, encodeCursor, InvalidInputException } from '../../../../libs/http';
import { SEARCH_SORTS, SearchPosition, SearchSort } from '../application/ports/product-search-index';

interface CursorKey {
  [field: string]: string;
  /** The sort the cursor was issued for. */
  s: SearchSort;
  /** The sort key of the last hit, in the index's exact text form. */
  k: string;
  id: string;
}

const WHOLE_NUMBER = /^\d{1,16}$/;
const REAL = /^\d{1,20}(\.\d{1,20})?(e[-+]?\d{1,3})?$/;
const MICROSECOND_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function isTimestamp(key: string): boolean {
  if (!MICROSECOND_TIMESTAMP.test(key)) return false;
  const millis = Date.parse(key);
  // Rejects dates that do not exist (Feb 30): they do not survive a round trip.
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 23) === key.slice(0, 23);
}

/** Whether `key` is a value the sort's key column can hold, so a forged cursor is a 400, never a 500. */
function isKeyOf(sort: SearchSort, key: string): boolean {
  switch (sort) {
    case 'relevance':
      return REAL.test(key);
    case 'popularity':
      return WHOLE_NUMBER.test(key) && Number(key) <= 2_147_483_647;
    case 'price_asc':
    case 'price_desc':
      return WHOLE_NUMBER.test(key);
    case 'newest':
    case 'oldest':
      return isTimestamp(key);
  }
}

function isCursorKey(value: unknown): value is CursorKey {
  if (typeof value !== 'object' || value === null) return false;
  const { s, k, id } = value as Record<string, unknown>;
  return (
    typeof s === 'string' &&
    (SEARCH_SORTS as readonly string[]).includes(s) &&
    typeof k === 'string' &&
    isKeyOf(s as SearchSort, k) &&
    isUUID(id)
  );
}

/** An opaque cursor for the page after `position`; valid only with the same sort. */
export function encodeSearchCursor(sort: SearchSort, position: SearchPosition): string {
  return encodeCursor({ s: sort, k: position.key, id: position.id });
}

/** The position a cursor of this endpoint holds; 400 naming `cursor` for anything else. */
export function decodeSearchCursor(cursor: string | undefined, sort: SearchSort): SearchPosition | undefined {
  const key = decodeCursor(cursor, isCursorKey);
  if (key === undefined) return undefined;
  if (key.s !== sort) {
    throw new InvalidInputException([{ field: 'cursor', message: `belongs to sort=${key.s}, not sort=${sort}` }]);
  }
  return { key: key.k, id: key.id };
}
