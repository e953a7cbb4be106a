import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';
import { seedCatalog } from './modules/catalog';

function countArgument(argv: string[]): number {
  const at = argv.indexOf('--count');
  const raw = at === -1 ? '1000' : argv[at + 1];
  const count = Number(raw);
  if (!/^\d+$/.test(raw ?? '') || count < 1 || count > 10_000_000) {
    throw new Error(`--count must be a whole number from 1 to 10000000 (got "${raw}")`);
  }
  return count;
}

/** `npm run catalog:seed -- --count 100000`: generated products through the bulk import, then indexed. */
async function seed(): Promise<void> {
  const count = countArgument(process.argv.slice(2));
  const config = loadConfig({ ...process.env, SEED_DEMO: 'false' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
  try {
    const { created, insertMs, indexedMs, failedIndexing } = await seedCatalog(app, count);
    const indexed = indexedMs === null ? 'indexing stalled' : `indexed after ${indexedMs} ms`;
    new Logger('CatalogSeed').log(
      `created ${created} products in ${insertMs} ms (${Math.round((created * 1000) / Math.max(insertMs, 1))}/s); ` +
        `${indexed}; ${failedIndexing} failed indexing`,
    );
  } finally {
    await app.close();
  }
}

seed().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
