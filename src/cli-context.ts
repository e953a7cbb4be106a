import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, NestPinoLogger } from '../libs/observability';
import { StartupError } from '../libs/startup';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { describeStartupFailure } from './startup-failure';

/**
 * The application without HTTP, for command-line tools: logs through pino like the server, and
 * a start that fails on a setting (an unreachable database, say) throws a StartupError whose
 * message names it, as the server prints it.
 */
export async function createCliContext(config: AppConfig): Promise<INestApplicationContext> {
  try {
    return await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      logger: new NestPinoLogger(createLogger(config.log)),
      abortOnError: false,
    });
  } catch (error) {
    const described = describeStartupFailure(error, config);
    throw described === undefined ? error : new StartupError(described, { cause: error });
  }
}
