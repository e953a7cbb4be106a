/**
 * The embedded database's buffer cache (PostgreSQL's `shared_buffers`) in MB, not PostgreSQL's
 * 128MB: docs/decisions/0068. A file of its own, so reading the configuration does not load PGlite.
 */
export const DEFAULT_EMBEDDED_SHARED_BUFFERS_MB = 16;

/**
 * WAL written since the last checkpoint, in MB, that makes the embedded database checkpoint
 * (docs/decisions/0080): PGlite has no checkpointer of its own.
 */
export const DEFAULT_EMBEDDED_CHECKPOINT_WAL_MB = 64;

/**
 * How often the embedded database looks for tables that autovacuum would vacuum or analyze, in ms:
 * autovacuum's own `autovacuum_naptime`. PGlite runs no autovacuum (docs/decisions/0081).
 */
export const DEFAULT_EMBEDDED_VACUUM_CHECK_MS = 60_000;
