import 'reflect-metadata';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PinoLogger } from 'nestjs-pino';
import { describePolicies } from '../libs/auth';
import {
  acceptJsonBodiesOnly,
  enforceRequestLimits,
  fastifyProblemDetails,
  fastifyRequestLimits,
  forbidUnknownBodyProperties,
  secureResponseHeaders,
} from '../libs/http';
import { createLogger, fastifyRequestIds, instrumentHttp, NestPinoLogger } from '../libs/observability';
import { documentRateLimits } from '../libs/rate-limit';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';

/** Builds the whole application (not yet listening): used by service.ts and the e2e suites. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    ...fastifyRequestLimits(config.edge.bodyLimitBytes),
    ...fastifyRequestIds,
    ...fastifyProblemDetails,
    trustProxy: config.edge.trustedProxies.length > 0 ? config.edge.trustedProxies : false,
  });
  // pino from the first line on; an error that stops the start goes to the caller, unprinted.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new NestPinoLogger(createLogger(config.log)),
    abortOnError: false,
  });
  instrumentHttp(adapter.getInstance(), await app.resolve(PinoLogger));
  // Before the routes exist and before any hook that answers a request itself (cached product reads).
  await secureResponseHeaders(adapter.getInstance(), { corsOrigins: config.edge.corsOrigins, docsPath: '/docs', consolePath: '/console' });
  enforceRequestLimits(adapter.getInstance());
  // reply.sendFile for the operations console's files; its routes choose which file answers.
  await adapter.getInstance().register(fastifyStatic, { serve: false });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Commerce core API')
      .setDescription(
        'Catalog, inventory, ordering (event-sourced, saga-driven), payments, notifications and NFT order receipts. ' +
          'Money is integer minor units with an ISO 4217 currency. Errors are application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /api/v1/auth/login' })
      .build(),
  );
  if (config.docs) {
    const documented = documentRateLimits(describePolicies(forbidUnknownBodyProperties(document), config.auth), config.rateLimit);
    SwaggerModule.setup('docs', app, documented, { jsonDocumentUrl: 'docs-json' });
  }
  await app.init();
  acceptJsonBodiesOnly(adapter.getInstance());
  return app;
}
