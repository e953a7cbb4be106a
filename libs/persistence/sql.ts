/**
 * Rows of a raw query. TypeORM returns `[rows, rowCount]` for UPDATE/DELETE on `pg` but plain
 * rows on PGlite (whose results carry no command tag); callers want the rows either way.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
