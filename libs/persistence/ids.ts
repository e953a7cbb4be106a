import { v7 } from 'uuid';

/** Time-ordered ids made in the application (PGlite has no uuid-ossp); they sort by creation. */
export function newId(): string {
  return v7();
}
