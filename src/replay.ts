import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import { READ_MODEL_REBUILDER, ReadModelRebuilder } from '../libs/persistence';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';

/** `npm run replay`: rebuilds every read model from its source of truth (e.g. order events). */
async function replay(): Promise<void> {
  const config = loadConfig({ ...process.env, SEED_DEMO: 'false' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
  const logger = new Logger('Replay');
  try {
    const rebuilders = app
      .get(DiscoveryService)
      .getProviders()
      .filter((w) => w.metatype && w.instance && Reflect.getMetadata(READ_MODEL_REBUILDER, w.metatype))
      .map((w) => w.instance as ReadModelRebuilder);
    for (const rebuilder of rebuilders) {
      const started = Date.now();
      const { rebuilt } = await rebuilder.rebuild();
      logger.log(`${rebuilder.name}: rebuilt ${rebuilt} in ${Date.now() - started} ms`);
    }
  } finally {
    await app.close();
  }
}

replay().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
