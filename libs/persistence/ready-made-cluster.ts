import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { EmbeddedDatabase } from './embedded-database';

/**
 * PGlite's initdb takes most of a first start on the embedded database (seconds; the
 * migrations take a fraction of that). `npm run build` therefore writes a cluster that went through
 * initdb and every migration beside the compiled code, and an empty data directory starts from a
 * copy of it. Migrations still run after loading it: no-ops, or the ones added since the build.
 */
function pgliteVersion(): string {
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * The project's dist/ seen from this module, compiled (dist/libs/persistence) or, under Jest, the
 * source (libs/persistence): tests start from the same cluster as the service.
 */
function distDirectory(): string {
  const above = join(__dirname, '..', '..');
  return basename(above) === 'dist' ? above : join(above, 'dist');
}

/** In dist/, named after the PGlite version that made it: another version never loads it. */
export const READY_MADE_CLUSTER_FILE = join(distDirectory(), `embedded-cluster-pglite-${pgliteVersion()}.tar.gz`);

/** The ready-made cluster's file for a data directory that holds no cluster yet, when the build made one. */
export function readyMadeCluster(dataDir: string, file = READY_MADE_CLUSTER_FILE): string | undefined {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory && existsSync(join(dataDir, 'PG_VERSION'))) return undefined;
  const available = existsSync(file);
  // A new database on disk is a first start: say why it takes longer than the next ones.
  if (!inMemory) {
    new Logger('Database').log(
      available
        ? `new embedded database in ${dataDir}: starting from the ready-made cluster`
        : `new embedded database in ${dataDir}: initialising it (PGlite's initdb, seconds; \`npm run build\` makes a ready-made cluster)`,
    );
  }
  return available ? file : undefined;
}

/** Saves a freshly migrated, otherwise empty embedded database as the ready-made cluster (through a rename: never half a file). */
export async function saveReadyMadeCluster(database: EmbeddedDatabase, file = READY_MADE_CLUSTER_FILE): Promise<string> {
  const tarball = await database.dumpDataDir();
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.from(tarball));
  renameSync(temporary, file);
  return file;
}
