import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { rebuildReadModels } from '../libs/persistence';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';

/** `npm run replay`: rebuilds every read model from its source of truth (e.g. order events). */
async function replay(): Promise<void> {
  const config = loadConfig({ ...process.env, SEED_DEMO: 'false' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
  try {
    for (const { name, rebuilt, ms } of await rebuildReadModels(app)) {
      new Logger('Replay').log(`${name}: rebuilt ${rebuilt} in ${ms} ms`);
    }
  } finally {
    await app.close();
  }
}

replay().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
