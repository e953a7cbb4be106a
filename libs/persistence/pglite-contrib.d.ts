// The package exports this subpath, but TypeScript's classic `node` resolution (which our
// CommonJS build uses) does not read package exports; Node resolves it at run time.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  import type { Extension } from '@electric-sql/pglite';

  export const pg_trgm: Extension;
}
