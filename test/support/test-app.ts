import { AddressInfo } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { register } from 'prom-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { IntegrationMessage } from '../../libs/contracts';
import { ContextName } from '../../libs/contracts/message';
import { newId } from '../../libs/persistence';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { deleteKeySpace } from './redis-key-space.cjs';
import { SplitApp } from './split-app';
import { createTestDatabase, eventually, HttpRoutes, publishThroughOutbox, TEST_ENV, UNDELIVERED_MESSAGES } from './test-env';

export { createTestDatabase, eventually } from './test-env';

export interface TestApp {
  /** The application object; only in the one-process topology. */
  readonly nest: NestFastifyApplication;
  http(): HttpRoutes;
  /** Base URL of the process hosting `context`: for raw HTTP, and its `/metrics`. */
  urlOf(context: ContextName): string;
  /** Commits a message to the outbox, as a context would: the way a suite plays another context's part. */
  publish(message: IntegrationMessage, aggregateId: string): Promise<void>;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Resolves once every committed message has been delivered (or dead-lettered). */
  drained(timeoutMs?: number): Promise<void>;
  /** Retries `assertion` until it stops throwing: messages between contexts are asynchronous. */
  eventually<T>(assertion: () => Promise<T>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Whether the suites run against the split topology (TEST_TOPOLOGY=split) rather than one process. */
export const SPLIT = process.env.TEST_TOPOLOGY === 'split';

/** A case that reaches into the one process (a spy, a direct call): skipped, by name, in the split topology. */
export const itInProcess: jest.It = SPLIT ? it.skip : it;

/**
 * The service under test: one in-test process, or with TEST_TOPOLOGY=split four OS processes
 * over Kafka (see SplitApp), so the same suite proves both deployments.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  if (SPLIT) return SplitApp.start(env);
  const database = await createTestDatabase();
  // With REDIS_URL set (CI's server pass) the cache's L2 is real; each app gets its own key space.
  const keySpace = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, CACHE_KEY_PREFIX: `test-${newId()}` } : undefined;
  const config = loadConfig({ ...TEST_ENV, ...database.env, ...keySpace, ...env });
  const nest = await createApp(config);
  // Listening from the start, on a port of its own: requests then never wait on SuperTest starting
  // and closing the server around each one, which refused a connection now and then.
  await nest.listen(0, '127.0.0.1');
  const dataSource = nest.get(DataSource);
  const { port } = nest.getHttpServer().address() as AddressInfo;
  return {
    nest,
    http: () => request(nest.getHttpServer()),
    urlOf: () => `http://127.0.0.1:${port}`,
    publish: (message, aggregateId) => publishThroughOutbox((query, params) => dataSource.query(query, params), message, aggregateId),
    sql: (query, params) => dataSource.query(query, params),
    drained: async (timeoutMs = 20_000) => {
      await eventually(async () => {
        const [{ n }] = await dataSource.query<{ n: number }[]>(
          UNDELIVERED_MESSAGES,
        );
        if (n !== 0) throw new Error(`${n} messages still in the outbox`);
      }, timeoutMs);
    },
    eventually,
    close: async () => {
      await nest.close();
      // Metrics live in prom-client's global registry: a second app in this file registers them again.
      register.clear();
      await database.drop();
      if (keySpace) deleteKeySpace(keySpace.REDIS_URL, keySpace.CACHE_KEY_PREFIX);
    },
  };
}
