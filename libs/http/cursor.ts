import { InvalidInputException } from './problem';

/** Opaque keyset-pagination cursor: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends Record<string, string | number>>(
  cursor: string | undefined,
  isKey: (value: unknown) => value is K,
): K | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isKey(key)) return key;
  } catch {
    // falls through to the 400 below
  }
  throw new InvalidInputException([{ field: 'cursor', message: 'is not a cursor returned by this endpoint' }]);
}
