import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createValidationPipe, ProblemDetailsFilter } from '../../libs/http';
import { MessagingModule } from '../../libs/messaging';
import { DatabaseModule } from '../../libs/persistence';
import { MIGRATIONS } from '../../migrations';
import { InventoryModule } from '../../src/modules/inventory';
import { NotificationsModule } from '../../src/modules/notifications';
import { eventually, TestApp } from '../support/test-app';

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  @Module({
    imports: [
      CqrsModule.forRoot(),
      DatabaseModule.forRoot({ url: process.env.TEST_DATABASE_URL, dataDir: 'memory://', migrations: MIGRATIONS }),
      MessagingModule.forRoot({ transport: 'in-process', pollIntervalMs: 100, leaseMs: 30000, maxAttempts: 5, retryBaseMs: 20, retryMaxMs: 200, maxInFlight: 32, drainTimeoutMs: 1000 }),
      InventoryModule.forRoot({ seedDemo: env.SEED_DEMO === 'true' }),
      NotificationsModule,
    ],
    providers: [
      { provide: APP_PIPE, useFactory: createValidationPipe },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    ],
  })
  class TmpModule {}
  const nest = await NestFactory.create<NestFastifyApplication>(TmpModule, new FastifyAdapter(), { logger: ['warn', 'error'] });
  await nest.init();
  await nest.getHttpAdapter().getInstance().ready();
  return { nest, http: () => request(nest.getHttpServer()), eventually, close: () => nest.close() };
}
