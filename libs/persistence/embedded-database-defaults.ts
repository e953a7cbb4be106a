/**
 * The embedded database's buffer cache (PostgreSQL's `shared_buffers`) in MB, not PostgreSQL's
 * 128MB: docs/decisions/0068. A file of its own, so reading the configuration does not load PGlite.
 */
export const DEFAULT_EMBEDDED_SHARED_BUFFERS_MB = 16;
