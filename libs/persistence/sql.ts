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

/**
 * The parameters of a set-based statement over `unnest($1::…[], $2::…[], …)`: one array per
 * column, built from each row's values in column order. Needs a row, to know the columns.
 */
export function columnsOf<R>(rows: readonly R[], values: (row: R) => unknown[]): unknown[][] {
  if (rows.length === 0) throw new Error('columnsOf needs at least one row');
  const columns: unknown[][] = [];
  for (const row of rows) {
    values(row).forEach((value, i) => (columns[i] ??= []).push(value));
  }
  return columns;
}
