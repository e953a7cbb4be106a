import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { register } from 'prom-client';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { newId } from '../../libs/persistence';

export interface TestApp {
  nest: NestFastifyApplication;
  http(): TestAgent;
  /** Retries `assertion` until it stops throwing: messages between contexts are asynchronous. */
  eventually<T>(assertion: () => Promise<T>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Fast defaults for tests; a suite overrides what it is about. */
const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  SEED_DEMO: 'false',
  OUTBOX_POLL_MS: '100',
  MESSAGE_RETRY_BASE_MS: '20',
  MESSAGE_RETRY_MAX_MS: '200',
  PAYMENT_RETRY_BASE_MS: '5',
  // Generous: a loaded CI machine must not turn a slow answer into a timeout.
  PAYMENT_TIMEOUT_MS: '5000',
  SAGA_SWEEP_MS: '100',
};

/**
 * A throwaway database: an in-memory PGlite, or, when TEST_DATABASE_URL points at a Postgres
 * server, a fresh database on it that is dropped afterwards.
 */
export async function createTestDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { env: { DATA_DIR: 'memory://' }, drop: () => Promise.resolve() };
  const name = `test_${newId().replace(/-/g, '')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function eventually<T>(assertion: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  // With REDIS_URL set (CI's server pass) the cache's L2 is real; each app gets its own key space.
  const redis = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, CACHE_KEY_PREFIX: `test-${newId()}` } : {};
  const config = loadConfig({ ...TEST_ENV, ...database.env, ...redis, ...env });
  const nest = await createApp(config);
  await nest.getHttpAdapter().getInstance().ready();
  return {
    nest,
    http: () => request(nest.getHttpServer()),
    eventually,
    close: async () => {
      await nest.close();
      // Metrics live in prom-client's global registry: a second app in this file registers them again.
      register.clear();
      await database.drop();
    },
  };
}
